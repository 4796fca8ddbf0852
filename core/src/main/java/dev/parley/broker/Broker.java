package dev.parley.broker;

import dev.parley.protocol.Outbound;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What a node shares with the other nodes of its cluster: who is in which room (names
 * are claimed here, atomically across nodes) and the events each node publishes for
 * the others. The store stays the record: a lost event is a delay, never a loss, since
 * a node fills what it missed from the store.
 *
 * <p>{@link LocalBroker} is one node alone; {@link RedisBroker} is a cluster. The calls
 * that answer block for at most the broker's timeout and throw
 * {@link BrokerException} when it cannot answer; {@link #publish} never blocks. The HTTP
 * transport's requests for a connection another node holds go through the {@link Relay}.
 */
public interface Broker extends AutoCloseable {

    /** Where events of other nodes go; set once, before the first subscribe. */
    void listen(Listener listener);

    /**
     * Claims {@code user} in {@code room} for one connection of this node. Refused when
     * anyone holds the name anywhere, unless names are shared (identity on, a broker made
     * so: one user, several connections), when it adds this connection to the user's. The
     * claim answers with the room's members (the claimant among them), their count, and
     * whether this is the user's first connection in the room.
     */
    Claim claim(String room, String user);

    /**
     * As {@link #claim(String, String)}, for a name that can be taken back: {@code key} is
     * kept with the claim (the digest of the secret this connection's {@code welcome} gives),
     * and where the name is held, a claim that presents the key kept with it
     * ({@code presented}, or null) takes it over: every other node's hold on it is dropped at
     * once (a dead node's too), this node's are kept (its connections the caller closes), and
     * the answer says {@link Claim#tookOver}. Names that are shared need no key.
     */
    default Claim claim(String room, String user, String key, String presented) {
        return claim(room, user);
    }

    /**
     * As {@link #claim(String, String, String, String)}, answering with the first
     * {@code names} of the room's names (in {@link #ORDER}) rather than all: a join of a
     * large room reads a page, not the room.
     */
    default Claim claim(String room, String user, String key, String presented, int names) {
        Claim claim = claim(room, user, key, presented);
        return claim.users().size() <= names ? claim
                : new Claim(false, claim.users().subList(0, names), claim.count(), claim.first(), claim.tookOver());
    }

    /**
     * Gives back one connection's claim of this node. The stage completes with the room's
     * member count after it (across nodes) if that was the user's last connection in the
     * room, with -1 if it was not (or held nothing), or fails when the broker cannot
     * answer; the broker then repairs it when it is back.
     */
    CompletionStage<Integer> release(String room, String user);

    /** Whether another node holds a connection of {@code user} in {@code room}. */
    boolean heldElsewhere(String room, String user);

    /** The names of the room's members, on every node, sorted. */
    List<String> members(String room);

    /**
     * A page of the room's names, on every node: at most {@code limit} after {@code after}
     * (null: from the first) in {@link #ORDER}, the room's count, and whether more follow.
     */
    Names members(String room, String after, int limit);

    /**
     * The order of names everywhere (welcome, pages, presence lists): by code point, as
     * Redis orders a sorted set's members (their UTF-8 bytes), so that a page's {@code after}
     * means the same on every node. It differs from {@link String#compareTo} only for
     * characters above U+FFFF against those from U+E000.
     */
    java.util.Comparator<String> ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    /** The rooms with members, on every node, with their counts, sorted by name. */
    List<Outbound.RoomCount> occupancy();

    /** From now on this node receives the room's events from the others. */
    void subscribe(String room);

    /** This node has nobody in the room any more. */
    void unsubscribe(String room);

    /** Tells the other nodes; never blocks, a failure is logged (the others fill from the store). */
    void publish(String room, Event event);

    /** Whether other nodes share the store: a seq may then come back from another node as a duplicate. */
    boolean clustered();

    /** Whether the broker answers now (health checks): a cluster node whose Redis is away does not. */
    default boolean available() {
        return true;
    }

    /** For the start-up line. */
    String describe();

    @Override
    default void close() {
    }

    /**
     * The result of a claim: taken, or the members now (sorted, the claimant among them),
     * how many, and whether the claim is the user's first connection (then the room hears
     * {@code joined}).
     */
    record Claim(boolean taken, List<String> users, int count, boolean first, boolean tookOver) {
        public static final Claim TAKEN = new Claim(true, List.of(), 0, false, false);

        public Claim(boolean taken, List<String> users, int count, boolean first) {
            this(taken, users, count, first, false);
        }
    }

    /** A page of a room's names: {@code users} in {@link #ORDER}, the room's {@code count}, and whether {@code more} follow. */
    record Names(List<String> users, int count, boolean more) {
    }

    /** Receives the events other nodes publish, and hears when some may have been missed. */
    interface Listener {
        void event(String room, Event event);

        /**
         * Events of {@code room} may have been lost (the broker was away): the node reads
         * from the store what it has not delivered. Null room: every room.
         */
        void resync(String room);

        /**
         * The broker is back after it was away: every room reads what it missed, and tells
         * the other nodes how far it got, since what it published meanwhile was dropped.
         */
        void back();

        /** The broker found {@code user} gone from {@code room} (its node died, or left while the broker was away). */
        void left(String room, String user, int count);
    }
}
