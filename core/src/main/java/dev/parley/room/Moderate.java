package dev.parley.room;

import static dev.parley.protocol.ErrorCode.FORBIDDEN;

import dev.parley.broker.Event;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;
import dev.parley.store.Sanction;
import dev.parley.store.StoreException;
import java.time.Instant;

/**
 * {@code mute}, {@code ban}, {@code unmute}, {@code unban} (PROTOCOL.md 1.1): a moderator
 * of the room (its token's {@code mod} claim) puts a user under a mute or ban, or lifts
 * it. Kept in the store first (durable, read by every node whose room starts), then
 * enforced here and, through the broker, on every node; then the {@code ack}.
 */
final class Moderate implements Command<Inbound.Moderate> {

    @Override
    public void run(Connection connection, Inbound.Moderate command) throws ProtocolException {
        if (!connection.moderates()) {
            throw new ProtocolException(FORBIDDEN, "Only a moderator of this room may " + command.type().wireName() + ".",
                    command.type(), command.cid());
        }
        Sanction.Kind kind = switch (command.type()) {
            case MUTE, UNMUTE -> Sanction.Kind.MUTE;
            default -> Sanction.Kind.BAN;
        };
        boolean lift = switch (command.type()) {
            case UNMUTE, UNBAN -> true;
            default -> false;
        };
        Instant until = lift ? null : command.seconds() == 0 ? Instant.MAX : Instant.now().plusSeconds(command.seconds());
        try {
            impose(connection.chat(), connection.room(), connection.roomName(), command.user(), kind, until);
        } catch (StoreException e) {
            throw Connection.unavailable(command.type(), command.cid(), e);
        }
        connection.send(new Outbound.Ack(command.cid(), 0));
    }

    /**
     * Puts {@code user} under a mute or ban in the room until {@code until}, or lifts it
     * (null): kept in the store, then in force in the room here ({@code here}, if this node
     * has it) and, through the broker, on every other node. A moderator's command and the
     * server API's bans both come here.
     *
     * @throws StoreException if the store cannot keep it: then it is nowhere in force
     */
    static void impose(Chat chat, Room here, String room, String user, Sanction.Kind kind, Instant until) {
        chat.store().sanction(room, user, kind, until);
        if (here != null) {
            here.sanctioned(user, kind, until);
        }
        chat.broker().publish(room, new Event(Event.Kind.SANCTION, until == null ? 0 : Sanction.millis(until), user,
                kind.name()));
    }
}
