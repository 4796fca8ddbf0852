package dev.parley.room;

import dev.parley.broker.Event;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.Outbound;

/** {@code typing}: the room's other members hear it, here and on the other nodes; the user's other tabs do not. */
final class Typing implements Command<Inbound.Typing> {

    @Override
    public void run(Connection connection, Inbound.Typing typing) {
        String user = connection.name();
        String frame = connection.chat().encoder().encode(new Outbound.Typing(connection.roomName(), user));
        connection.room().share(Event.of(Event.Kind.TYPING, user, frame), connection);
    }
}
