package dev.parley.room;

import static dev.parley.protocol.ErrorCode.FORBIDDEN;
import static dev.parley.protocol.ErrorCode.UNAVAILABLE;

import dev.parley.protocol.Inbound;
import dev.parley.protocol.Outbound;
import dev.parley.store.Append;
import dev.parley.store.Appended;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code message}, {@code edit}, {@code delete} and {@code react}: an entry of the room's
 * log. The store checks it and gives it its seq; once it is stored, the sender gets its
 * {@code ack} and then the room the entry, so the ack comes before the sender's own copy
 * (on this thread when the store decided on it: {@link Room#committed}).
 * The entry is in the store a moment before that: the room's gap fill, which could read it
 * there, waits for the post to be decided ({@link Room#posting}).
 * A resend of a cid the store has seen gets the first entry's seq with {@code dup}, a
 * reaction that changes nothing an ack without a seq, a refusal its error; none of them
 * reaches the room. A muted user's message, edit and reaction are refused here (a delete
 * of its own message is not).
 */
final class Post implements Command<Inbound.Change> {
    private static final Logger LOG = Logger.getLogger(Post.class.getName());

    @Override
    public void run(Connection connection, Inbound.Change change) {
        Chat chat = connection.chat();
        Room in = connection.room();
        String room = connection.roomName();
        String cid = change.cid();
        if (!(change instanceof Inbound.Delete)) {
            Instant muted = in.mutedUntil(connection.name());
            if (muted != null) {
                connection.send(new Outbound.Error(FORBIDDEN, Sanctions.muted(muted), cid));
                return;
            }
        }
        long ticket = in.posting();
        Thread poster = Thread.currentThread();
        chat.store().append(room, append(connection, change)).whenComplete((appended, failure) -> {
            try {
                if (failure != null) {
                    LOG.log(Level.FINE, "not stored: {0}", failure.getMessage());
                    connection.send(new Outbound.Error(UNAVAILABLE, "The message could not be stored; send it again.", cid));
                } else if (appended instanceof Appended.Stored stored) {
                    chat.meters().stored();
                    if (cid != null) {
                        chat.meters().acked();
                        connection.send(new Outbound.Ack(cid, stored.entry().seq()));
                    }
                    in.committed(stored.entry(), Thread.currentThread() == poster);
                } else if (appended instanceof Appended.Duplicate duplicate) {
                    connection.send(new Outbound.Ack(cid, duplicate.seq(), true));
                } else if (appended instanceof Appended.Refused refused) {
                    connection.send(new Outbound.Error(refused.code(), refused.message(), cid));
                } else if (cid != null) { // unchanged
                    connection.send(new Outbound.Ack(cid, 0));
                }
            } catch (RuntimeException | Error e) { // on the store's thread, whose stage would swallow it: log it
                LOG.log(Level.WARNING, "Delivery in " + room + " failed", e);
            } finally {
                in.posted(ticket);
            }
        });
    }

    private static Append append(Connection connection, Inbound.Change change) {
        String user = connection.name();
        Instant now = Instant.now();
        if (change instanceof Inbound.Message message) {
            return Append.message(user, message.text(), message.cid(), message.replyTo(), now);
        } else if (change instanceof Inbound.Edit edit) {
            return Append.edit(user, edit.ref(), edit.text(), edit.cid(), now);
        } else if (change instanceof Inbound.Delete delete) {
            return Append.delete(user, delete.ref(), connection.moderates(), delete.cid(), now);
        } else if (change instanceof Inbound.React react) {
            return Append.react(user, react.ref(), react.emoji(), react.on(), react.cid(), now);
        }
        throw new IllegalArgumentException("not a change: " + change);
    }
}
