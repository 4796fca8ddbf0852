package dev.parley.sse;

import dev.parley.protocol.Frame;
import dev.parley.room.Connection;
import dev.parley.room.Peer;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection's event stream: the {@link Peer} its outbox sends through when the client
 * speaks HTTP. The container's response is a {@link Sink} written without blocking: bytes
 * go out while the sink is ready, and the container calls {@link #writable} when it is
 * ready again. The outbox has one send in flight (a frame, or the few that queued behind
 * the one before, written together and flushed once), so what this holds is that send, the
 * opening event, a heartbeat comment and the close event: the outbox's bounds are the
 * stream's.
 */
public final class SseStream implements Peer {
    private static final Logger LOG = Logger.getLogger(SseStream.class.getName());
    static final CloseReason CLOSED_BY_CLIENT = new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "closed by the client");

    /**
     * The container's side of the response. {@link #bind} comes first; the rest is called
     * under the stream's lock, one thread at a time.
     */
    public interface Sink {
        /** The stream this sink carries: the one to tell {@link #writable} and {@link #failed}. */
        void bind(SseStream stream);

        /** Whether a write now would not block; if not, the container calls {@link #writable} once it is. */
        boolean ready();

        void write(byte[] bytes) throws IOException;

        /** Pushes what was written towards the client; may make {@link #ready} false. */
        void flush() throws IOException;

        /** Completes the response after the close event: the stream is over. */
        void end();

        /** Drops the response without completing it (the client went away or stopped reading). */
        void abort();
    }

    private final String id;
    private final String room;
    private final Sink sink;
    private final Consumer<SseStream> ended;

    // guarded by this
    private final ArrayDeque<byte[]> writes = new ArrayDeque<>(4);
    private Consumer<Throwable> sent; // the outbox's send in flight, told once its bytes are out
    private boolean flushDue;
    private boolean closing;
    private long closingSince;
    private boolean over;
    private boolean started; // nothing is written before the connection is attached
    private boolean pumping;
    private boolean pumpAgain;
    private long lastWrite = System.nanoTime();

    private volatile Connection connection;
    private boolean connectionTold; // guarded by this

    /** Frames from the client go in one at a time, as a WebSocket container hands them over. */
    private final Object receiving = new Object();

    /** A stream whose first event names it; nothing is written before {@link #attach}. */
    SseStream(String id, String room, long retryMillis, Sink sink, Consumer<SseStream> ended) {
        this.id = id;
        this.room = room;
        this.sink = sink;
        this.ended = ended;
        writes.add(Events.opening(id, retryMillis));
    }

    String id() {
        return id;
    }

    String room() {
        return room;
    }

    @Override
    public String transport() {
        return "sse";
    }

    /**
     * The connection the registry opened on this stream: now the stream is written, its
     * opening event first, then what the registry may have sent already (a refusal). So a
     * client cannot know the id, and POST, before the connection is there to take it.
     */
    void attach(Connection opened) {
        connection = opened;
        boolean over;
        synchronized (this) {
            started = true;
            over = this.over;
        }
        if (over) {
            tellClosed(null);
        }
        pump();
    }

    /** Whether frames are still taken: neither closing nor over. */
    synchronized boolean open() {
        return started && !closing && !over;
    }

    Connection connection() {
        return connection;
    }

    /** A frame the client POSTed; frames of one connection are handed over one at a time. */
    void receive(String frame) {
        synchronized (receiving) {
            connection.receive(frame);
        }
    }

    @Override
    public void send(List<Frame> frames, Consumer<Throwable> done) {
        byte[][] events = new byte[frames.size()][];
        for (int i = 0; i < events.length; i++) {
            events[i] = Events.frame(frames.get(i).text());
        }
        boolean refused;
        synchronized (this) {
            refused = over || closing;
            if (!refused) {
                writes.addAll(Arrays.asList(events)); // written together, then flushed once
                sent = done;
            }
        }
        if (refused) {
            done.accept(new IOException("the event stream is closed"));
            return;
        }
        pump();
    }

    @Override
    public void close(CloseReason reason) {
        synchronized (this) {
            if (over || closing) {
                return;
            }
            closing = true;
            closingSince = System.nanoTime();
            writes.add(Events.close(reason));
        }
        pump();
    }

    /** The container can take bytes again. */
    public void writable() {
        pump();
    }

    /** The client closed the connection (a DELETE): the room hears {@code left} at once, the stream ends with 1000. */
    void closedByClient() {
        tellClosed(CLOSED_BY_CLIENT);
        close(CLOSED_BY_CLIENT);
    }

    /** The container says the response failed or the client went away. */
    public void failed(Throwable failure) {
        LOG.log(Level.FINE, "event stream " + id + " failed", failure);
        finish(failure instanceof IOException e ? e : new IOException(failure));
    }

    /**
     * Called every few seconds: a comment after {@code heartbeatNanos} without a write, and
     * the end of a stream whose close event could not be written within {@code closeNanos}
     * (a client that stopped reading). And what waits for the container is tried again: a
     * container that never calls {@code onWritePossible} after its sink said it was not ready
     * costs a tick, not the connection. (A GlassFish run once showed what that looks like: a
     * member had every frame up to a batch's and none after, as if the send before had never
     * been told done and the outbox held the rest.)
     */
    void tick(long now, long heartbeatNanos, long closeNanos) {
        boolean write;
        boolean abandon;
        boolean waiting;
        synchronized (this) {
            abandon = closing && !over && now - closingSince > closeNanos;
            write = !closing && !over && sent == null && writes.isEmpty() && now - lastWrite > heartbeatNanos;
            if (write) {
                writes.add(Events.COMMENT);
            }
            waiting = started && !over && (sent != null || !writes.isEmpty());
        }
        if (abandon) {
            finish(new IOException("the close event was not read in time"));
        } else if (waiting) { // a heartbeat just queued is waiting too
            pump();
        }
    }

    /**
     * Writes what waits while the sink is ready; tells the outbox its frame went out once its
     * bytes are written and flushed, and ends the response after the close event. A call
     * made while another pumps (the container may call {@link #writable} from inside a
     * write) makes that one go round again instead.
     */
    private void pump() {
        Consumer<Throwable> tell = null;
        boolean end = false;
        IOException failure = null;
        synchronized (this) {
            if (!started) {
                return;
            }
            if (pumping) {
                pumpAgain = true;
                return;
            }
            pumping = true;
            try {
                do {
                    pumpAgain = false;
                    while (!over && sink.ready()) {
                        byte[] next = writes.poll();
                        if (next != null) {
                            sink.write(next);
                            flushDue = true;
                            lastWrite = System.nanoTime();
                        } else if (flushDue) {
                            flushDue = false;
                            sink.flush();
                        } else {
                            tell = sent; // its bytes, and any before them, are out
                            sent = null;
                            if (closing) { // the close event is out too
                                over = true;
                                end = true;
                            }
                            break;
                        }
                    }
                } while (pumpAgain && !over);
            } catch (IOException | RuntimeException e) {
                failure = e instanceof IOException io ? io : new IOException(e);
            } finally {
                pumping = false;
            }
        }
        if (failure != null) {
            LOG.log(Level.FINE, "event stream " + id + " write failed", failure);
            finish(failure);
            return;
        }
        if (tell != null) {
            tell.accept(null);
        }
        if (end) {
            endResponse();
        }
    }

    /** The stream is over without its close event: the frame in flight failed, the connection is closed. */
    private void finish(IOException failure) {
        Consumer<Throwable> tell;
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
            tell = sent;
            sent = null;
            writes.clear();
        }
        if (tell != null) {
            tell.accept(failure);
        }
        endResponse(true);
    }

    private void endResponse() {
        endResponse(false);
    }

    private void endResponse(boolean abort) {
        synchronized (this) {
            try {
                if (abort) {
                    sink.abort();
                } else {
                    sink.end();
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "ending event stream " + id + " failed", e);
            }
        }
        ended.accept(this);
        tellClosed(null); // gone already if the server closed it: then nothing more happens
    }

    /** Tells the connection, once, that the stream is closed ({@code reason}: the client's, or null). */
    private void tellClosed(CloseReason reason) {
        Connection opened = connection;
        boolean tell;
        synchronized (this) {
            tell = opened != null && !connectionTold;
            connectionTold |= tell;
        }
        if (tell) {
            opened.closed(reason);
        }
    }

    @Override
    public String toString() {
        return "SseStream[" + room + "/" + id + "]";
    }
}
