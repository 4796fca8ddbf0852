package dev.parley.room;

import dev.parley.protocol.Inbound;

/** {@code read} (1.1): the room keeps and shares the user's position, coalesced ({@link Room#read}). */
final class Read implements Command<Inbound.Read> {

    @Override
    public void run(Connection connection, Inbound.Read read) {
        if (read.seq() > 0) {
            connection.room().read(connection, read.seq());
        }
    }
}
