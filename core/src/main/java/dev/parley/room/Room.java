package dev.parley.room;

import dev.parley.broker.Event;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Logged;
import dev.parley.protocol.Outbound;
import dev.parley.store.Sanction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
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
 * or the broker's thread; but a message the store decided at once (the memory store), in
 * a room of at most {@link #FAN_OUT_HERE_MEMBERS} members, goes out on the thread that
 * posted it, the one that read the frame, when the room has nothing else under way: that
 * saves the pool's hand-off, a wake-up and two context switches a message, which cost a
 * room of 20 more than a tenth of its CPU (docs/PERFORMANCE.md, step 5). Fan-out only
 * queues (each connection's {@link Outbox}), so a slow member delays nobody.
 *
 * <p>A connection that is joining is held here from before its name is claimed until
 * its {@code welcome} is out: what the room delivers meanwhile is held for it in the
 * {@link Members}, and follows the welcome. So no lock is held while the welcome's
 * history is read.
 *
 * <p>The monitor is the room's own: nothing outside takes it, and under it the room calls
 * only its {@link Members}, its {@link OrderedStream}, the members' outboxes, the store's
 * {@code note} (a queue's offer, or the memory store's lock), its {@link PresenceBatch},
 * the encoder and the timer (a presence frame, a fill's schedule) and, when it empties,
 * {@link Rooms#retire} (a concurrent map's removal and the broker's unsubscribe; none of
 * them calls back into a room).
 */
final class Room {
    private static final Logger LOG = Logger.getLogger(Room.class.getName());
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
    /**
     * The most members a room may have for a message to go out on the thread that posted
     * it: past it the fan-out is long enough that the hand-off is nothing beside it, and
     * it would hold up the other sockets of that thread.
     */
    static final int FAN_OUT_HERE_MEMBERS = 64;
    /** How long a fill waits at most for this node's posts that its read may have found to be decided. */
    static final long POSTED_WAIT_MILLIS = 5_000;
    private static final long POSTED_CHECK_MILLIS = 5;

    private final String name;
    private final Chat chat;
    private final Rooms rooms;
    private final SerialExecutor tasks;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean missNoted = new AtomicBoolean();
    /** This node's posts here that the store has not decided yet, by ticket (see {@link #posting}). */
    private final ConcurrentSkipListSet<Long> posting = new ConcurrentSkipListSet<>();
    private final AtomicLong tickets = new AtomicLong();

    // guarded by this
    private final Members members;
    private final OrderedStream stream;
    private boolean retired;
    private boolean fillScheduled;
    private boolean readAgain; // a resync came while a fill was on its way: read once more after it

    private volatile boolean closed; // by an administrator: joins are refused
    /** The mutes and bans in force here: read from the store as the room starts, kept by moderators' commands from any node. */
    private final Sanctions sanctions = new Sanctions();

    Room(String name, Chat chat, Rooms rooms) {
        this.name = name;
        this.chat = chat;
        this.rooms = rooms;
        this.tasks = new SerialExecutor(chat.threads().delivery());
        this.members = new Members(chat.config().sendQueue(), chat.config().sendBuffer());
        this.stream = new OrderedStream(chat.config().sendQueue(), chat.config().sendBuffer());
    }

    String name() {
        return name;
    }

    /** This node's member connections of the room now. */
    int memberCount() {
        return members.count();
    }

    /** This node's members' names, sorted. */
    synchronized List<String> memberNames() {
        return members.names();
    }

    /** Whether an administrator closed the room: a join is refused. */
    boolean closedToJoins() {
        return closed;
    }

    // ---- moderation ----

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

    /** Closes {@code user}'s connections here, members or joining, with 1008; false if it has none here. */
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
            all = members.connections();
        }
        all.forEach(connection -> connection.depart(CloseReasons.ROOM_CLOSED));
        return all.size();
    }

    /** Until when {@code user} is muted here, or null. */
    Instant mutedUntil(String user) {
        return sanctions.until(user, Sanction.Kind.MUTE, Instant.now());
    }

    /** Until when {@code user} is banned from here ({@link Instant#MAX}: for ever), or null. */
    Instant bannedUntil(String user) {
        return sanctions.until(user, Sanction.Kind.BAN, Instant.now());
    }

    /**
     * A moderator (here or on another node) muted or banned {@code user} until {@code until},
     * or lifted it (null). A ban closes the user's connections here.
     */
    void sanctioned(String user, Sanction.Kind kind, Instant until) {
        sanctions.put(user, kind, until);
        if (kind == Sanction.Kind.BAN && until != null) {
            for (Connection banned : connections(user)) {
                banned.refuse(new Outbound.Error(ErrorCode.FORBIDDEN, Sanctions.banned(until), null), CloseReasons.BANNED);
            }
        }
    }

    // ---- start: subscribed, then the position read, before anyone joins ----

    /** Run by the connection that made the room: subscribes, then starts delivery after the store's last seq. */
    void start() {
        try {
            chat.broker().subscribe(name);
            closed = chat.store().closed(name);
            sanctions.load(chat.store().sanctions(name, Instant.now()));
            long last = chat.store().lastSeq(name);
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
        members.hold(connection);
        return true;
    }

    /** The seq a joining connection's welcome must reach at least: what the room has delivered. */
    synchronized long position() {
        return stream.position();
    }

    /**
     * Sends the welcome, then what was held for the connection, and makes it a member;
     * then, if it is the user's first connection ({@code first}), tells the others it
     * joined. False if it left meanwhile. A connection whose queue could not take what was
     * held for it is closed as a slow consumer once it is in.
     */
    boolean admit(Connection connection, String welcome, Outbound.Welcome content, long floor, int count, boolean first) {
        Event joined = first ? new Event(Event.Kind.JOINED, count, connection.name(),
                chat.encoder().encode(new Outbound.Joined(name, connection.name(), count, Instant.now()))) : null;
        Members.Admitted admitted;
        List<Connection> slow = null;
        synchronized (this) {
            admitted = members.admit(connection, welcome, content, floor);
            if (admitted == Members.Admitted.NO) {
                retireIfEmpty();
                return false;
            }
            if (joined != null) {
                chat.store().note(name, joined.frame()); // before anyone here hears it, so before what they answer
                slow = announce(joined, connection);
            }
        }
        departSlow(slow);
        if (joined != null) {
            chat.broker().publish(name, joined);
        }
        if (admitted == Members.Admitted.SLOW) {
            connection.slowConsumer();
        }
        return true;
    }

    /**
     * The connection leaves (joined or still joining). A member's claim is given back and,
     * if it was the user's last connection, the others hear {@code left}; the last one out
     * retires the room.
     * <p>
     * A departure that comes from inside the room's own work (a send to a member whose
     * socket is gone fails at once, during a fan-out or another member's {@code left}) is
     * announced in the room's next task: otherwise each dead member's {@code left} would
     * find the next one dead inside it, nesting as deep as the room has dead members.
     */
    void leave(Connection connection, boolean member) {
        boolean inside = Thread.holdsLock(this);
        synchronized (this) {
            boolean held = members.dropJoining(connection);
            boolean removed = member && members.drop(connection);
            if (!held && !removed) {
                return;
            }
            retireIfEmpty();
        }
        if (!member) {
            return;
        }
        String user = connection.name();
        if (inside) {
            tasks.execute(() -> release(user));
        } else {
            release(user);
        }
    }

    /** Gives back {@code user}'s claim; the others hear {@code left} if it was its last connection. */
    private void release(String user) {
        chat.broker().release(name, user).whenComplete((count, failure) -> {
            int left = failure != null ? members.count() : count;
            if (failure == null && count < 0) {
                return; // the user has other connections, or its left went out already
            }
            left(user, left);
        });
    }

    /** Tells this node's members and the other nodes that {@code user} left, {@code count} remaining. */
    void left(String user, int count) {
        forgetRead(user);
        Event left = new Event(Event.Kind.LEFT, count, user,
                chat.encoder().encode(new Outbound.Left(name, user, count, Instant.now())));
        chat.store().note(name, left.frame()); // before anyone hears it, so before what they answer
        List<Connection> slow;
        synchronized (this) {
            slow = announce(left, null);
        }
        departSlow(slow);
        chat.broker().publish(name, left);
    }

    /** Caller holds the monitor. */
    private void retireIfEmpty() {
        if (members.isEmpty() && !retired) {
            retired = true;
            rooms.retire(this);
        }
    }

    /** The connections of {@code user} here, members and joining. */
    synchronized List<Connection> connections(String user) {
        return members.connections(user);
    }

    /** A direct message for these connections of the room: queued, or held for those joining. */
    void direct(List<Connection> targets, String user, String frame) {
        List<Connection> slow;
        synchronized (this) {
            slow = members.direct(targets, Event.of(Event.Kind.DIRECT, user, frame));
        }
        departSlow(slow);
    }

    /** Retired: emptied, out of the registry, and the room of nobody any more. */
    synchronized boolean retired() {
        return retired;
    }

    // ---- delivery ----

    /**
     * A connection here posts an entry: its ticket, given back with {@link #posted} once
     * the store decided (and the sender had its ack). The entry is in the store from its
     * commit, a moment before that; a gap fill that read it then would deliver it to its
     * sender before the ack, so a fill delivers only once the posts it may have seen are
     * decided.
     */
    long posting() {
        long ticket = tickets.incrementAndGet();
        posting.add(ticket);
        return ticket;
    }

    void posted(long ticket) {
        posting.remove(ticket);
    }

    /**
     * Runs {@code then} once every post up to {@code ticket} is decided, or after
     * {@link #POSTED_WAIT_MILLIS} (a store that takes longer is failing anyway).
     */
    private void afterPosts(long ticket, long deadline, Runnable then) {
        Long oldest = posting.ceiling(0L);
        if (oldest == null || oldest > ticket || System.nanoTime() - deadline > 0) {
            then.run();
        } else {
            chat.threads().schedule(() -> afterPosts(ticket, deadline, then), POSTED_CHECK_MILLIS);
        }
    }

    /**
     * This node stored {@code message} (or an event of the log): the others hear of it, and
     * it goes out here in seq order. {@code here}: the store decided on the thread that
     * posted it, which may then deliver it too.
     */
    void committed(Logged message, boolean here) {
        long bytes = 2L * (message instanceof ChatMessage m ? m.text().length()
                : message instanceof Logged.Edit e ? e.text().length() : 0) + BACKLOG_OVERHEAD;
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
        Runnable deliver = () -> {
            backlog.addAndGet(-bytes);
            String frame = chat.encoder().encode(message);
            chat.broker().publish(name, Event.message(message.seq(), frame));
            Room current = retired() ? rooms.active(name) : null;
            if (current != null && current != this) { // emptied meanwhile and made again: the new one's members get it
                current.event(Event.message(message.seq(), frame));
                return;
            }
            // counted before the fan-out, so that whoever has the message finds its sample there
            chat.meters().latency(ChronoUnit.NANOS.between(message.ts(), Instant.now()));
            synchronized (this) {
                if (!chat.broker().clustered() && stream.started() && message.seq() <= stream.position()) {
                    stream.restart(message.seq(), frame, this::fanOut); // the store started the room over
                } else {
                    stream.offer(message.seq(), frame, this::fanOut);
                }
                afterOffer();
            }
        };
        if (here && members.count() <= FAN_OUT_HERE_MEMBERS) {
            tasks.runHereOrExecute(deliver);
        } else {
            tasks.execute(deliver);
        }
    }

    /** An event of another node. */
    void event(Event event) {
        tasks.execute(() -> {
            switch (event.kind()) {
                case KICK -> kick(event.user());
                case SANCTION -> sanctioned(event.user(), Sanction.Kind.valueOf(event.frame()),
                        event.seq() == 0 ? null : Sanction.instant(event.seq()));
                case CLOSED -> closeAll();
                case REPLACED -> replace(event.user(), null);
                case DIRECT -> direct(connections(event.user()), event.user(), event.frame());
                case MESSAGE -> {
                    synchronized (this) {
                        stream.offer(event.seq(), event.frame(), this::fanOut);
                        afterOffer();
                    }
                }
                case JOINED, LEFT -> {
                    List<Connection> slow;
                    synchronized (this) {
                        slow = announce(event, null);
                    }
                    departSlow(slow);
                }
                case PRESENCE -> {
                    // a node's own: never published
                }
                case TYPING, READ -> {
                    List<Connection> slow;
                    synchronized (this) {
                        slow = members.broadcast(event, null);
                    }
                    departSlow(slow);
                }
                case TAIL -> {
                    synchronized (this) {
                        if (stream.started() && event.seq() > stream.position()) {
                            resync(); // the other node got further than this one heard
                        }
                    }
                }
            }
        });
    }

    /** After a fan-out, not during it: one member's departure must not interleave its left with the frame. */
    private static void departSlow(List<Connection> slow) {
        if (slow != null) {
            slow.forEach(Connection::slowConsumer);
        }
    }

    /**
     * Where the stream delivers, under the monitor: one event per message, not per member.
     * The members it found slow depart in the room's next task, after the monitor.
     */
    private void fanOut(long seq, String frame) {
        chat.meters().delivered(members.count());
        List<Connection> slow = members.broadcast(Event.message(seq, frame), null);
        if (slow != null) {
            tasks.execute(() -> departSlow(slow));
        }
    }

    /** This node's members hear a member's event (typing), and the other nodes too. */
    void share(Event event, Connection from) {
        List<Connection> slow;
        synchronized (this) {
            slow = members.broadcast(event, from);
        }
        departSlow(slow);
        chat.broker().publish(name, event);
    }

    // ---- presence: a frame per change in a small room, coalesced in a large one ----

    /** How often a large room's {@code presence} frame goes out at most. */
    static final long PRESENCE_INTERVAL_MILLIS = 1000;

    private final PresenceBatch presence = new PresenceBatch(); // guarded by this
    private long presenceSentAt = Long.MIN_VALUE / 2;           // guarded by this; ms of System.nanoTime
    private int presenceSaid = -1;                              // guarded by this; the count the last frame said
    private boolean presenceScheduled;                          // guarded by this

    /**
     * Caller holds the monitor. A user came or went ({@code change}, its seq the room's
     * count after it over every node): in a room that is not large its frame goes to every
     * member but {@code except}, after any coalesced frame still waiting; in a large one it
     * waits for the next {@code presence} frame, at most one a second.
     *
     * @return the members whose queue was full, or null
     */
    private List<Connection> announce(Event change, Connection except) {
        int count = (int) change.seq();
        if (!chat.config().large(count)) {
            List<Connection> slow = flushPresence();
            List<Connection> more = members.broadcast(change, except);
            presenceSaid = count;
            if (slow == null || more == null) {
                return slow == null ? more : slow;
            }
            slow.addAll(more);
            return slow;
        }
        if (change.kind() == Event.Kind.JOINED) {
            presence.joined(change.user(), count);
        } else {
            presence.left(change.user(), count);
        }
        if (!presenceScheduled) {
            presenceScheduled = true;
            long delay = Math.max(0, presenceSentAt + PRESENCE_INTERVAL_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
            chat.threads().schedule(() -> chat.threads().work().execute(this::sendPresence), delay);
        }
        return null;
    }

    /** Caller holds the monitor: the coalesced frame, if a change waits (and it says something new). */
    private List<Connection> flushPresence() {
        if (!presence.waiting()) {
            return null;
        }
        Outbound.Presence frame = presence.take(name, Instant.now());
        presenceSentAt = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        if (frame.joined().isEmpty() && frame.left().isEmpty() && frame.more() == 0 && frame.count() == presenceSaid) {
            return null; // what came went again
        }
        presenceSaid = frame.count();
        return members.broadcast(new Event(Event.Kind.PRESENCE, 0, "", chat.encoder().encode(frame)), null);
    }

    /** On the work pool, a second after the last frame at most: what waits goes out. */
    private void sendPresence() {
        List<Connection> slow;
        synchronized (this) {
            presenceScheduled = false;
            slow = flushPresence();
        }
        departSlow(slow);
    }

    // ---- read positions: at most one read frame a second per user, never going back ----

    /** One user's read position here: what went out, what waits, and when it may go. Guarded by the room. */
    private static final class ReadMark {
        long highest;          // sent or waiting
        long waiting;          // 0: nothing waits
        Connection from;       // the connection that told the waiting position: it does not hear it back
        long sentAt = Long.MIN_VALUE / 2;
        boolean scheduled;
    }

    private final Map<String, ReadMark> reads = new HashMap<>(); // guarded by this; a member's entry, dropped as it leaves

    /** How often a user's read position goes out at most. */
    static final long READ_INTERVAL_MILLIS = 1000;

    /**
     * {@code from}'s user has seen the room up to {@code seq} (no further than the room has
     * delivered here). Coalesced: the newest position goes out at most once a second per
     * user, and only if it is above what went out.
     */
    void read(Connection from, long seq) {
        String user = from.name();
        long delay;
        synchronized (this) {
            long seen = Math.min(seq, stream.position());
            ReadMark mark = reads.computeIfAbsent(user, u -> new ReadMark());
            if (seen <= mark.highest) {
                return;
            }
            mark.highest = seen;
            mark.waiting = seen;
            mark.from = from;
            if (mark.scheduled) {
                return;
            }
            mark.scheduled = true;
            delay = Math.max(0, mark.sentAt + READ_INTERVAL_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime()));
        }
        if (delay == 0) {
            chat.threads().work().execute(() -> sendRead(user));
        } else {
            chat.threads().schedule(() -> chat.threads().work().execute(() -> sendRead(user)), delay);
        }
    }

    /** On the work pool: keeps the waiting position, and if the store took it as news, tells the room. */
    private void sendRead(String user) {
        long seq;
        Connection from;
        synchronized (this) {
            ReadMark mark = reads.get(user);
            if (mark == null || mark.waiting == 0) {
                return;
            }
            seq = mark.waiting;
            from = mark.from;
            mark.waiting = 0;
            mark.from = null;
            mark.scheduled = false;
            mark.sentAt = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
            if (members.connections(user).isEmpty()) {
                reads.remove(user); // it left while this waited
            }
        }
        try {
            if (!chat.store().markRead(name, user, seq)) {
                return; // not above what is kept: another node or tab said more already
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "read position of {0} in {1} not kept: {2}", new Object[] {user, name, e.getMessage()});
            return;
        }
        Event read = new Event(Event.Kind.READ, seq, user, chat.encoder().encode(new Outbound.Read(name, user, seq)));
        List<Connection> slow;
        synchronized (this) {
            slow = members.broadcast(read, from);
        }
        departSlow(slow);
        chat.broker().publish(name, read);
    }

    /** The user's last connection here left: its read mark goes, once what waits went out. */
    private synchronized void forgetRead(String user) {
        ReadMark mark = reads.get(user);
        if (mark != null && !mark.scheduled) {
            reads.remove(user);
        }
    }

    // ---- gaps ----

    /** Caller holds the monitor. */
    private void afterOffer() {
        if (stream.hasGap() && !fillScheduled) {
            fillScheduled = true;
            chat.threads().schedule(this::fill, GAP_WAIT_MILLIS);
        }
    }

    /** Tells the other nodes how far this room got here (after the broker was away). */
    void tellTail() {
        long position;
        synchronized (this) {
            position = stream.position();
        }
        if (position > 0) {
            chat.broker().publish(name, Event.tail(position));
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
        chat.threads().fill().execute(() -> read(true));
    }

    private void fill() {
        chat.threads().fill().execute(() -> read(false));
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
        List<Logged> found;
        try {
            found = chat.store().following(name, gap.after(), FILL_PAGE);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "filling " + name + " failed, trying again", e);
            synchronized (this) {
                fillScheduled = false;
                if (resync || readAgain) { // the store is away: try the resync again in a second
                    readAgain = false;
                    chat.threads().schedule(this::resync, 1000);
                } else {
                    afterOffer();
                }
            }
            return;
        }
        List<OrderedStream.Filled> frames = new ArrayList<>(found.size());
        for (Logged message : found) {
            frames.add(new OrderedStream.Filled(message.seq(), chat.encoder().encode(message)));
        }
        // what the read found was posted by a ticket up to this one at the latest
        afterPosts(tickets.get(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POSTED_WAIT_MILLIS), () -> tasks.execute(() -> {
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
        }));
        if (!found.isEmpty()) {
            chat.meters().gapFilled(found.size());
            LOG.log(Level.FINE, "{0}: filled {1} message(s) after {2}", new Object[] {name, found.size(), gap.after()});
        }
    }
}
