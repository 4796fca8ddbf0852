package dev.parley.room;

import static dev.parley.protocol.ErrorCode.ALREADY_JOINED;
import static dev.parley.protocol.ErrorCode.BAD_FRAME;
import static dev.parley.protocol.ErrorCode.BAD_ROOM;
import static dev.parley.protocol.ErrorCode.NAME_TAKEN;
import static dev.parley.protocol.ErrorCode.NOT_JOINED;
import static dev.parley.protocol.ErrorCode.NO_SUCH_USER;
import static dev.parley.protocol.ErrorCode.RATE_LIMITED;
import static dev.parley.protocol.ErrorCode.UNAUTHORIZED;
import static dev.parley.protocol.ErrorCode.UNAVAILABLE;

import dev.parley.broker.Broker;
import dev.parley.broker.BrokerException;
import dev.parley.broker.Event;
import dev.parley.identity.Identity;
import dev.parley.identity.TokenException;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;
import dev.parley.store.StoreException;
import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One chat connection, from its open to its close: admission, the idle clock, the rate
 * limit, decoding, the join state machine and what each frame does. The endpoint hands
 * it every frame; its room does the delivery.
 *
 * <p>States: {@code OPEN} (not joined; only frames allowed before a join), {@code JOINING}
 * (name being claimed and welcome read; what the room delivers meanwhile is held),
 * {@code JOINED}, {@code GONE} (departed, once, whatever the cause). A join that fails
 * goes back to {@code OPEN}, so the client may try another name.
 */
public final class Connection {
    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    enum State { OPEN, JOINING, JOINED, GONE }

    private final RoomRegistry registry;
    private final String roomName;
    private final Peer peer;
    /** What the transport said the client has seen (Handshake#lastSeen): a join's since by default. */
    private final long lastSeen;
    private final Outbox outbox;
    private final RateLimit rateLimit;
    private volatile long lastHeard = System.nanoTime();
    private String countedAt; // the address this connection counts against, set once at admission

    // guarded by this; read without it by the room's fan-out (set before the connection is a member)
    private volatile State state = State.OPEN;
    private volatile String name;
    private volatile Room room;
    private volatile Identity identity; // identity on: what the token of the join, or of the last auth, says
    private boolean refusing; // an error went out and the connection closes after it; guarded by this
    /** Messages up to this seq were in the welcome: the room's stream may still deliver some, and they are skipped. */
    private long floor = -1;
    private List<Event> held; // what the room delivered while joining
    private long heldBytes;
    private boolean heldTooMuch;

    /** Frames that came while a frame that waits is answered; guarded by this. */
    private record Waiting(String frame, RateLimit.Verdict verdict) {
    }

    private boolean answering; // a frame that waits is answered on the work pool; guarded by this
    private ArrayDeque<Waiting> waiting; // made when first needed: most connections never need it
    private long waitingBytes;

    Connection(RoomRegistry registry, Peer peer, String roomName, long lastSeen) {
        this.registry = registry;
        this.roomName = roomName;
        this.peer = peer;
        this.lastSeen = lastSeen;
        this.outbox = new Outbox(peer, registry.config().sendQueue(), registry.config().sendBuffer());
        this.rateLimit = RateLimit.of(registry.config().rateLimit());
    }

    /** The member's name, or null before a join was tried. */
    public String name() {
        return name;
    }

    /** The transport's name ({@link Peer#transport}). */
    String transport() {
        return peer.transport();
    }

    Outbox outbox() {
        return outbox;
    }

    String countedAt() {
        return countedAt;
    }

    void countedAt(String address) {
        countedAt = address;
    }

    /** How long the client has been silent, as of {@code now} (System.nanoTime). */
    long silentFor(long now) {
        return now - lastHeard;
    }

    // ---- frames from the client ----

    /**
     * A frame from the client. Frames are answered one at a time in the order they came;
     * one that may wait for the store or the broker ({@link InboundType#mayWait}: a join,
     * a history request) is answered on the registry's work pool, so the thread that read
     * it (a selector thread on the standalone server) never waits, and the frames that
     * come meanwhile wait behind it, up to the send queue's bounds.
     */
    public void receive(String frame) {
        RateLimit.Verdict verdict = admit(utf8Length(frame, registry.config().maxFrameBytes()));
        if (verdict == null) {
            return;
        }
        boolean later;
        boolean tooMany = false;
        synchronized (this) {
            later = answering;
            if (later) {
                long bytes = 2L * frame.length();
                if (waiting == null) {
                    waiting = new ArrayDeque<>();
                }
                tooMany = waiting.size() >= registry.config().sendQueue()
                        || waitingBytes + bytes > registry.config().sendBuffer();
                if (!tooMany) {
                    waiting.add(new Waiting(frame, verdict));
                    waitingBytes += bytes;
                }
            }
        }
        if (tooMany) {
            LOG.log(Level.FINE, "{0}: too many frames while a join or history request was answered", this);
            depart(CloseReasons.FLOODING);
        } else if (!later) {
            answer(frame, verdict); // nothing is being answered, so nothing else answers this connection's frames now
        }
    }

    /**
     * Answers a frame here, or, if it may wait, hands it to the work pool and returns
     * true; the frames that come until it is answered are queued.
     */
    private boolean answer(String frame, RateLimit.Verdict verdict) {
        if (state == State.GONE) {
            return false;
        }
        try {
            Inbound inbound = decode(frame);
            if (verdict == RateLimit.Verdict.REFUSE) {
                throw new ProtocolException(RATE_LIMITED, "Too many frames: wait a moment before sending more.",
                        inbound.type(), cidOf(inbound));
            }
            if (inbound.type().mayWait()) {
                synchronized (this) {
                    answering = true;
                }
                registry.workPool().execute(() -> {
                    handleSafely(inbound);
                    answerWaiting();
                });
                return true;
            }
            handle(inbound);
        } catch (ProtocolException e) {
            refused(e);
        } catch (RejectedExecutionException e) { // shutting down
            depart(CloseReasons.SHUTTING_DOWN);
        } catch (RuntimeException | Error e) {
            failed(e);
        }
        return false;
    }

    private void handleSafely(Inbound inbound) {
        try {
            handle(inbound);
        } catch (ProtocolException e) {
            refused(e);
        } catch (RuntimeException | Error e) {
            failed(e);
        }
    }

    /** After a frame that waited: the frames that came meanwhile, in order, until one waits again. */
    private void answerWaiting() {
        while (true) {
            Waiting next;
            synchronized (this) {
                next = waiting == null ? null : waiting.poll();
                if (next == null) {
                    answering = false;
                    waiting = null; // an idle connection keeps none
                    return;
                }
                waitingBytes -= 2L * next.frame().length();
            }
            if (answer(next.frame(), next.verdict())) {
                return; // the next one that waits carries on from there
            }
        }
    }

    private void refused(ProtocolException e) {
        LOG.log(Level.FINE, "{0}: {1}", new Object[] {this, e.getMessage()});
        if (e.code() == UNAUTHORIZED && e.type() == InboundType.JOIN) {
            refuse(e.toFrame(), CloseReasons.UNAUTHORIZED); // a join without a valid token is not tried again here
        } else {
            send(e.toFrame());
        }
    }

    /** Sends the error, then closes with {@code reason} once it is out; once. */
    private void refuse(Outbound.Error error, CloseReason reason) {
        synchronized (this) {
            if (refusing) {
                return;
            }
            refusing = true;
        }
        send(error);
        registry.meters().closed(reason);
        outbox.closeWhenDrained(reason);
    }

    /** Parley's own failure: this connection pays, its room goes on. */
    private void failed(Throwable e) {
        LOG.log(Level.WARNING, "Closing " + this + " after an unexpected failure", e);
        depart(CloseReasons.SERVER_ERROR);
    }

    /** A frame over the size limit that the transport did not read whole (an HTTP body): closed with 1009. */
    public void receiveOversized() {
        admit(Long.MAX_VALUE);
    }

    public void receiveBinary(int length) {
        registry.meters().receivedBinary();
        if (admit(length) != null) {
            send(new Outbound.Error(BAD_FRAME, "Frames are JSON text; binary frames are not accepted.", null));
        }
    }

    /**
     * The connection closed, whatever the cause. A 1009 here is the container's: it closed
     * a frame over the limit before Parley saw it (the standalone server's frame guard
     * counts its own).
     */
    public void closed(CloseReason reason) {
        LOG.log(Level.FINE, "{0} closed: {1}", new Object[] {this, reason});
        if (reason != null && reason.getCloseCode().getCode() == CloseReason.CloseCodes.TOO_BIG.getCode()
                && state != State.GONE) {
            registry.meters().closed(CloseReasons.TOO_BIG);
        }
        depart(null);
    }

    /**
     * What every frame goes through first: it counts for the idle check, a frame over the
     * size limit closes with 1009, and it is taken from the rate limit.
     *
     * @return the rate limit's verdict, or null when the connection was closed for it
     */
    private RateLimit.Verdict admit(long bytes) {
        lastHeard = System.nanoTime();
        if (bytes > registry.config().maxFrameBytes()) {
            depart(CloseReasons.TOO_BIG);
            return null;
        }
        RateLimit.Verdict verdict = rateLimit.take();
        if (verdict == RateLimit.Verdict.FLOODING) {
            depart(CloseReasons.FLOODING);
            return null;
        }
        return verdict;
    }

    private Inbound decode(String frame) throws ProtocolException {
        Inbound inbound;
        try {
            inbound = registry.decoder().decode(frame);
        } catch (ProtocolException e) {
            if (e.type() != null) {
                registry.meters().received(e.type());
            } else {
                registry.meters().receivedInvalid();
            }
            // a frame this connection may not send at all gets the state error, even if malformed
            ProtocolException stateError = stateError(e.type(), e.cid());
            throw stateError != null ? stateError : e;
        }
        registry.meters().received(inbound.type());
        ProtocolException stateError = stateError(inbound.type(), cidOf(inbound));
        if (stateError != null) {
            throw stateError;
        }
        return inbound;
    }

    private ProtocolException stateError(InboundType type, String cid) {
        if (type == null) {
            return null;
        }
        State now = state;
        if (now != State.JOINED && !type.allowedBeforeJoin()) {
            return new ProtocolException(NOT_JOINED, "Send join first.", type, cid);
        }
        if (now == State.JOINED && type == InboundType.JOIN) {
            return new ProtocolException(ALREADY_JOINED, "This connection has joined already.", type, cid);
        }
        return null;
    }

    private static String cidOf(Inbound inbound) {
        if (inbound instanceof Inbound.Message message) {
            return message.cid();
        }
        if (inbound instanceof Inbound.Direct direct) {
            return direct.cid();
        }
        return null;
    }

    private void handle(Inbound inbound) throws ProtocolException {
        if (inbound instanceof Inbound.Message message) {
            message(message);
        } else if (inbound instanceof Inbound.Typing) {
            room.share(Event.of(Event.Kind.TYPING, name, registry.encoder().encode(new Outbound.Typing(roomName, name))),
                    this);
        } else if (inbound instanceof Inbound.Ping ping) {
            send(new Outbound.Pong(ping.frame()));
        } else if (inbound instanceof Inbound.Join join) {
            join(join);
        } else if (inbound instanceof Inbound.Direct direct) {
            direct(direct);
        } else if (inbound instanceof Inbound.History history) {
            history(history);
        } else if (inbound instanceof Inbound.Rooms) {
            rooms();
        } else if (inbound instanceof Inbound.Auth auth) {
            auth(auth);
        } else {
            throw new IllegalStateException("no handler for " + inbound);
        }
    }

    // ---- join ----

    private void join(Inbound.Join asked) throws ProtocolException {
        Inbound.Join join = asked.since().isEmpty() && lastSeen >= 0
                ? new Inbound.Join(asked.user(), OptionalLong.of(lastSeen), asked.token(), asked.resume()) : asked;
        String user = join.user();
        Identity verified = null;
        if (registry.tokens().enabled()) {
            verified = identify(join.token(), InboundType.JOIN, null);
            user = verified.user();
        }
        synchronized (this) {
            if (state != State.OPEN) {
                return; // gone; JOINED was refused by stateError, and frames of one connection come one at a time
            }
            state = State.JOINING;
            name = user;
            identity = verified;
            held = new ArrayList<>();
        }
        Room joined = null;
        boolean claimed = false;
        try {
            joined = registry.enter(roomName, this);
            room = joined;
            if (joined.closedToJoins()) { // by an administrator: said, then closed, as for a bad room name
                send(new Outbound.Error(BAD_ROOM, "This room was closed by an administrator.", null));
                registry.meters().closed(CloseReasons.ROOM_CLOSED);
                outbox.closeWhenDrained(CloseReasons.ROOM_CLOSED);
                return;
            }
            String resume = verified == null ? Resume.secret() : null; // names are shared with identity on
            Broker.Claim claim = registry.broker().claim(roomName, user, resume == null ? null : Resume.key(resume),
                    resume == null || join.resume() == null ? null : Resume.key(join.resume()));
            if (claim.taken()) {
                throw new ProtocolException(NAME_TAKEN, "The name \"" + user + "\" is in use in this room.",
                        InboundType.JOIN, null);
            }
            claimed = true;
            if (claim.tookOver()) {
                registry.replaced(joined, user, this);
            }
            long position = joined.position();
            Outbound.Welcome welcome = readWelcome(user, join, claim.users(), resume);
            long newest = welcome.history().isEmpty() ? 0 : welcome.history().get(welcome.history().size() - 1).seq();
            long sinceSeen = Boolean.TRUE.equals(welcome.recovered()) ? join.since().getAsLong() : 0;
            if (joined.admit(this, registry.encoder().encode(welcome), welcome, Math.max(position, Math.max(newest, sinceSeen)),
                    claim.count(), claim.first())) {
                claimed = false; // the member's now: its departure gives it back
                boolean slow;
                synchronized (this) {
                    slow = heldTooMuch;
                }
                if (slow) {
                    slowConsumer();
                }
                return;
            }
        } catch (StoreException e) {
            throw unavailable(InboundType.JOIN, null, e);
        } catch (BrokerException e) {
            throw unavailable(InboundType.JOIN, null, e);
        } finally {
            if (state != State.JOINED) {
                failedJoin(joined, claimed);
            }
        }
    }

    /** Undoes a join that did not get through: out of the room, the claim given back, OPEN again unless gone. */
    private void failedJoin(Room joined, boolean claimed) {
        String user = name;
        if (joined != null) {
            joined.leave(this, false);
        }
        if (claimed) {
            registry.broker().release(roomName, user);
        }
        synchronized (this) {
            held = null;
            heldBytes = 0;
            heldTooMuch = false;
            if (state == State.JOINING) {
                state = State.OPEN;
                name = null;
                room = null;
                identity = null;
            }
        }
    }

    private Outbound.Welcome readWelcome(String user, Inbound.Join join, List<String> users, String resume) {
        Boolean recovered = null;
        List<ChatMessage> history = null;
        if (join.since().isPresent()) {
            Optional<List<ChatMessage>> missed = registry.store().after(roomName, join.since().getAsLong(),
                    registry.config().recoveryCap());
            recovered = missed.isPresent();
            history = missed.orElse(null);
        }
        if (history == null) {
            history = registry.store().before(roomName, Long.MAX_VALUE, RoomRegistry.WELCOME_HISTORY);
        }
        return new Outbound.Welcome(roomName, user, users, history, recovered, resume);
    }

    /**
     * Called by the room, under its monitor: sends the welcome, then what was held but is
     * not in the welcome already, and makes this connection a member. False if it
     * departed meanwhile.
     */
    synchronized boolean welcomed(String frame, Outbound.Welcome welcome, long floor) {
        if (state != State.JOINING) {
            return false;
        }
        state = State.JOINED;
        this.floor = floor;
        boolean taken = outbox.offer(Frame.of(frame));
        for (Event event : held) {
            if (!taken) {
                break;
            }
            boolean known = switch (event.kind()) {
                case MESSAGE -> event.seq() <= floor;
                case JOINED -> welcome.users().contains(event.user());
                case LEFT -> !welcome.users().contains(event.user());
                case TYPING, DIRECT, TAIL, KICK, CLOSED, REPLACED -> false;
            };
            if (!known) {
                taken = outbox.offer(Frame.of(event.frame()));
            }
        }
        held = null;
        heldBytes = 0;
        heldTooMuch |= !taken;
        return true;
    }

    /** Called by the room, under its monitor, while this connection is joining. */
    synchronized void hold(Event event) {
        if (state != State.JOINING || heldTooMuch) {
            return;
        }
        long bytes = 2L * event.frame().length();
        if (held.size() >= registry.config().sendQueue() || heldBytes + bytes > registry.config().sendBuffer()) {
            heldTooMuch = true; // a slow consumer before it even joined: closed once its welcome is out
            return;
        }
        held.add(event);
        heldBytes += bytes;
    }

    // ---- the other frames ----

    /**
     * The store gives the message its seq; once it is stored, the sender gets its ack and
     * then the room the message, so the ack comes before the sender's own copy.
     */
    private void message(Inbound.Message message) {
        Room in = room;
        registry.store().append(roomName, name, message.text(), Instant.now()).whenComplete((stored, failure) -> {
            try {
                if (failure != null) {
                    LOG.log(Level.FINE, "not stored: {0}", failure.getMessage());
                    send(new Outbound.Error(UNAVAILABLE, "The message could not be stored; send it again.", message.cid()));
                    return;
                }
                registry.meters().stored();
                if (message.cid() != null) {
                    registry.meters().acked();
                    send(new Outbound.Ack(message.cid(), stored.seq()));
                }
                in.committed(stored);
            } catch (RuntimeException | Error e) { // on the store's thread, whose stage would swallow it: log it
                LOG.log(Level.WARNING, "Delivery of " + roomName + "#" + (stored == null ? "?" : stored.seq()) + " failed", e);
            }
        });
    }

    /**
     * To every connection of the user {@code to} names, here and on other nodes (with
     * identity on a user may have several), and a copy to this connection.
     */
    private void direct(Inbound.Direct direct) throws ProtocolException {
        String frame = registry.encoder().encode(
                new Outbound.Direct(roomName, name, direct.to(), direct.text(), Instant.now()));
        List<Connection> here = room.connections(direct.to());
        boolean elsewhere = false;
        if (here.isEmpty() || registry.tokens().enabled()) { // without identity a name is on one node only
            try {
                elsewhere = registry.broker().heldElsewhere(roomName, direct.to());
            } catch (BrokerException e) {
                throw unavailable(InboundType.DIRECT, direct.cid(), e);
            }
        }
        if (here.isEmpty() && !elsewhere) {
            throw new ProtocolException(NO_SUCH_USER, "Nobody named \"" + direct.to() + "\" is in this room.",
                    InboundType.DIRECT, direct.cid());
        }
        here.forEach(target -> target.direct(frame));
        if (elsewhere) {
            registry.broker().publish(roomName, Event.of(Event.Kind.DIRECT, direct.to(), frame));
        }
        if (!here.contains(this)) {
            deliver(frame);
        }
    }

    /** A direct message for this connection: held if it is still joining, so it follows the welcome. */
    void direct(String frame) {
        synchronized (this) {
            if (state == State.JOINING) {
                hold(Event.of(Event.Kind.DIRECT, name, frame));
                return;
            }
        }
        deliver(frame);
    }

    private void history(Inbound.History request) throws ProtocolException {
        long before = request.before().orElse(Long.MAX_VALUE);
        try {
            send(new Outbound.History(roomName, registry.store().before(roomName, before, request.limit())));
        } catch (StoreException e) {
            throw unavailable(InboundType.HISTORY, null, e);
        }
    }

    /** The rooms with members; with identity on, only those this connection's token may join. */
    private void rooms() throws ProtocolException {
        List<Outbound.RoomCount> rooms;
        try {
            rooms = registry.broker().occupancy();
        } catch (BrokerException e) {
            throw unavailable(InboundType.ROOMS, null, e);
        }
        Identity who = identity;
        if (who != null) {
            rooms = rooms.stream().filter(r -> who.rooms().allows(r.room())).toList();
        }
        send(new Outbound.Rooms(rooms));
    }

    // ---- identity ----

    /** The identity a token gives, if it may be in this room; else unauthorized. */
    private Identity identify(String token, InboundType type, String cid) throws ProtocolException {
        Identity verified;
        try {
            verified = registry.tokens().verify(token);
        } catch (TokenException e) {
            throw new ProtocolException(UNAUTHORIZED, e.getMessage(), type, cid);
        }
        if (!verified.rooms().allows(roomName)) {
            throw new ProtocolException(UNAUTHORIZED, "Your token does not let you into this room.", type, cid);
        }
        return verified;
    }

    /**
     * A fresh token for this connection: it must name the same user and allow this room;
     * from now on the connection lasts until it expires. A refused one changes nothing.
     */
    private void auth(Inbound.Auth auth) throws ProtocolException {
        if (!registry.tokens().enabled()) {
            throw new ProtocolException(UNAUTHORIZED, "This server takes no tokens: users name themselves.",
                    InboundType.AUTH, auth.cid());
        }
        Identity fresh = identify(auth.token(), InboundType.AUTH, auth.cid());
        if (!fresh.user().equals(name)) {
            throw new ProtocolException(UNAUTHORIZED, "The token names another user than this connection's.",
                    InboundType.AUTH, auth.cid());
        }
        identity = fresh;
        send(new Outbound.AuthAck(auth.cid(), fresh.expires()));
    }

    /** Closes a member whose token expired at {@code now} (the registry's periodic check). */
    void expireIfDue(Instant now) {
        Identity who = identity;
        if (who != null && who.expiredAt(now) && state == State.JOINED) {
            LOG.log(Level.FINE, "{0}: token expired", this);
            refuse(new Outbound.Error(UNAUTHORIZED, "Your token expired.", null), CloseReasons.TOKEN_EXPIRED);
        }
    }

    private static ProtocolException unavailable(InboundType type, String cid, RuntimeException cause) {
        LOG.log(Level.FINE, "unavailable: {0}", cause.getMessage());
        String what = cause instanceof BrokerException ? "The cluster" : "The history store";
        return new ProtocolException(UNAVAILABLE, what + " is unavailable right now; try again shortly.", type, cid);
    }

    // ---- frames to the client ----

    /** Queues a frame; a connection that does not read is closed as a slow consumer. */
    void deliver(String frame) {
        if (!outbox.offer(Frame.of(frame))) {
            slowConsumer();
        }
    }

    /** A message of the room's stream: skipped if the welcome had it. Caller holds the room's monitor. */
    boolean deliverMessage(long seq, Frame frame) {
        return seq <= floor || outbox.offer(frame);
    }

    private void send(Outbound frame) {
        if (frame instanceof Outbound.Error error) {
            registry.meters().error(error.code());
        }
        deliver(registry.encoder().encode(frame));
    }

    /** One line per connection dropped for not reading: operators want to see those. */
    void slowConsumer() {
        LOG.log(Level.INFO, "Closing {0}: its queued frames ({1} at most, {2} KiB) were not read in time",
                new Object[] {this, registry.config().sendQueue(), registry.config().sendBuffer() / 1024});
        depart(CloseReasons.SLOW_CONSUMER);
    }

    // ---- departure ----

    /**
     * Leaves, once: out of the registry and its room, and the others hear {@code left}.
     * Closes the connection with {@code close} unless that is null (it closed already).
     */
    void depart(CloseReason close) {
        State was;
        synchronized (this) {
            was = state;
            state = State.GONE;
        }
        if (was != State.GONE) {
            registry.forget(this);
        }
        if (close != null) {
            if (was != State.GONE) {
                registry.meters().closed(close);
            }
            outbox.closeNow(close); // containers may call @OnClose, so depart again, from in here
        }
        Room in = room;
        if (was == State.GONE || in == null || registry.shuttingDown()) {
            return;
        }
        in.leave(this, was == State.JOINED); // a joining connection's claim is its join's to give back
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

    @Override
    public String toString() {
        return "Connection[" + roomName + "/" + name + "]";
    }
}
