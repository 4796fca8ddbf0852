package dev.parley.room;

import static dev.parley.protocol.ErrorCode.ALREADY_JOINED;
import static dev.parley.protocol.ErrorCode.BAD_FRAME;
import static dev.parley.protocol.ErrorCode.BAD_ROOM;
import static dev.parley.protocol.ErrorCode.NAME_TAKEN;
import static dev.parley.protocol.ErrorCode.NOT_JOINED;
import static dev.parley.protocol.ErrorCode.NO_SUCH_USER;
import static dev.parley.protocol.ErrorCode.RATE_LIMITED;
import static dev.parley.protocol.ErrorCode.UNAVAILABLE;

import dev.parley.config.ParleyConfig;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundDecoder;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.OutboundEncoder;
import dev.parley.protocol.ProtocolException;
import dev.parley.store.HistoryStore;
import dev.parley.store.StoreException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Owns rooms, presence, sequencing and delivery. The endpoint reports each connection's
 * lifecycle here and this bean decides everything else.
 *
 * <p>Order: a room's seq assignment, store append and fan-out happen under the room's
 * monitor, and each member's {@link Outbox} is FIFO, so every member sees the room's
 * frames in seq order. Fan-out only queues, so a slow member delays nobody.
 */
@ApplicationScoped
public class RoomRegistry {
    private static final Logger LOG = Logger.getLogger(RoomRegistry.class.getName());
    /** The start-up line in an application server; the standalone runner prints its own, with its address. */
    public static final Logger STARTUP = Logger.getLogger("dev.parley.startup");
    private static final Pattern ROOM_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** How many stored messages a plain welcome carries. */
    public static final int WELCOME_HISTORY = 50;

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Set<Member> connections = ConcurrentHashMap.newKeySet();
    private final InboundDecoder decoder = new InboundDecoder();
    private final OutboundEncoder encoder = new OutboundEncoder();
    private ParleyConfig config;
    private HistoryStore store;
    private Admission admission;
    private volatile boolean shuttingDown;
    private ScheduledExecutorService idleCheck;

    protected RoomRegistry() {
        // for the CDI proxy
    }

    @Inject
    public RoomRegistry(ParleyConfig config, HistoryStore store) {
        this.config = config;
        this.store = store;
        this.admission = new Admission(config);
    }

    /**
     * Starts the idle check: Parley's own, so that every container closes a silent
     * connection alike (1000 "idle timeout" after PARLEY_IDLE_TIMEOUT without a frame
     * from the client); containers differ in what they count and which code they send.
     */
    @PostConstruct
    void startIdleCheck() {
        long timeout = config.idleTimeout().toNanos();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), Math.min(TimeUnit.SECONDS.toNanos(1), timeout / 10));
        idleCheck = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "parley-idle-check");
            thread.setDaemon(true);
            return thread;
        });
        idleCheck.scheduleAtFixedRate(() -> closeIdle(timeout), period, period, TimeUnit.NANOSECONDS);
    }

    private void closeIdle(long timeout) {
        try {
            long now = System.nanoTime();
            for (Member member : connections) {
                if (member.silentFor(now) > timeout) {
                    LOG.log(Level.FINE, "{0} idle", member);
                    depart(member, CloseReasons.IDLE);
                }
            }
        } catch (RuntimeException e) { // keep checking: a failure here must not end the schedule
            LOG.log(Level.WARNING, "idle check failed", e);
        }
    }

    /**
     * Opens the store when the application starts, not at the first message: a database
     * that cannot be reached then fails the deployment, with the store's message.
     */
    void openStoreAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        STARTUP.info(() -> "Parley ready (chat at /chat/{room}); store: " + store.describe() + "; "
                + config.describeLimits());
    }

    // ---- connection lifecycle, called by the endpoint ----

    /** A new connection to {@code roomName}; the endpoint passes the result to the other calls. */
    public Member open(Session session, String roomName) {
        // Parley closes idle connections itself (see startIdleCheck), so the container's
        // timeout is off (negative: none). Not 0: for a session without a timeout Tyrus
        // schedules a timer task on every frame sent or received
        session.setMaxIdleTimeout(-1);
        session.setMaxTextMessageBufferSize(config.maxFrameBytes());
        session.setMaxBinaryMessageBufferSize(config.maxFrameBytes());
        Member member = new Member(session, roomName, config.sendQueue(), config.sendBuffer(), config.rateLimit());
        CloseReason refused;
        if (shuttingDown) {
            member.outbox().closeNow(CloseReasons.SHUTTING_DOWN);
        } else if ((refused = admission.admit(member, session)) != null) {
            LOG.log(Level.FINE, "{0} refused: {1}", new Object[] {member, refused.getReasonPhrase()});
            member.outbox().closeNow(refused);
        } else if (!ROOM_NAME.matcher(roomName).matches()) {
            admission.release(member);
            send(member, new Outbound.Error(BAD_ROOM, "A room name matches [a-z0-9][a-z0-9_-]{0,63}.", null));
            member.outbox().closeWhenDrained(CloseReasons.BAD_ROOM);
        } else {
            connections.add(member);
        }
        return member;
    }

    public void receive(Member member, String frame) {
        RateLimit.Verdict verdict = admit(member, utf8Length(frame, config.maxFrameBytes()));
        if (verdict == null) {
            return;
        }
        try {
            Inbound inbound = decode(member, frame);
            if (verdict == RateLimit.Verdict.REFUSE) {
                throw new ProtocolException(RATE_LIMITED, "Too many frames: wait a moment before sending more.",
                        inbound.type(), cidOf(inbound));
            }
            handle(member, inbound);
        } catch (ProtocolException e) {
            LOG.log(Level.FINE, "{0}: {1}", new Object[] {member, e.getMessage()});
            send(member, e.toFrame());
        } catch (RuntimeException | Error e) { // Parley's own failure: this connection pays, its room goes on
            LOG.log(Level.WARNING, "Closing " + member + " after an unexpected failure", e);
            depart(member, CloseReasons.SERVER_ERROR);
        }
    }

    public void receiveBinary(Member member, int length) {
        if (admit(member, length) != null) {
            send(member, new Outbound.Error(BAD_FRAME, "Frames are JSON text; binary frames are not accepted.", null));
        }
    }

    /**
     * What every frame goes through first: it counts for the idle check, a frame over the
     * size limit closes with 1009, and it is taken from the rate limit.
     *
     * @return the rate limit's verdict, or null when the connection was closed for it
     */
    private RateLimit.Verdict admit(Member member, long bytes) {
        member.heard();
        if (bytes > config.maxFrameBytes()) {
            depart(member, CloseReasons.TOO_BIG);
            return null;
        }
        RateLimit.Verdict verdict = member.rateLimit().take();
        if (verdict == RateLimit.Verdict.FLOODING) {
            depart(member, CloseReasons.FLOODING);
            return null;
        }
        return verdict;
    }

    /** The connection closed, whatever the cause. */
    public void closed(Member member, CloseReason reason) {
        LOG.log(Level.FINE, "{0} closed: {1}", new Object[] {member, reason});
        depart(member, null);
    }

    /**
     * The container reports a failure of the connection. A failure before the connection
     * had a member is Parley's own (its {@code open} failed): logged, and the connection
     * closed with 1011, since nothing would ever close it. Any later one the container
     * closes the connection for, so it is only noted.
     */
    public void failed(Session session, Member member, Throwable failure) {
        if (member != null) {
            LOG.log(Level.FINE, member + " failed", failure);
            return;
        }
        LOG.log(Level.WARNING, "A connection to " + session.getRequestURI() + " failed to open", failure);
        try {
            session.close(CloseReasons.SERVER_ERROR);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "close failed", e);
        }
    }

    /** Closes every connection with 1001. */
    @PreDestroy
    public void shutdown() {
        shuttingDown = true;
        if (idleCheck != null) {
            idleCheck.shutdownNow();
        }
        for (Member member : connections) {
            member.outbox().closeWhenDrained(CloseReasons.SHUTTING_DOWN);
        }
    }

    // ---- frames ----

    private Inbound decode(Member member, String frame) throws ProtocolException {
        Inbound inbound;
        try {
            inbound = decoder.decode(frame);
        } catch (ProtocolException e) {
            // a frame this connection may not send at all gets the state error, even if malformed
            ProtocolException stateError = stateError(member, e.type(), e.cid());
            throw stateError != null ? stateError : e;
        }
        ProtocolException stateError = stateError(member, inbound.type(), cidOf(inbound));
        if (stateError != null) {
            throw stateError;
        }
        return inbound;
    }

    private static ProtocolException stateError(Member member, InboundType type, String cid) {
        if (type == null) {
            return null;
        }
        if (!member.isJoined() && !type.allowedBeforeJoin()) {
            return new ProtocolException(NOT_JOINED, "Send join first.", type, cid);
        }
        if (member.isJoined() && type == InboundType.JOIN) {
            return new ProtocolException(ALREADY_JOINED, "This connection has joined already.", type, cid);
        }
        return null;
    }

    private static String cidOf(Inbound inbound) {
        if (inbound instanceof Inbound.Message) {
            return ((Inbound.Message) inbound).cid();
        }
        if (inbound instanceof Inbound.Direct) {
            return ((Inbound.Direct) inbound).cid();
        }
        return null;
    }

    private void handle(Member member, Inbound inbound) throws ProtocolException {
        if (inbound instanceof Inbound.Message) {
            message(member, (Inbound.Message) inbound);
        } else if (inbound instanceof Inbound.Typing) {
            typing(member);
        } else if (inbound instanceof Inbound.Ping) {
            send(member, new Outbound.Pong(((Inbound.Ping) inbound).frame()));
        } else if (inbound instanceof Inbound.Join) {
            join(member, (Inbound.Join) inbound);
        } else if (inbound instanceof Inbound.Direct) {
            direct(member, (Inbound.Direct) inbound);
        } else if (inbound instanceof Inbound.History) {
            history(member, (Inbound.History) inbound);
        } else if (inbound instanceof Inbound.Rooms) {
            send(member, new Outbound.Rooms(occupancy()));
        }
    }

    private void join(Member member, Inbound.Join join) throws ProtocolException {
        String user = join.user();
        while (true) {
            Room room = rooms.computeIfAbsent(member.roomName(), name -> new Room(name, store));
            synchronized (room) {
                if (room.isRetired()) {
                    continue; // emptied and removed meanwhile: take the new one
                }
                try {
                    if (room.member(user) != null) {
                        throw new ProtocolException(NAME_TAKEN, "The name \"" + user + "\" is in use in this room.",
                                InboundType.JOIN, null);
                    }
                    Outbound.Welcome welcome = welcome(room, user, join);
                    if (!member.enter(room, user)) {
                        return; // the connection closed meanwhile
                    }
                    room.add(user, member);
                    send(member, welcome);
                    broadcast(room, encoder.encode(new Outbound.Joined(room.name(), user, room.size(), Instant.now())),
                            member);
                    return;
                } finally {
                    if (room.size() == 0) { // the join made the room and failed: nobody holds it
                        retire(room);
                    }
                }
            }
        }
    }

    /** Caller holds the room's monitor, so no message falls between history and live frames. */
    private Outbound.Welcome welcome(Room room, String user, Inbound.Join join) throws ProtocolException {
        try {
            return readWelcome(room, user, join);
        } catch (StoreException e) {
            throw unavailable(InboundType.JOIN, null, e);
        }
    }

    private Outbound.Welcome readWelcome(Room room, String user, Inbound.Join join) {
        long newest = room.lastSeq();
        Boolean recovered = null;
        List<ChatMessage> history = null;
        if (join.since().isPresent()) {
            Optional<List<ChatMessage>> missed = store.after(room.name(), join.since().getAsLong(), config.recoveryCap());
            recovered = missed.isPresent();
            history = missed.orElse(null);
        }
        if (history == null) {
            history = store.before(room.name(), newest + 1, WELCOME_HISTORY);
        }
        List<String> users = room.names(); // the joiner is added after this succeeded
        users.add(user);
        users.sort(null);
        return new Outbound.Welcome(room.name(), user, users, history, recovered);
    }

    /**
     * Seq assignment, storage and delivery, in that order: the seq is taken under the
     * room's monitor, the store appends, and only once it has stored the message does
     * the sender get its ack and the room the message. The store completes appends in
     * order (at once for memory, after each group commit for JDBC), so delivery keeps
     * seq order.
     */
    private void message(Member member, Inbound.Message message) throws ProtocolException {
        Room room = member.room();
        synchronized (room) {
            long seq;
            try {
                seq = room.lastSeq() + 1;
            } catch (StoreException e) {
                throw unavailable(InboundType.MESSAGE, message.cid(), e);
            }
            ChatMessage chat = new ChatMessage(room.name(), seq, member.name(), message.text(), Instant.now());
            room.advanceTo(seq);
            store.append(chat).whenComplete((stored, failure) -> stored(room, member, chat, message.cid(), failure));
        }
    }

    private void stored(Room room, Member sender, ChatMessage chat, String cid, Throwable failure) {
        try {
            synchronized (room) {
                if (failure != null) {
                    room.forgetSeq();
                    LOG.log(Level.FINE, "not stored: {0}", failure.getMessage());
                    send(sender, new Outbound.Error(UNAVAILABLE, "The message could not be stored; send it again.", cid));
                    return;
                }
                if (cid != null) {
                    send(sender, new Outbound.Ack(cid, chat.seq()));
                }
                broadcast(room, encoder.encode(chat), null);
            }
        } catch (RuntimeException | Error e) { // on the store's thread, whose stage would swallow it: log it
            LOG.log(Level.WARNING, "Delivery of " + chat.room() + "#" + chat.seq() + " failed", e);
        }
    }

    private static ProtocolException unavailable(InboundType type, String cid, StoreException cause) {
        LOG.log(Level.FINE, "store unavailable: {0}", cause.getMessage());
        return new ProtocolException(UNAVAILABLE, "The history store is unavailable right now; try again shortly.",
                type, cid);
    }

    private void direct(Member member, Inbound.Direct direct) throws ProtocolException {
        Room room = member.room();
        synchronized (room) {
            Member target = room.member(direct.to());
            if (target == null) {
                throw new ProtocolException(NO_SUCH_USER, "Nobody named \"" + direct.to() + "\" is in this room.",
                        InboundType.DIRECT, direct.cid());
            }
            String frame = encoder.encode(
                    new Outbound.Direct(room.name(), member.name(), target.name(), direct.text(), Instant.now()));
            send(target, frame);
            if (target != member) {
                send(member, frame);
            }
        }
    }

    private void typing(Member member) {
        Room room = member.room();
        synchronized (room) {
            broadcast(room, encoder.encode(new Outbound.Typing(room.name(), member.name())), member);
        }
    }

    private void history(Member member, Inbound.History request) throws ProtocolException {
        String room = member.roomName();
        long before = request.before().orElse(Long.MAX_VALUE);
        try {
            send(member, new Outbound.History(room, store.before(room, before, request.limit())));
        } catch (StoreException e) {
            throw unavailable(InboundType.HISTORY, null, e);
        }
    }

    /** The rooms with at least one member, sorted by name, with their member counts. */
    public List<Outbound.RoomCount> occupancy() {
        List<Outbound.RoomCount> counts = new ArrayList<>();
        for (Room room : rooms.values()) {
            int size = room.size();
            if (size > 0) {
                counts.add(new Outbound.RoomCount(room.name(), size));
            }
        }
        counts.sort(Comparator.comparing(Outbound.RoomCount::room));
        return counts;
    }

    // ---- delivery ----

    /**
     * Queues one encoded frame for every member but {@code except}; members whose queue
     * is full depart as slow consumers. Caller holds the room's monitor.
     */
    private void broadcast(Room room, String frame, Member except) {
        List<Member> slow = null;
        for (Member member : room.members()) {
            if (member != except && !member.outbox().offer(frame)) {
                if (slow == null) {
                    slow = new ArrayList<>(2);
                }
                slow.add(member);
            }
        }
        if (slow != null) {
            slow.forEach(this::slowConsumer);
        }
    }

    private void send(Member member, Outbound frame) {
        send(member, encoder.encode(frame));
    }

    private void send(Member member, String frame) {
        if (!member.outbox().offer(frame)) {
            slowConsumer(member);
        }
    }

    /** One line per connection dropped for not reading: operators want to see those. */
    private void slowConsumer(Member member) {
        LOG.log(Level.INFO, "Closing {0}: its queued frames ({1} at most, {2} KiB) were not read in time",
                new Object[] {member, config.sendQueue(), config.sendBuffer() / 1024});
        depart(member, CloseReasons.SLOW_CONSUMER);
    }

    /**
     * Takes the member out of its room, once, and tells the others with {@code left}.
     * Closes the connection with {@code close} unless that is null (it closed already).
     */
    private void depart(Member member, CloseReason close) {
        Room room = member.depart(); // the room only the first time
        if (connections.remove(member)) {
            admission.release(member);
        }
        if (close != null) {
            member.outbox().closeNow(close); // containers may call @OnClose, so depart again, from in here
        }
        if (room == null || shuttingDown) {
            return;
        }
        synchronized (room) {
            if (!room.remove(member.name(), member)) {
                return;
            }
            if (room.size() == 0) {
                retire(room);
            } else {
                broadcast(room, encoder.encode(new Outbound.Left(room.name(), member.name(), room.size(), Instant.now())),
                        null);
            }
        }
    }

    /** An empty room leaves the registry. Caller holds its monitor. */
    private void retire(Room room) {
        room.retire();
        rooms.remove(room.name(), room);
    }

    /** The UTF-8 length of s, or some number above max as soon as it is clearly above. */
    private static long utf8Length(String s, int max) {
        int chars = s.length();
        if (chars > max) {
            return chars;
        }
        if ((long) chars * 3 <= max) {
            return chars; // cannot be over: at most 3 bytes per UTF-16 unit
        }
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
