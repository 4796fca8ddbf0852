package dev.parley.standalone.grizzly;

import dev.parley.metrics.Meters;
import dev.parley.protocol.Frame;
import dev.parley.room.CloseReasons;
import dev.parley.room.Connection;
import dev.parley.room.Peer;
import jakarta.websocket.CloseReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
import org.glassfish.grizzly.asyncqueue.TaskQueue;
import org.glassfish.grizzly.memory.CompositeBuffer;
import org.glassfish.grizzly.memory.HeapBuffer;
import org.glassfish.grizzly.nio.NIOConnection;
import org.glassfish.grizzly.nio.NIOTransport;

/**
 * One chat connection on Parley's own WebSocket ({@link WebSockets}): the {@link Peer} its
 * outbox writes to, and where its socket's bytes are read ({@link FrameReader}).
 *
 * <p>Writes: a frame's bytes as {@link Frame} made them once for every recipient (several
 * that queued, in one write); control frames the same way, in turn. Without TLS a write
 * goes to the socket itself when Grizzly's write queue holds nothing for it, which is
 * nearly always, and only what the socket did not take goes to the queue, which writes
 * it when the socket can take more; while the queue holds anything, later writes queue
 * behind it, so the bytes leave in the order they were written. With TLS every write goes
 * down the chain from its top, to the TLS filter ({@link PastTheHttpCodec}). A write
 * completes inside the call when the socket takes it at once, which the outbox expects
 * ({@link Peer#send}).
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
    private final Plain plain; // null with TLS: the chain's TLS filter writes
    /*
     * Writes go to the socket or to the queue under this lock, one at a time, so that
     * nothing reaches the socket past what waits in the queue. No call out of this class
     * is made while it is held: Grizzly may complete a queued write, or close the socket,
     * inside the call that queues it, and what the outbox or the connection does then may
     * write to other connections (two such connections, each holding its own lock, would
     * deadlock). So what Grizzly calls back on the thread inside that call is run once
     * the lock is released ({@link #later}).
     */
    private final Object writeLock = new Object();
    private volatile Thread queueing; // set and cleared under writeLock: the thread inside a call to the queue writer
    private List<Runnable> deferred; // guarded by writeLock: what Grizzly called back on that thread
    private final FrameReader reader;
    private final Meters.Writes writes;
    private final Consumer<CloseReason> refused;
    private Connection connection; // guarded by this; read without it on the reading thread, which set it
    private volatile Consumer<Throwable> done; // the outbox's send in flight
    private final CompletionHandler<WriteResult> written = new CompletionHandler<>() {
        @Override
        public void cancelled() {
            finished(new CancellationException("write cancelled"));
        }

        @Override
        public void failed(Throwable failure) {
            finished(failure);
        }

        @Override
        public void completed(WriteResult result) {
            finished(null);
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
        this.plain = tls ? null : new Plain((NIOConnection) socket);
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
        if (queueing == Thread.currentThread()) {
            later(() -> tell(VANISHED));
        } else {
            tell(VANISHED);
        }
    }

    // ---- Peer ----

    @Override
    public void send(List<Frame> frames, Consumer<Throwable> done) {
        this.done = done;
        writes.wrote(frames.size());
        ByteBuffer[] bytes = new ByteBuffer[frames.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = frames.get(i).websocketBuffer();
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
        write(closeFrame(reason.getCloseCode().getCode(), reason.getReasonPhrase()));
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
        write(control(0x8A, payload));
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
            write(closeFrame(code == FrameReader.NO_CODE ? CloseReason.CloseCodes.NORMAL_CLOSURE.getCode() : code, ""));
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
            write(closeFrame(reason.getCloseCode().getCode(), reason.getReasonPhrase()));
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

    /** A control frame, completing nothing. */
    private void write(byte[] frame) {
        write(new ByteBuffer[] {ByteBuffer.wrap(frame)}, null);
    }

    /**
     * A write of {@code bytes}, whole and in turn with every other write to this socket, from
     * any thread: to the socket if nothing waits in its queue, what the socket did not take
     * to the queue. {@code handler} hears of it once, outside {@link #writeLock}.
     */
    private void write(ByteBuffer[] bytes, CompletionHandler<WriteResult> handler) {
        if (plain == null) {
            queue(bytes, handler);
            return;
        }
        IOException failed = null;
        boolean whole = false;
        List<Runnable> calledBack;
        synchronized (writeLock) {
            if (plain.queue().spaceInBytes() == 0) { // nothing waits in the queue, nor is being written from it
                try {
                    whole = writeNow(bytes);
                } catch (IOException e) {
                    failed = e;
                }
            }
            if (!whole && failed == null) {
                queueing = Thread.currentThread();
                try {
                    queue(bytes, handler);
                } finally {
                    queueing = null;
                }
            }
            calledBack = deferred;
            deferred = null;
        }
        if (failed != null) { // the socket is gone: as Grizzly's queue writer does, fail the write and close it
            LOG.log(Level.FINE, "write failed", failed);
            if (handler != null) {
                handler.failed(failed);
            }
            socket.closeSilently();
        } else if (whole && handler != null) {
            handler.completed(null);
        }
        if (calledBack != null) {
            calledBack.forEach(Runnable::run);
        }
    }

    /** One write to the socket: whether it took all of {@code bytes}. */
    private boolean writeNow(ByteBuffer[] bytes) throws IOException {
        ByteBuffer last = bytes[bytes.length - 1];
        if (bytes.length == 1) {
            plain.channel().write(last);
        } else {
            plain.channel().write(bytes);
        }
        return !last.hasRemaining();
    }

    /**
     * What is left of {@code bytes} onto the socket's queue, which takes writes from any
     * thread and writes each whole and in the order they came (Grizzly's TLS filter
     * encrypts them one at a time). Without TLS the transport's queue writer takes it, past
     * the filter chain, which has nothing to do with an upgraded connection's bytes.
     */
    @SuppressWarnings({"unchecked", "rawtypes"}) // Grizzly's write is typed by the connection's address type, which nothing here uses
    private void queue(ByteBuffer[] bytes, CompletionHandler<WriteResult> handler) {
        int first = 0;
        while (!bytes[first].hasRemaining()) { // the frames the socket took whole (never all of them)
            first++;
        }
        Buffer rest;
        if (first == bytes.length - 1) {
            rest = wrap(bytes[first]);
        } else {
            Buffer[] parts = new Buffer[bytes.length - first];
            for (int i = 0; i < parts.length; i++) {
                parts[i] = wrap(bytes[first + i]);
            }
            CompositeBuffer all = CompositeBuffer.newBuffer(socket.getMemoryManager(), parts);
            all.allowBufferDispose(false);
            rest = all;
        }
        try {
            if (plain != null) {
                plain.writer().write(socket, rest, handler);
            } else {
                ((org.glassfish.grizzly.Connection) socket).write(rest, handler);
            }
        } catch (RuntimeException e) { // the socket closed under us: the send failed, the close listener tells the rest
            LOG.log(Level.FINE, "write failed", e);
            if (handler != null) {
                handler.failed(e);
            }
        }
    }

    /** What is left of {@code part} in a plain wrapper: no pool ever takes the frames' shared arrays. */
    private static Buffer wrap(ByteBuffer part) {
        return HeapBuffer.wrap(part.array(), part.arrayOffset() + part.position(), part.remaining());
    }

    /** The outbox's send in flight ended: it hears of it now, or once the write that queued it lets go of the lock. */
    private void finished(Throwable failure) {
        Consumer<Throwable> send = done;
        if (queueing == Thread.currentThread()) {
            later(() -> send.accept(failure));
        } else {
            send.accept(failure);
        }
    }

    /**
     * What Grizzly called back on the thread inside a call to the queue writer (only that
     * thread sets itself in {@link #queueing}, and clears it before it lets go of
     * {@link #writeLock}, which it holds now): to run once it lets go.
     */
    private void later(Runnable action) {
        synchronized (writeLock) {
            if (deferred == null) {
                deferred = new ArrayList<>(2);
            }
            deferred.add(action);
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

    /**
     * Without TLS, what a write needs past the filter chain: the socket itself, the
     * connection's write queue and the transport's queue writer.
     */
    @SuppressWarnings("rawtypes") // Grizzly's writer is typed by the connection's address type, which nothing here uses
    private record Plain(SocketChannel channel, TaskQueue<?> queue, AsyncQueueWriter writer) {
        Plain(NIOConnection socket) {
            this((SocketChannel) socket.getChannel(), socket.getAsyncWriteQueue(),
                    ((NIOTransport) socket.getTransport()).getAsyncQueueIO().getWriter());
        }
    }
}
