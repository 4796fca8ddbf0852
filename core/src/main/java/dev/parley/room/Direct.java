package dev.parley.room;

import static dev.parley.protocol.ErrorCode.NO_SUCH_USER;

import dev.parley.broker.BrokerException;
import dev.parley.broker.Event;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;
import java.time.Instant;
import java.util.List;

/**
 * {@code direct}: to every connection of the user it names, here and on other nodes (with
 * identity on a user may have several), and a copy to the sender. A connection of that
 * user still joining gets it after its welcome.
 */
final class Direct implements Command<Inbound.Direct> {

    @Override
    public void run(Connection connection, Inbound.Direct direct) throws ProtocolException {
        Chat chat = connection.chat();
        String room = connection.roomName();
        String frame = chat.encoder().encode(
                new Outbound.Direct(room, connection.name(), direct.to(), direct.text(), Instant.now()));
        Room in = connection.room();
        List<Connection> here = in.connections(direct.to());
        boolean elsewhere = false;
        if (here.isEmpty() || chat.tokens().enabled()) { // without identity a name is on one node only
            try {
                elsewhere = chat.broker().heldElsewhere(room, direct.to());
            } catch (BrokerException e) {
                throw Connection.unavailable(InboundType.DIRECT, direct.cid(), e);
            }
        }
        if (here.isEmpty() && !elsewhere) {
            throw new ProtocolException(NO_SUCH_USER, "Nobody named \"" + direct.to() + "\" is in this room.",
                    InboundType.DIRECT, direct.cid());
        }
        in.direct(here, direct.to(), frame);
        if (elsewhere) {
            chat.broker().publish(room, Event.of(Event.Kind.DIRECT, direct.to(), frame));
        }
        if (!here.contains(connection)) {
            connection.deliver(frame);
        }
    }
}
