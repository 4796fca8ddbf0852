package dev.parley.room;

import dev.parley.broker.Event;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.Outbound;
import java.time.Instant;

/** {@code typing}: the room's other members hear it, here and on the other nodes; the user's other tabs do not. */
final class Typing implements Command<Inbound.Typing> {

    @Override
    public void run(Connection connection, Inbound.Typing typing) {
        String user = connection.name();
        Instant muted = connection.room().mutedUntil(user);
        if (muted != null) {
            connection.send(new Outbound.Error(ErrorCode.FORBIDDEN, Sanctions.muted(muted), null));
            return;
        }
        String frame = connection.chat().encoder().encode(new Outbound.Typing(connection.roomName(), user));
        connection.room().share(Event.of(Event.Kind.TYPING, user, frame), connection);
    }
}
