package dev.parley.standalone.grizzly;

import dev.parley.metrics.Meters;
import dev.parley.protocol.Frame;
import dev.parley.room.CloseReasons;
import dev.parley.room.Connection;
import dev.parley.room.Peer;
import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.memory.CompositeBuffer;
import org.glassfish.grizzly.memory.HeapBuffer;
import org.glassfish.grizzly.nio.NIOTransport;

/**
 * One chat connection on Parley's own WebSocket ({@link WebSockets}): the {@link Peer} its
 * outbox writes to, and where its socket's bytes are read ({@link FrameReader}).
 *
 * <p>Writes: a frame's bytes as {@link Frame} made them once for every recipient, straight
 * onto the socket's write queue (several that queued, in one write); control frames the
 * same way, in turn. Without TLS a write goes to the transport's queue writer itself, past
 * the filter chain, which has nothing to do with an upgraded connection's bytes; with TLS
 * it goes down the chain from its top, to the TLS filter ({@link PastTheHttpCodec}). Grizzly
 * completes a write inside the call when the socket takes it at once, which the outbox
 * expects ({@link Peer#send}).
 *
 * <p>The close handshake (RFC 6455 7.1): a close the server starts sends its close frame
 * and waits for the client's, then ends the socket once what it queued is written, and at
 * the latest after {@link #CLOSE_WAIT_MILLIS}; a close the client starts is answered with
 * its own code and ends the socket. The connection hears of the close once, with the
 * reason it ended with: its own, the client's, or 1006 when the socket went without one.
 * A frame that breaks the rules gets its close frame (1002, 1007, 1009) and the socket
 * ends at once; nothing more is read from it.
 */
final class WebSocketConnection implements Peer, FrameReader.Messages {
    private static final Logger LOG = Logger.getLogger(WebSocketConnection.class.getName());
    /** How long a close the server started waits for the client's close frame. */
    static final long CLOSE_WAIT_MILLIS = 5_000;
    private static final CloseReason VANISHED = new CloseReason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "");
    private static final CloseReason NOT_UTF8 = new CloseReason(CloseReason.CloseCodes.NOT_CONSISTENT, "not UTF-8");
    /** Ends the sockets whose clients did not answer a close: one thread for all, busy only then. */
    private static final ScheduledExecutorService CLOSE_TIMER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "parley-websocket-close");
        thread.setDaemon(true);
        return thread;
    });

    private final org.glassfish.grizzly.Connection<?> socket;
    @SuppressWarnings("rawtypes")
    private final AsyncQueueWriter direct; // the transport's queue writer; null with TLS: the chain's TLS filter writes
    private final FrameReader reader;
    private final Meters.Writes writes;
    private final Consumer<CloseReason> refused;
    private Connection connection; // guarded by this; read without it on the reading thread, which set it
    private volatile Consumer<Throwable> done; // the outbox's send in flight
    private final CompletionHandler<WriteResult> written = new CompletionHandler<>() {
        @Override
        public void cancelled() {
            done.accept(new CancellationException("write cancelled"));
        }

        @Override
        public void failed(Throwable failure) {
            done.accept(failure);
        }

        @Override
        public void completed(WriteResult result) {
            done.accept(null);
        }

        @Override
        public void updated(WriteResult result) {
            // partly written: the rest follows
        }
    };

    // guarded by this
    private boolean closeSent;
    private boolean told; // the close is known: the connection heard of it, or will when it is opened
    private CloseReason toldReason;

    /**
     * @param refused told of every connection this closes for a frame that breaks the
     *                rules but a too big one, which the connection counts itself (the metrics' closes)
     */
    WebSocketConnection(org.glassfish.grizzly.Connection<?> socket, boolean tls, int maxFrameBytes, Meters.Writes writes,
                        Consumer<CloseReason> refused) {
        this.socket = socket;
        this.direct = tls ? null : ((NIOTransport) socket.getTransport()).getAsyncQueueIO().getWriter();
        this.reader = new FrameReader(maxFrameBytes, this);
        this.writes = writes;
        this.refused = refused;
    }

    /**
     * The chat connection the registry opened on this socket. A refusal closes the socket
     * while the registry opens it: the connection hears of that close now.
     */
    void opened(Connection opened) {
        CloseReason late;
        synchronized (this) {
            connection = opened;
            late = told ? toldReason : null;
        }
        if (late != null) {
            opened.closed(late);
        }
    }

    /** Bytes the socket read. */
    void read(Buffer bytes) {
        FrameReader.Violation violation = reader.read(bytes);
        if (violation != null) {
            CloseReason reason = switch (violation) {
                case TOO_BIG -> CloseReasons.TOO_BIG; // counted by the connection, as a container's 1009 is
                case NOT_UTF8 -> NOT_UTF8;
                case PROTOCOL_ERROR -> CloseReasons.PROTOCOL_ERROR;
            };
            if (violation != FrameReader.Violation.TOO_BIG) {
                refused.accept(reason);
            }
            end(reason);
        }
    }

    /** The socket closed, whatever closed it. */
    void socketClosed() {
        tell(VANISHED);
    }

    // ---- Peer ----

    @Override
    public void send(List<Frame> frames, Consumer<Throwable> done) {
        this.done = done;
        writes.wrote(frames.size());
        Buffer bytes;
        if (frames.size() == 1) {
            bytes = HeapBuffer.wrap(frames.get(0).websocket()); // a plain wrapper: no pool ever takes the array
        } else {
            Buffer[] parts = new Buffer[frames.size()];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = HeapBuffer.wrap(frames.get(i).websocket());
            }
            CompositeBuffer all = CompositeBuffer.newBuffer(socket.getMemoryManager(), parts);
            all.allowBufferDispose(false); // the frames' bytes are shared: never to be pooled
            bytes = all;
        }
        write(bytes, written);
    }

    @Override
    public void close(CloseReason reason) {
        synchronized (this) {
            if (closeSent) {
                return;
            }
            closeSent = true;
        }
        write(HeapBuffer.wrap(closeFrame(reason.getCloseCode().getCode(), reason.getReasonPhrase())), null);
        CLOSE_TIMER.schedule(socket::closeSilently, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        tell(reason);
    }

    @Override
    public String transport() {
        return "websocket";
    }

    // ---- FrameReader.Messages: on the thread that read the bytes ----

    @Override
    public void text(String message) {
        if (connection != null) { // null: the registry failed to open it, and it is closing
            connection.receive(message);
        }
    }

    @Override
    public void binary(long length) {
        if (connection != null) {
            connection.receiveBinary((int) Math.min(Integer.MAX_VALUE, length));
        }
    }

    @Override
    public void ping(byte[] payload) {
        write(HeapBuffer.wrap(control(0x8A, payload)), null);
    }

    @Override
    public void pong() {
        // the answer to nothing Parley sent: clients may send them as heartbeats
    }

    @Override
    public void close(int code, String reason) {
        boolean answer;
        synchronized (this) {
            answer = !closeSent;
            closeSent = true;
        }
        if (answer) { // the client's code back, or 1000 to a close without one
            write(HeapBuffer.wrap(closeFrame(code == FrameReader.NO_CODE ? CloseReason.CloseCodes.NORMAL_CLOSURE.getCode() : code,
                    "")), null);
        }
        tell(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason)); // before the socket's close tells 1006
        socket.closeSilently(); // once what is queued is written
    }

    // ----

    /** A frame that broke the rules: its close frame, unless one went out already, and the socket ends (after that frame). */
    private void end(CloseReason reason) {
        boolean send;
        synchronized (this) {
            send = !closeSent;
            closeSent = true;
        }
        if (send) {
            write(HeapBuffer.wrap(closeFrame(reason.getCloseCode().getCode(), reason.getReasonPhrase())), null);
        }
        tell(reason); // before the socket's close tells 1006
        socket.closeSilently();
    }

    /** The connection hears that it closed, once (when it is there: else {@link #opened} tells it). */
    private void tell(CloseReason reason) {
        Connection opened;
        synchronized (this) {
            if (told) {
                return;
            }
            told = true;
            toldReason = reason;
            opened = connection;
        }
        if (opened != null) {
            opened.closed(reason);
        }
    }

    /**
     * A write onto the socket's queue, which takes writes from any thread, each whole and
     * in the order they came (Grizzly's TLS filter encrypts them one at a time). No lock of
     * Parley's is held: Grizzly may complete the write inside the call, and what the
     * completion does (the outbox's next send, a close, a departure) may write to other
     * connections.
     */
    @SuppressWarnings({"unchecked", "rawtypes"}) // Grizzly's write is typed by the connection's address type, which nothing here uses
    private void write(Buffer bytes, CompletionHandler<WriteResult> handler) {
        try {
            if (direct != null) {
                direct.write(socket, bytes, handler);
            } else {
                ((org.glassfish.grizzly.Connection) socket).write(bytes, handler);
            }
        } catch (RuntimeException e) { // the socket closed under us: the send failed, the close listener tells the rest
            LOG.log(Level.FINE, "write failed", e);
            if (handler != null) {
                handler.failed(e);
            }
        }
    }

    /** A server's close frame: the code and as much of the reason as a control frame holds (also {@link FrameGuard}'s). */
    static byte[] closeFrame(int code, String reason) {
        byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(phrase.length, 123); // a control frame's payload is 125 bytes at most
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(phrase, 0, payload, 2, length);
        return control(0x88, payload);
    }

    /** A server's control frame: FIN and {@code first}'s opcode, the length (at most 125), the payload. */
    private static byte[] control(int first, byte[] payload) {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) first;
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }
}
