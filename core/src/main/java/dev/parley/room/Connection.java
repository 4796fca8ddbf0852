package dev.parley.room;

import static dev.parley.protocol.ErrorCode.ALREADY_JOINED;
import static dev.parley.protocol.ErrorCode.BAD_FRAME;
import static dev.parley.protocol.ErrorCode.NOT_JOINED;
import static dev.parley.protocol.ErrorCode.RATE_LIMITED;
import static dev.parley.protocol.ErrorCode.UNAUTHORIZED;
import static dev.parley.protocol.ErrorCode.UNAVAILABLE;

import dev.parley.broker.BrokerException;
import dev.parley.identity.Identity;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Inbound;
import dev.parley.protocol.InboundType;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.ProtocolException;
import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One chat connection, from its open to its close: admission of each frame (the idle
 * clock, the size limit, the rate limit), the order frames are answered in, decoding and
 * state errors, sending and departure. What each frame does is its {@link Command}'s;
 * where the connection stands is its {@link Membership}; its room does the delivery.
 */
public final class Connection {
    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final Chat chat;
    private final Rooms rooms;
    private final String roomName;
    private final Peer peer;
    /** What the transport said the client has seen (Handshake#lastSeen): a join's since by default. */
    private final long lastSeen;
    private final Outbox outbox;
    private final RateLimit rateLimit;
    private final Inbox inbox;
    private final Membership membership = new Membership();
    private volatile long lastHeard = System.nanoTime();
    private String countedAt; // the address this connection counts against, set once at admission
    private boolean refusing; // an error went out and the connection closes after it; guarded by this

    Connection(Chat chat, Rooms rooms, Peer peer, String roomName, long lastSeen) {
        this.chat = chat;
        this.rooms = rooms;
        this.roomName = roomName;
        this.peer = peer;
        this.lastSeen = lastSeen;
        this.outbox = new Outbox(peer, chat.config().sendQueue(), chat.config().sendBuffer());
        this.rateLimit = RateLimit.of(chat.config().rateLimit());
        this.inbox = new Inbox(chat.config().sendQueue(), chat.config().sendBuffer());
    }

    /** The member's name, or null before a join was tried. */
    /** Whether the user moderates this room: its token's {@code mod} claim names it (never without identity). */
    boolean moderates() {
        Identity who = membership.identity();
        return who != null && who.mod().allows(roomName());
    }

    public String name() {
        return membership.name();
    }

    Chat chat() {
        return chat;
    }

    Rooms rooms() {
        return rooms;
    }

    String roomName() {
        return roomName;
    }

    /** The room the connection entered (a join did), or null. */
    Room room() {
        return membership.room();
    }

    Membership membership() {
        return membership;
    }

    long lastSeen() {
        return lastSeen;
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
     * a history request) is answered on the work pool, so the thread that read it (a
     * selector thread on the standalone server) never waits, and the frames that come
     * meanwhile wait in the {@link Inbox}, up to the send queue's bounds.
     */
    public void receive(String frame) {
        RateLimit.Verdict verdict = admit(utf8Length(frame, chat.config().maxFrameBytes()));
        if (verdict == null) {
            return;
        }
        switch (inbox.offer(frame, verdict)) {
            case NOW -> answer(frame, verdict); // nothing else answers this connection's frames now
            case QUEUED -> { }
            case FULL -> {
                LOG.log(Level.FINE, "{0}: too many frames while a join or history request was answered", this);
                depart(CloseReasons.FLOODING);
            }
        }
    }

    /**
     * Answers a frame here, or, if it may wait, hands it to the work pool and returns
     * true; the frames that come until it is answered are queued.
     */
    private boolean answer(String frame, RateLimit.Verdict verdict) {
        if (membership.state() == Membership.State.GONE) {
            return false;
        }
        try {
            Inbound inbound = decode(frame);
            if (verdict == RateLimit.Verdict.REFUSE) {
                throw new ProtocolException(RATE_LIMITED, "Too many frames: wait a moment before sending more.",
                        inbound.type(), cidOf(inbound));
            }
            if (inbound.type().mayWait()) {
                inbox.answering();
                chat.threads().work().execute(() -> {
                    run(inbound);
                    answerWaiting();
                });
                return true;
            }
            Commands.run(this, inbound);
        } catch (ProtocolException e) {
            refused(e);
        } catch (RejectedExecutionException e) { // shutting down
            depart(CloseReasons.SHUTTING_DOWN, rooms.shutdownHint());
        } catch (RuntimeException | Error e) {
            failed(e);
        }
        return false;
    }

    private void run(Inbound inbound) {
        try {
            Commands.run(this, inbound);
        } catch (ProtocolException e) {
            refused(e);
        } catch (RuntimeException | Error e) {
            failed(e);
        }
    }

    /** After a frame that waited: the frames that came meanwhile, in order, until one waits again. */
    private void answerWaiting() {
        Inbox.Waiting next;
        while ((next = inbox.next()) != null) {
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
    void refuse(Outbound.Error error, CloseReason reason) {
        synchronized (this) {
            if (refusing) {
                return;
            }
            refusing = true;
        }
        send(error);
        chat.meters().closed(reason);
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
        chat.meters().receivedBinary();
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
                && membership.state() != Membership.State.GONE) {
            chat.meters().closed(CloseReasons.TOO_BIG);
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
        if (bytes > chat.config().maxFrameBytes()) {
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
            inbound = chat.decoder().decode(frame);
        } catch (ProtocolException e) {
            if (e.type() != null) {
                chat.meters().received(e.type());
            } else {
                chat.meters().receivedInvalid();
            }
            // a frame this connection may not send at all gets the state error, even if malformed
            ProtocolException stateError = stateError(e.type(), e.cid());
            throw stateError != null ? stateError : e;
        }
        chat.meters().received(inbound.type());
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
        Membership.State now = membership.state();
        if (now != Membership.State.JOINED && !type.allowedBeforeJoin()) {
            return new ProtocolException(NOT_JOINED, "Send join first.", type, cid);
        }
        if (now == Membership.State.JOINED && type == InboundType.JOIN) {
            return new ProtocolException(ALREADY_JOINED, "This connection has joined already.", type, cid);
        }
        return null;
    }

    private static String cidOf(Inbound inbound) {
        if (inbound instanceof Inbound.Change change) {
            return change.cid();
        }
        if (inbound instanceof Inbound.Direct direct) {
            return direct.cid();
        }
        if (inbound instanceof Inbound.Moderate moderate) {
            return moderate.cid();
        }
        return null;
    }

    /** The error a frame gets when the store or the cluster failed it; the cause is logged, not sent. */
    static ProtocolException unavailable(InboundType type, String cid, RuntimeException cause) {
        LOG.log(Level.FINE, "unavailable: {0}", cause.getMessage());
        String what = cause instanceof BrokerException ? "The cluster" : "The history store";
        return new ProtocolException(UNAVAILABLE, what + " is unavailable right now; try again shortly.", type, cid);
    }

    /** Closes a member whose token expired at {@code now} (the registry's periodic check). */
    void expireIfDue(Instant now) {
        Identity who = membership.identity();
        if (who != null && who.expiredAt(now) && membership.state() == Membership.State.JOINED) {
            LOG.log(Level.FINE, "{0}: token expired", this);
            refuse(new Outbound.Error(UNAUTHORIZED, "Your token expired.", null), CloseReasons.TOKEN_EXPIRED);
        }
    }

    // ---- frames to the client ----

    /** Queues a frame; a connection that does not read is closed as a slow consumer. */
    void deliver(String frame) {
        if (!outbox.offer(Frame.of(frame))) {
            slowConsumer();
        }
    }

    void send(Outbound frame) {
        if (frame instanceof Outbound.Error error) {
            chat.meters().error(error.code());
        }
        deliver(chat.encoder().encode(frame));
    }

    /** Closes a connection that does not read (once, however many fan-outs find it full before it is gone). */
    void slowConsumer() {
        depart(CloseReasons.SLOW_CONSUMER);
    }

    // ---- departure ----

    /**
     * Leaves, once: out of the registry and its room, and the others hear {@code left}.
     * Closes the connection with {@code close} unless that is null (it closed already).
     *
     * @return whether this call departed it (false: it was gone already)
     */
    boolean depart(CloseReason close) {
        return depart(close, null);
    }

    /** As {@link #depart(CloseReason)}, and {@code lastWord}, if not null, goes out just before the close. */
    private boolean depart(CloseReason close, Outbound lastWord) {
        Membership.State was = membership.leave();
        if (was != Membership.State.GONE) {
            rooms.forget(this);
            if (close == CloseReasons.SLOW_CONSUMER) { // one line per connection dropped for not reading
                LOG.log(Level.INFO, "Closing {0}: its queued frames ({1} at most, {2} KiB) were not read in time",
                        new Object[] {this, chat.config().sendQueue(), chat.config().sendBuffer() / 1024});
            }
        }
        if (close != null) {
            if (was != Membership.State.GONE) {
                chat.meters().closed(close);
            }
            if (lastWord != null) {
                outbox.closeNow(close, Frame.of(chat.encoder().encode(lastWord)));
            } else {
                outbox.closeNow(close); // containers may call @OnClose, so depart again, from in here
            }
        }
        if (was == Membership.State.GONE) {
            return false;
        }
        Room in = membership.room();
        if (in != null && !rooms.shuttingDown()) {
            in.leave(this, was == Membership.State.JOINED); // a joining connection's claim is its join's to give back
        }
        return true;
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
        return "Connection[" + roomName + "/" + name() + "]";
    }
}
