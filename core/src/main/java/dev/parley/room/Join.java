package dev.parley.room;

import static dev.parley.protocol.ErrorCode.BAD_ROOM;
import static dev.parley.protocol.ErrorCode.FORBIDDEN;
import static dev.parley.protocol.ErrorCode.NAME_TAKEN;

import dev.parley.broker.Broker;
import dev.parley.broker.BrokerException;
import dev.parley.broker.Event;
import dev.parley.identity.Identity;
import dev.parley.protocol.Logged;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;
import dev.parley.store.StoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code join}: the connection takes its name in its room. In order, without a lock held
 * across a read: the token checked (identity on), {@code OPEN} to {@code JOINING}, the
 * room entered (it holds what it delivers meanwhile), the name claimed with the broker
 * (or taken back with the {@code resume} secret), the welcome's history read from the
 * store, and the room admits the connection: welcome, then what was held, then the
 * others hear {@code joined}. A join that fails anywhere undoes what it did and leaves
 * the connection {@code OPEN}, so the client may try another name.
 */
final class Join implements Command<Inbound.Join> {
    /** The names a large room's {@code welcome} carries: its first page. */
    static final int WELCOME_NAMES = 100;

    @Override
    public void run(Connection connection, Inbound.Join asked) throws ProtocolException {
        Chat chat = connection.chat();
        Inbound.Join join = asked.since().isEmpty() && connection.lastSeen() >= 0
                ? new Inbound.Join(asked.user(), OptionalLong.of(connection.lastSeen()), asked.token(), asked.resume())
                : asked;
        String user = join.user();
        Identity verified = null;
        if (chat.tokens().enabled()) {
            verified = Auth.identify(connection, join.token(), InboundType.JOIN, null);
            user = verified.user();
        }
        Membership membership = connection.membership();
        if (!membership.begin(user, verified)) {
            return; // gone; JOINED was refused as a state error, and frames of one connection come one at a time
        }
        Room joined = null;
        boolean claimed = false;
        try {
            joined = connection.rooms().enter(connection.roomName(), connection);
            membership.entered(joined);
            if (joined.closedToJoins()) { // by an administrator: said, then closed, as for a bad room name
                connection.refuse(new Outbound.Error(BAD_ROOM, "This room was closed by an administrator.", null),
                        CloseReasons.ROOM_CLOSED);
                return;
            }
            Instant banned = joined.bannedUntil(user);
            if (banned != null) { // a moderator's ban: said, and the connection stays open
                throw new ProtocolException(FORBIDDEN, Sanctions.banned(banned), InboundType.JOIN, null);
            }
            String resume = verified == null ? Resume.secret() : null; // names are shared with identity on
            int limit = chat.config().presenceLimit();
            Broker.Claim claim = chat.broker().claim(connection.roomName(), user,
                    resume == null ? null : Resume.key(resume),
                    resume == null || join.resume() == null ? null : Resume.key(join.resume()),
                    limit == 0 ? Integer.MAX_VALUE : Math.max(limit, WELCOME_NAMES)); // every name unless the room is large
            if (claim.taken()) {
                throw new ProtocolException(NAME_TAKEN, "The name \"" + user + "\" is in use in this room.",
                        InboundType.JOIN, null);
            }
            claimed = true;
            if (claim.tookOver()) {
                tookOver(chat, joined, user, connection);
            }
            long position = joined.position();
            Outbound.Welcome welcome = welcome(connection, user, join, claim, resume);
            List<? extends Logged> history = welcome.history();
            long newest = history.isEmpty() ? 0 : history.get(history.size() - 1).seq();
            long sinceSeen = Boolean.TRUE.equals(welcome.recovered()) ? join.since().getAsLong() : 0;
            long floor = Math.max(position, Math.max(newest, sinceSeen));
            if (joined.admit(connection, chat.encoder().encode(welcome), welcome, floor, claim.count(), claim.first())) {
                claimed = false; // the member's now: its departure gives it back
            }
        } catch (StoreException | BrokerException e) {
            throw Connection.unavailable(InboundType.JOIN, null, e);
        } finally {
            if (membership.state() != Membership.State.JOINED) {
                undo(connection, joined, claimed);
            }
        }
    }

    /**
     * {@code user}'s name was taken back by {@code by} (its claim took it over): the user's
     * other connections here close unheard, and in cluster mode the other nodes close theirs.
     */
    private static void tookOver(Chat chat, Room room, String user, Connection by) {
        room.replace(user, by);
        if (chat.broker().clustered()) {
            chat.broker().publish(room.name(), Event.of(Event.Kind.REPLACED, user, ""));
        }
    }

    /** Undoes a join that did not get through: out of the room, the claim given back, OPEN again unless gone. */
    private static void undo(Connection connection, Room joined, boolean claimed) {
        String user = connection.name();
        if (joined != null) {
            joined.leave(connection, false);
        }
        if (claimed) {
            connection.chat().broker().release(connection.roomName(), user);
        }
        connection.membership().failed();
    }

    /** The welcome: what was missed after {@code since} if the store still has all of it, else the newest messages. */
    private static Outbound.Welcome welcome(Connection connection, String user, Inbound.Join join, Broker.Claim claim,
            String resume) {
        Chat chat = connection.chat();
        String room = connection.roomName();
        Boolean recovered = null;
        List<Logged> history = null;
        if (join.since().isPresent()) { // read once for the joins of the room that overlap (a storm after a restart)
            Optional<List<Logged>> missed = chat.welcomeReads().after(room, join.since().getAsLong(),
                    chat.config().recoveryCap());
            recovered = missed.isPresent();
            history = missed.orElse(null);
        }
        if (history == null) {
            history = chat.welcomeReads().newest(room, Chat.WELCOME_HISTORY);
        }
        boolean large = chat.config().large(claim.count());
        List<String> users = large && claim.users().size() > WELCOME_NAMES ? claim.users().subList(0, WELCOME_NAMES)
                : claim.users();
        return new Outbound.Welcome(room, user, users, history, recovered, resume, chat.store().readPosition(room, user),
                connection.moderates(), large ? claim.count() : 0, large && claim.count() > users.size());
    }
}
