package dev.parley.room;

import static dev.parley.protocol.ErrorCode.UNAVAILABLE;

import dev.parley.protocol.Inbound;
import dev.parley.protocol.Outbound;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code message}: the store gives it its seq; once it is stored, the sender gets its
 * {@code ack} and then the room the message, so the ack comes before the sender's own copy.
 */
final class Post implements Command<Inbound.Message> {
    private static final Logger LOG = Logger.getLogger(Post.class.getName());

    @Override
    public void run(Connection connection, Inbound.Message message) {
        Chat chat = connection.chat();
        Room in = connection.room();
        String room = connection.roomName();
        chat.store().append(room, connection.name(), message.text(), Instant.now()).whenComplete((stored, failure) -> {
            try {
                if (failure != null) {
                    LOG.log(Level.FINE, "not stored: {0}", failure.getMessage());
                    connection.send(new Outbound.Error(UNAVAILABLE, "The message could not be stored; send it again.",
                            message.cid()));
                    return;
                }
                chat.meters().stored();
                if (message.cid() != null) {
                    chat.meters().acked();
                    connection.send(new Outbound.Ack(message.cid(), stored.seq()));
                }
                in.committed(stored);
            } catch (RuntimeException | Error e) { // on the store's thread, whose stage would swallow it: log it
                LOG.log(Level.WARNING, "Delivery of " + room + "#" + (stored == null ? "?" : stored.seq()) + " failed", e);
            }
        });
    }
}
