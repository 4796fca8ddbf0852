package dev.parley.room;

import dev.parley.broker.Event;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Outbound;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who is in a {@link Room} on this node, and the fan-out to them: the members by name
 * (one connection each, or with identity on as many as the user opened), each with the
 * seq its welcome reached, and the connections still joining, with what the room
 * delivered meanwhile held for them.
 *
 * <p>Not thread-safe: it is its room's, and the room calls it only under its own monitor.
 * Under it, this calls nothing but each connection's {@link Outbox} (whose lock is a
 * leaf) and {@link Membership}: the lock order is room, then outbox.
 */
final class Members {
    private static final Member[] NONE = new Member[0];

    /** A member connection; {@code floor}: messages up to it were in its welcome, and are skipped. */
    record Member(Connection connection, String user, Outbox outbox, long floor) {
    }

    private final TreeMap<String, Member[]> byName = new TreeMap<>();
    private final Map<Connection, Held> joining = new LinkedHashMap<>();
    private final int maxHeld;
    private final long maxHeldBytes;
    /** Every member, for the fan-out; a new array on each change, read without the monitor for counts. */
    private volatile Member[] all = NONE;

    Members(int maxHeld, long maxHeldBytes) {
        this.maxHeld = maxHeld;
        this.maxHeldBytes = maxHeldBytes;
    }

    int count() {
        return all.length;
    }

    List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    boolean isEmpty() {
        return byName.isEmpty() && joining.isEmpty();
    }

    /** Every connection here, member or joining. */
    List<Connection> connections() {
        List<Connection> connections = new ArrayList<>(all.length + joining.size());
        for (Member member : all) {
            connections.add(member.connection());
        }
        connections.addAll(joining.keySet());
        return connections;
    }

    /** The connections of {@code user} here, members and joining. */
    List<Connection> connections(String user) {
        Member[] members = byName.get(user);
        List<Connection> found = new ArrayList<>(members == null ? 1 : members.length + 1);
        if (members != null) {
            for (Member member : members) {
                found.add(member.connection());
            }
        }
        for (Connection c : joining.keySet()) {
            if (user.equals(c.name())) {
                found.add(c);
            }
        }
        return found;
    }

    // ---- joining ----

    void hold(Connection connection) {
        joining.put(connection, new Held());
    }

    /** Out of the joining; true if it was there. */
    boolean dropJoining(Connection connection) {
        return joining.remove(connection) != null;
    }

    /**
     * Makes a joining connection a member: its welcome goes out, then what was held for it
     * that the welcome does not say already. {@link Admitted#NO} if it left meanwhile;
     * {@link Admitted#SLOW} if its queue could not take it all (close it, after the monitor).
     */
    Admitted admit(Connection connection, String welcomeFrame, Outbound.Welcome welcome, long floor) {
        Held held = joining.remove(connection);
        if (held == null) {
            return Admitted.NO; // left meanwhile (departed, or the room closed)
        }
        if (!connection.membership().joined()) {
            return Admitted.NO; // departed meanwhile
        }
        Outbox outbox = connection.outbox();
        boolean taken = outbox.offer(Frame.of(welcomeFrame));
        for (int i = 0; taken && i < held.events.size(); i++) {
            Event event = held.events.get(i);
            boolean known = switch (event.kind()) {
                case MESSAGE -> event.seq() <= floor;
                case JOINED -> welcome.users().contains(event.user());
                case LEFT -> !welcome.users().contains(event.user());
                case TYPING, DIRECT, TAIL, KICK, CLOSED, REPLACED, READ, SANCTION, PRESENCE -> false;
            };
            if (!known) {
                taken = outbox.offer(Frame.of(event.frame()));
            }
        }
        byName.merge(connection.name(), new Member[] {new Member(connection, connection.name(), outbox, floor)},
                Members::plus);
        all = flatten();
        return taken && !held.tooMuch ? Admitted.YES : Admitted.SLOW;
    }

    enum Admitted { YES, SLOW, NO }

    /** Out of the members; true if it was one. */
    boolean drop(Connection connection) {
        Member[] user = byName.get(connection.name());
        if (user == null) {
            return false;
        }
        for (int i = 0; i < user.length; i++) {
            if (user[i].connection() == connection) {
                if (user.length == 1) {
                    byName.remove(connection.name());
                } else {
                    Member[] rest = new Member[user.length - 1];
                    System.arraycopy(user, 0, rest, 0, i);
                    System.arraycopy(user, i + 1, rest, i, user.length - i - 1);
                    byName.put(connection.name(), rest);
                }
                all = flatten();
                return true;
            }
        }
        return false;
    }

    // ---- fan-out ----

    /**
     * Queues an event's frame for every member but {@code except}, and holds it for every
     * joining connection. A message skips the members whose welcome had it; {@code typing}
     * skips every connection of the user typing (a user's other tabs).
     *
     * @return the members whose queue was full (close them after the monitor, so that a
     *         departure's {@code left} never interleaves with the frame), or null
     */
    List<Connection> broadcast(Event event, Connection except) {
        boolean typing = event.kind() == Event.Kind.TYPING && byName.containsKey(event.user());
        boolean message = event.kind() == Event.Kind.MESSAGE;
        long seq = event.seq();
        String typist = typing ? event.user() : null;
        List<Connection> slow = null;
        Frame frame = Frame.of(event.frame()); // one for all: each socket writes the same bytes
        for (Member member : all) {
            if (member.connection() == except || (typing && typist.equals(member.user()))
                    || (message && seq <= member.floor())) {
                continue;
            }
            if (!member.outbox().offer(frame)) {
                slow = add(slow, member.connection());
            }
        }
        for (Map.Entry<Connection, Held> c : joining.entrySet()) {
            if (c.getKey() != except && !(typing && typist.equals(c.getKey().name()))) {
                c.getValue().add(event);
            }
        }
        return slow;
    }

    /**
     * A direct message for these connections: queued for members, held for joining ones.
     * @return those whose queue was full, or null
     */
    List<Connection> direct(List<Connection> targets, Event event) {
        List<Connection> slow = null;
        for (Connection target : targets) {
            Held held = joining.get(target);
            if (held != null) {
                held.add(event);
            } else if (!target.outbox().offer(Frame.of(event.frame()))) {
                slow = add(slow, target);
            }
        }
        return slow;
    }

    private static List<Connection> add(List<Connection> slow, Connection member) {
        List<Connection> list = slow != null ? slow : new ArrayList<>(2);
        list.add(member);
        return list;
    }

    private static Member[] plus(Member[] those, Member[] more) {
        Member[] both = Arrays.copyOf(those, those.length + more.length);
        System.arraycopy(more, 0, both, those.length, more.length);
        return both;
    }

    private Member[] flatten() {
        int n = 0;
        for (Member[] user : byName.values()) {
            n += user.length;
        }
        Member[] flat = new Member[n];
        int i = 0;
        for (Member[] user : byName.values()) {
            System.arraycopy(user, 0, flat, i, user.length);
            i += user.length;
        }
        return flat;
    }

    /** What the room delivered to a joining connection: bounded like its send queue, in frames and bytes. */
    private final class Held {
        private final List<Event> events = new ArrayList<>();
        private long bytes;
        /** A slow consumer before it even joined: closed once its welcome is out. */
        private boolean tooMuch;

        void add(Event event) {
            if (tooMuch) {
                return;
            }
            long size = 2L * event.frame().length();
            if (events.size() >= maxHeld || bytes + size > maxHeldBytes) {
                tooMuch = true;
                events.clear();
                return;
            }
            events.add(event);
            bytes += size;
        }
    }
}
