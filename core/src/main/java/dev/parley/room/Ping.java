package dev.parley.room;

import dev.parley.protocol.Inbound;
import dev.parley.protocol.Outbound;

/** {@code ping}: answered with a {@code pong} that carries the ping's fields back. */
final class Ping implements Command<Inbound.Ping> {

    @Override
    public void run(Connection connection, Inbound.Ping ping) {
        connection.send(new Outbound.Pong(ping.frame()));
    }
}
