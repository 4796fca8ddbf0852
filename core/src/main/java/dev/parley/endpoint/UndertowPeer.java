package dev.parley.endpoint;

import dev.parley.metrics.Meters;
import dev.parley.protocol.Frame;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.jsr.UndertowSession;
import jakarta.websocket.Session;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Undertow (WildFly): a frame's UTF-8 payload, encoded once for everyone it goes to
 * ({@link Frame#payloadBuffer}), handed to the connection's {@link WebSocketChannel} with
 * {@link WebSockets#sendText(java.nio.ByteBuffer, WebSocketChannel, WebSocketCallback)},
 * the API under Undertow's own {@code RemoteEndpoint} (which encodes the String again for
 * each recipient). Undertow frames each payload itself (and compresses it, where
 * permessage-deflate was agreed). Frames that go together are all handed over at once:
 * the channel queues them in order and flushes what is queued in one gathering write.
 *
 * <p>Written for the Undertow of WildFly 39 (pom.xml's {@code undertow.version}, the same
 * one, provided); the WAR's manifest asks WildFly for its Undertow modules. Where the
 * classes are missing, {@link WebSocketPeers} falls back to the portable path and says so once.
 */
final class UndertowPeer extends WebSocketPeer {
    private final WebSocketChannel channel;
    private final Meters.Writes writes;
    private volatile Consumer<Throwable> done;
    /** Frames of the send in flight not written yet; negative once one failed. */
    private final AtomicInteger unwritten = new AtomicInteger();
    /** One callback for every frame. */
    private final WebSocketCallback<Void> callback = new WebSocketCallback<>() {
        @Override
        public void complete(WebSocketChannel channel, Void context) {
            if (unwritten.decrementAndGet() == 0) {
                done.accept(null);
            }
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable failure) {
            if (unwritten.getAndSet(Integer.MIN_VALUE / 2) > 0) {
                done.accept(failure);
            }
        }
    };

    private UndertowPeer(Session session, Meters.Writes writes, WebSocketChannel channel) {
        super(session, writes);
        this.channel = channel;
        this.writes = writes;
    }

    /** This session's peer, or null if it is not Undertow's. */
    static WebSocketPeer of(Session session, Meters.Writes writes) {
        return session instanceof UndertowSession undertow
                ? new UndertowPeer(session, writes, undertow.getWebSocketChannel()) : null;
    }

    @Override
    public void send(List<Frame> frames, Consumer<Throwable> done) {
        this.done = done;
        unwritten.set(frames.size());
        try {
            for (Frame frame : frames) {
                writes.wrote(1);
                WebSockets.sendText(frame.payloadBuffer(), channel, callback);
            }
        } catch (RuntimeException e) { // the channel closed: the outbox has the failure, no callback tells it again
            unwritten.set(Integer.MIN_VALUE / 2);
            throw e;
        }
    }
}
