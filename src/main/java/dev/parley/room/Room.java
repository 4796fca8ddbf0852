package dev.parley.room;

import dev.parley.broker.Event;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Outbound;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A room with members on this node: who they are, and delivery to them in seq order.
 *
 * <p>Everything a room delivers, it delivers under its own monitor: messages through its
 * {@link OrderedStream}, presence and typing as they come. Messages reach it through its
 * {@link SerialExecutor}, on the registry's delivery pool, never on the store's writer
 * or the broker's thread. Fan-out only queues (each connection's {@link Outbox}), so a
 * slow member delays nobody.
 *
 * <p>A connection that is joining is held here from before its name is claimed until
 * its {@code welcome} is out: what the room delivers meanwhile waits in the connection,
 * and follows the welcome. So no lock is held while the welcome's history is read.
 */
final class Room {
    private static final Logger LOG = Logger.getLogger(Room.class.getName());
    private static final Connection[] NONE = new Connection[0];
    /** How long a gap may stay open before the room fills it from the store. */
    static final long GAP_WAIT_MILLIS = 200;
    /** How long a join waits for the room another connection is starting. */
    private static final long START_WAIT_MILLIS = 10_000;
    /** Messages a fill reads at a time. */
    static final int FILL_PAGE = 500;
    /**
     * Committed messages waiting for the room's tasks, in bytes (two a char, and what a
     * message and its task hold besides): beyond it a commit is not queued but left to
     * the gap fill, so a room whose delivery falls behind its commits holds no more.
     */
    static final long MAX_BACKLOG = 16L * 1024 * 1024;
    private static final long BACKLOG_OVERHEAD = 256;

    private final String name;
    private final RoomRegistry registry;
    private final SerialExecutor tasks;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean missNoted = new AtomicBoolean();

    // guarded by this
    /** Members by name: one connection each, or with identity on as many as the user opened. */
    private final TreeMap<String, Connection[]> byName = new TreeMap<>();
    private final Set<Connection> joining = new LinkedHashSet<>();
    private final OrderedStream stream;
    private boolean retired;
    private boolean fillScheduled;
    private boolean readAgain; // a resync came while a fill was on its way: read once more after it

    private volatile Connection[] members = NONE;
    private volatile boolean closed; // by an administrator: joins are refused

    Room(String name, RoomRegistry registry) {
        this.name = name;
        this.registry = registry;
        this.tasks = new SerialExecutor(registry.deliveryPool());
        this.stream = new OrderedStream(registry.config().sendQueue(), registry.config().sendBuffer());
    }

    String name() {
        return name;
    }

    /** This node's member connections of the room now. */
    int memberCount() {
        return members.length;
    }

    /** This node's members' names, sorted. */
    synchronized List<String> memberNames() {
        return new ArrayList<>(byName.keySet());
    }

    /** Whether an administrator closed the room: a join is refused. */
    boolean closedToJoins() {
        return closed;
    }

    // ---- moderation (the admin view) ----

    /** Closes {@code user}'s connections here, members or joining, with 1008; false if it has none here. */
    /**
     * {@code user}'s name was taken back by {@code by} (null: by a connection of another
     * node): the user's other connections here close, and nobody hears them leave, since
     * the user stays (their claims are the new connection's now, or were kept for them).
     */
    void replace(String user, Connection by) {
        for (Connection stale : connections(user)) {
            if (stale != by) {
                stale.depart(CloseReasons.REPLACED);
            }
        }
    }

    boolean kick(String user) {
        List<Connection> targets = connections(user);
        targets.forEach(target -> target.depart(CloseReasons.REMOVED));
        return !targets.isEmpty();
    }

    /** Refuses joins from now on and closes every connection here, member or joining; how many. */
    int closeAll() {
        List<Connection> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(List.of(members));
            all.addAll(joining);
        }
        all.forEach(connection -> connection.depart(CloseReasons.ROOM_CLOSED));
        return all.size();
    }

    // ---- start: subscribed, then the position read, before anyone joins ----

    /** Run by the connection that made the room: subscribes, then starts delivery after the store's last seq. */
    void start() {
        try {
            registry.broker().subscribe(name);
            closed = registry.store().closed(name);
            long last = registry.store().lastSeq(name);
            synchronized (this) {
                stream.start(last, this::fanOut);
            }
            started.complete(null);
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            throw e;
        }
    }

    /** Waits for {@link #start} by another connection; throws what it threw. */
    void awaitStart() {
        try {
            started.get(START_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new dev.parley.broker.BrokerException("room " + name + " did not start in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- membership ----

    /** Holds a joining connection; false if the room was retired meanwhile (take a new one). */
    synchronized boolean hold(Connection connection) {
        if (retired) {
            return false;
        }
        joining.add(connection);
        return true;
    }

    /** The seq a joining connection's welcome must reach at least: what the room has delivered. */
    synchronized long position() {
        return stream.position();
    }

    /**
     * Sends the welcome, then what was held for the connection, and makes it a member;
     * then, if it is the user's first connection ({@code first}), tells the others it
     * joined. False if it left meanwhile.
     */
    boolean admit(Connection connection, String welcome, Outbound.Welcome content, long floor, int count, boolean first) {
        Event joined = first ? Event.of(Event.Kind.JOINED, connection.name(),
                registry.encoder().encode(new Outbound.Joined(name, connection.name(), count, Instant.now()))) : null;
        synchronized (this) {
            if (!joining.remove(connection)) {
                return false;
            }
            if (!connection.welcomed(welcome, content, floor)) {
                retireIfEmpty();
                return false;
            }
            byName.merge(connection.name(), new Connection[] {connection}, Room::plus);
            members = all();
            if (joined != null) {
                broadcast(joined, connection);
            }
        }
        if (joined != null) {
            registry.broker().publish(name, joined);
        }
        return true;
    }

    private static Connection[] plus(Connection[] those, Connection[] more) {
        Connection[] both = Arrays.copyOf(those, those.length + more.length);
        System.arraycopy(more, 0, both, those.length, more.length);
        return both;
    }

    /** Every member connection, for the fan-out. Caller holds the monitor. */
    private Connection[] all() {
        int n = 0;
        for (Connection[] user : byName.values()) {
            n += user.length;
        }
        Connection[] all = new Connection[n];
        int i = 0;
        for (Connection[] user : byName.values()) {
            System.arraycopy(user, 0, all, i, user.length);
            i += user.length;
        }
        return all;
    }

    /** Takes {@code connection} out of its user's; true if it was there. Caller holds the monitor. */
    private boolean removeMember(Connection connection) {
        Connection[] user = byName.get(connection.name());
        if (user == null) {
            return false;
        }
        for (int i = 0; i < user.length; i++) {
            if (user[i] == connection) {
                if (user.length == 1) {
                    byName.remove(connection.name());
                } else {
                    Connection[] rest = new Connection[user.length - 1];
                    System.arraycopy(user, 0, rest, 0, i);
                    System.arraycopy(user, i + 1, rest, i, user.length - i - 1);
                    byName.put(connection.name(), rest);
                }
                return true;
            }
        }
        return false;
    }

    /**
     * The connection leaves (joined or still joining). A member's claim is given back and,
     * if it was the user's last connection, the others hear {@code left}; the last one out
     * retires the room.
     */
    void leave(Connection connection, boolean member) {
        synchronized (this) {
            boolean held = joining.remove(connection);
            boolean removed = member && removeMember(connection);
            if (removed) {
                members = all();
            }
            if (!held && !removed) {
                return;
            }
            retireIfEmpty();
        }
        if (member) {
            String user = connection.name();
            registry.broker().release(name, user).whenComplete((count, failure) -> {
                int left = failure != null ? members.length : count;
                if (failure == null && count < 0) {
                    return; // the user has other connections, or its left went out already
                }
                left(user, left);
            });
        }
    }

    /** Tells this node's members and the other nodes that {@code user} left, {@code count} remaining. */
    void left(String user, int count) {
        Event left = Event.of(Event.Kind.LEFT, user, registry.encoder().encode(new Outbound.Left(name, user, count, Instant.now())));
        synchronized (this) {
            broadcast(left, null);
        }
        registry.broker().publish(name, left);
    }

    /** Caller holds the monitor. */
    private void retireIfEmpty() {
        if (byName.isEmpty() && joining.isEmpty() && !retired) {
            retired = true;
            registry.retire(this);
        }
    }

    /** The connections of {@code user} here, members and joining. */
    synchronized List<Connection> connections(String user) {
        Connection[] members = byName.get(user);
        List<Connection> found = new ArrayList<>(members == null ? List.of() : List.of(members));
        for (Connection c : joining) {
            if (user.equals(c.name())) {
                found.add(c);
            }
        }
        return found;
    }

    /** Retired: emptied, out of the registry, and the room of nobody any more. */
    synchronized boolean retired() {
        return retired;
    }

    // ---- delivery ----

    /** This node stored {@code message}: the others hear of it, and it goes out here in seq order. */
    void committed(ChatMessage message) {
        long bytes = 2L * message.text().length() + BACKLOG_OVERHEAD;
        if (backlog.addAndGet(bytes) > MAX_BACKLOG) { // delivery is behind: the gap fill reads it from the store
            backlog.addAndGet(-bytes);
            if (missNoted.compareAndSet(false, true)) {
                tasks.execute(() -> {
                    missNoted.set(false);
                    synchronized (this) {
                        stream.missed();
                        afterOffer();
                    }
                });
            }
            return;
        }
        tasks.execute(() -> {
            backlog.addAndGet(-bytes);
            String frame = registry.encoder().encode(message);
            registry.broker().publish(name, Event.message(message.seq(), frame));
            Room current = retired() ? registry.active(name) : null;
            if (current != null && current != this) { // emptied meanwhile and made again: the new one's members get it
                current.event(Event.message(message.seq(), frame));
                return;
            }
            synchronized (this) {
                if (!registry.broker().clustered() && stream.started() && message.seq() <= stream.position()) {
                    stream.restart(message.seq(), frame, this::fanOut); // the store started the room over
                } else {
                    stream.offer(message.seq(), frame, this::fanOut);
                }
                afterOffer();
            }
            registry.meters().latency(ChronoUnit.NANOS.between(message.ts(), Instant.now()));
        });
    }

    /** An event of another node. */
    void event(Event event) {
        tasks.execute(() -> {
            if (event.kind() == Event.Kind.KICK) {
                kick(event.user());
                return;
            }
            if (event.kind() == Event.Kind.CLOSED) {
                closeAll();
                return;
            }
            if (event.kind() == Event.Kind.REPLACED) {
                replace(event.user(), null);
                return;
            }
            synchronized (this) {
                switch (event.kind()) {
                    case MESSAGE -> {
                        stream.offer(event.seq(), event.frame(), this::fanOut);
                        afterOffer();
                    }
                    case JOINED, LEFT, TYPING -> broadcast(event, null);
                    case TAIL -> {
                        if (stream.started() && event.seq() > stream.position()) {
                            resync(); // the other node got further than this one heard
                        }
                    }
                    case KICK, CLOSED, REPLACED -> throw new IllegalStateException("handled above");
                    case DIRECT -> connections(event.user()).forEach(target -> target.direct(event.frame()));
                }
            }
        });
    }

    /**
     * Queues an event's frame for every member but {@code except}, and holds it for every
     * joining connection. A message goes through {@link Connection#deliverMessage}, which
     * skips what a member's welcome had; {@code typing} skips every connection of the user
     * typing (a user's other tabs). Caller holds the monitor.
     */
    private void broadcast(Event event, Connection except) {
        if (event.kind() == Event.Kind.TYPING && byName.containsKey(event.user())) {
            broadcastTyping(event);
            return;
        }
        boolean message = event.kind() == Event.Kind.MESSAGE;
        List<Connection> slow = null;
        Connection[] members = this.members;
        if (message) {
            registry.meters().delivered(members.length);
        }
        Frame frame = Frame.of(event.frame()); // one for all: each socket writes the same bytes
        for (Connection member : members) {
            if (member != except && !(message ? member.deliverMessage(event.seq(), frame)
                    : member.outbox().offer(frame))) {
                slow = add(slow, member);
            }
        }
        for (Connection c : joining) {
            if (c != except) {
                c.hold(event);
            }
        }
        departSlow(slow);
    }

    /** {@code typing} of a user with connections here: not to any of them. Caller holds the monitor. */
    private void broadcastTyping(Event event) {
        List<Connection> slow = null;
        Frame frame = Frame.of(event.frame());
        for (Connection member : members) {
            if (!event.user().equals(member.name()) && !member.outbox().offer(frame)) {
                slow = add(slow, member);
            }
        }
        for (Connection c : joining) {
            if (!event.user().equals(c.name())) {
                c.hold(event);
            }
        }
        departSlow(slow);
    }

    private static List<Connection> add(List<Connection> slow, Connection member) {
        List<Connection> list = slow != null ? slow : new ArrayList<>(2);
        list.add(member);
        return list;
    }

    /** After a fan-out, not during it: one member's departure must not interleave its left with the frame. */
    private static void departSlow(List<Connection> slow) {
        if (slow != null) {
            slow.forEach(Connection::slowConsumer);
        }
    }

    /** Where the stream delivers: one event per message, not per member. */
    private void fanOut(long seq, String frame) {
        broadcast(Event.message(seq, frame), null);
    }

    /** This node's members hear a member's event (typing), and the other nodes too. */
    void share(Event event, Connection from) {
        synchronized (this) {
            broadcast(event, from);
        }
        registry.broker().publish(name, event);
    }

    // ---- gaps ----

    /** Caller holds the monitor. */
    private void afterOffer() {
        if (stream.hasGap() && !fillScheduled) {
            fillScheduled = true;
            registry.schedule(this::fill, GAP_WAIT_MILLIS);
        }
    }

    /** Tells the other nodes how far this room got here (after the broker was away). */
    void tellTail() {
        long position;
        synchronized (this) {
            position = stream.position();
        }
        if (position > 0) {
            registry.broker().publish(name, Event.tail(position));
        }
    }

    /** Events may have been lost: read what the store has after the position, gap or none. */
    void resync() {
        synchronized (this) {
            if (!stream.started()) {
                return;
            }
            if (fillScheduled) {
                readAgain = true; // that fill may have read before what this resync is about was committed
                return;
            }
            fillScheduled = true;
        }
        registry.fillPool().execute(() -> read(true));
    }

    private void fill() {
        registry.fillPool().execute(() -> read(false));
    }

    /** On the fill pool: reads the gap (or, resyncing, everything after the position) and offers it. */
    private void read(boolean resync) {
        OrderedStream.Gap gap;
        synchronized (this) {
            if (retired || (!resync && !stream.hasGap() && !readAgain)) {
                fillScheduled = false;
                return;
            }
            gap = stream.gap();
        }
        List<ChatMessage> found;
        try {
            found = registry.store().following(name, gap.after(), FILL_PAGE);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "filling " + name + " failed, trying again", e);
            synchronized (this) {
                fillScheduled = false;
                if (resync || readAgain) { // the store is away: try the resync again in a second
                    readAgain = false;
                    registry.schedule(this::resync, 1000);
                } else {
                    afterOffer();
                }
            }
            return;
        }
        List<OrderedStream.Filled> frames = new ArrayList<>(found.size());
        for (ChatMessage message : found) {
            frames.add(new OrderedStream.Filled(message.seq(), registry.encoder().encode(message)));
        }
        tasks.execute(() -> {
            synchronized (this) {
                stream.fill(gap, frames, FILL_PAGE, this::fanOut);
                fillScheduled = false;
                if (found.size() >= FILL_PAGE || readAgain) {
                    readAgain = false;
                    resync();
                } else {
                    afterOffer();
                }
            }
        });
        if (!found.isEmpty()) {
            registry.meters().gapFilled(found.size());
            LOG.log(Level.FINE, "{0}: filled {1} message(s) after {2}", new Object[] {name, found.size(), gap.after()});
        }
    }
}
