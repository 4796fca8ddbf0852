package dev.parley.endpoint;

import dev.parley.metrics.Meters;
import dev.parley.protocol.Frame;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.Writer;

/**
 * Tyrus (the standalone server, and Payara): a frame's bytes, framed once for everyone it
 * goes to ({@link Frame#websocket}), written as they are through the connection's own
 * {@link Writer}, the SPI under Tyrus' protocol handler; frames that queued go out in one
 * write. This is what Tyrus' own {@code broadcast} does (its {@code sendRawFrame}), without
 * the future it makes per frame; the writer is taken under the protocol handler's lock, as
 * Tyrus takes it for its own frames (pongs, the close frame).
 *
 * <p>The writer and the lock are private fields of Tyrus' core
 * ({@code TyrusRemoteEndpoint.webSocket}, {@code TyrusWebSocket.protocolHandler},
 * {@code ProtocolHandler.writer} and {@code .lock}), read once per connection. Written for
 * Tyrus 2.2.2 (the standalone server's, pom.xml's tyrus.version) and 2.1.5.payara-p2 (Payara 6.2025.10's); where any
 * of them is missing {@link #handles} fails and {@link WebSocketPeers} falls back to the
 * portable path, and says so once.
 */
final class TyrusPeer extends WebSocketPeer {
    private final Writer writer;
    private final Lock lock;
    private final Meters.Writes writes;
    private volatile Consumer<Throwable> done;
    /** One handler for every write. */
    private final CompletionHandler<ByteBuffer> handler = new CompletionHandler<>() {
        @Override
        public void completed(ByteBuffer result) {
            done.accept(null);
        }

        @Override
        public void failed(Throwable failure) {
            done.accept(failure);
        }

        @Override
        public void cancelled() {
            done.accept(new CancellationException("write cancelled"));
        }
    };

    private TyrusPeer(Session session, Meters.Writes writes, Writer writer, Lock lock) {
        super(session, writes);
        this.writer = writer;
        this.lock = lock;
        this.writes = writes;
    }

    /** Tyrus' fields, found once. */
    record Handles(Field webSocket, Field protocolHandler, Field writer, Field lock) {
    }

    /** Finds the fields in the Tyrus that made this session; throws if this Tyrus has not got them all. */
    static Handles handles(Session session) throws ReflectiveOperationException {
        ClassLoader tyrus = session.getClass().getClassLoader();
        Class<?> remote = Class.forName("org.glassfish.tyrus.core.TyrusRemoteEndpoint", false, tyrus);
        Class<?> webSocket = Class.forName("org.glassfish.tyrus.core.TyrusWebSocket", false, tyrus);
        Class<?> protocol = Class.forName("org.glassfish.tyrus.core.ProtocolHandler", false, tyrus);
        return new Handles(field(remote, "webSocket", webSocket), field(webSocket, "protocolHandler", protocol),
                field(protocol, "writer", Writer.class), field(protocol, "lock", Lock.class));
    }

    private static Field field(Class<?> owner, String name, Class<?> type) throws ReflectiveOperationException {
        Field field = owner.getDeclaredField(name);
        if (!type.isAssignableFrom(field.getType())) {
            throw new NoSuchFieldException(owner.getName() + "." + name + " is a " + field.getType().getName());
        }
        field.setAccessible(true);
        return field;
    }

    /** This session's peer, or null when its frames must go through Tyrus (an extension such as compression is on). */
    static WebSocketPeer of(Session session, Meters.Writes writes, Handles handles) throws IllegalAccessException {
        if (!session.getNegotiatedExtensions().isEmpty()) {
            return null;
        }
        Object webSocket = handles.webSocket().get(session.getAsyncRemote());
        Object protocol = webSocket == null ? null : handles.protocolHandler().get(webSocket);
        Writer writer = protocol == null ? null : (Writer) handles.writer().get(protocol);
        Lock lock = protocol == null ? null : (Lock) handles.lock().get(protocol);
        return writer == null || lock == null ? null : new TyrusPeer(session, writes, writer, lock);
    }

    @Override
    public void send(List<Frame> frames, Consumer<Throwable> done) {
        this.done = done;
        ByteBuffer bytes = frames.size() == 1 ? frames.get(0).websocketBuffer() : gather(frames);
        writes.wrote(frames.size());
        lock.lock();
        try {
            writer.write(bytes, handler);
        } finally {
            lock.unlock();
        }
    }

    /** Several frames in one buffer, for one write. */
    private static ByteBuffer gather(List<Frame> frames) {
        int size = 0;
        for (Frame frame : frames) {
            size += frame.websocket().length;
        }
        ByteBuffer bytes = ByteBuffer.allocate(size);
        for (Frame frame : frames) {
            bytes.put(frame.websocket());
        }
        return bytes.flip();
    }
}
