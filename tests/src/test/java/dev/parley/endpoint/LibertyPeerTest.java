package dev.parley.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.metrics.Meters;
import dev.parley.protocol.Frame;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LibertyPeer} over a fake session shaped as Open Liberty's (the session's
 * {@code getSessionImpl()}, its {@code connLink}, that link's {@code deviceConnLink} and
 * {@code vConnection}): closes leave the caller's thread, wait for the write in flight, and
 * end a connection whose write stays stalled.
 */
class LibertyPeerTest {
    private static final CloseReason SLOW = new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "slow consumer");

    private final Meters.Writes writes = new Meters(new SimpleMeterRegistry()).writes("portable");
    private final FakeSessionImpl impl = new FakeSessionImpl();
    private final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
    private final BlockingQueue<SendHandler> sends = new LinkedBlockingQueue<>();
    private final Session session = libertySession();
    private final ExecutorService closing = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        closing.shutdownNow();
    }

    @Test
    void aCloseDoesNotRunOnTheCallersThread() throws Exception {
        List<Runnable> later = new ArrayList<>();
        WebSocketPeer peer = LibertyPeer.of(session, writes, later::add, 10_000);
        peer.close(SLOW);
        assertNull(closes.peek(), "nothing closed yet");
        assertEquals(1, later.size());
        later.get(0).run(); // no write in flight: closed at once, with the reason
        assertSame(SLOW, closes.poll());
        assertNull(impl.connLink.deviceConnLink.closed.peek());
    }

    @Test
    void aWriteThatEndsWithinTheGraceIsFollowedByTheClose() throws Exception {
        WebSocketPeer peer = LibertyPeer.of(session, writes, closing, 10_000);
        BlockingQueue<Object> told = new LinkedBlockingQueue<>();
        peer.send(List.of(Frame.of("{\"type\":\"ping\"}")), failure -> told.add(failure == null ? "ok" : failure));
        SendHandler inFlight = sends.poll(5, TimeUnit.SECONDS);
        peer.close(SLOW);
        assertNull(closes.poll(200, TimeUnit.MILLISECONDS), "the close waits for the write in flight");
        inFlight.onResult(new SendResult());
        assertEquals("ok", told.poll(5, TimeUnit.SECONDS));
        assertSame(SLOW, closes.poll(5, TimeUnit.SECONDS));
        assertNull(impl.connLink.deviceConnLink.closed.peek(), "the connection is not cut");
    }

    @Test
    void aWriteStillStalledAfterTheGraceEndsTheConnectionUnderTheSession() throws Exception {
        WebSocketPeer peer = LibertyPeer.of(session, writes, closing, 50);
        peer.send(List.of(Frame.of("{\"type\":\"ping\"}")), failure -> { });
        assertTrue(sends.poll(5, TimeUnit.SECONDS) != null);
        peer.close(SLOW);
        assertSame(impl.connLink.vConnection, impl.connLink.deviceConnLink.closed.poll(5, TimeUnit.SECONDS));
        assertNull(closes.peek(), "Session.close would wait 5.5 s and leave the connection open");
    }

    @Test
    void withNoClosingThreadFreeTheConnectionEndsAtOnce() throws Exception {
        WebSocketPeer peer = LibertyPeer.of(session, writes, task -> {
            throw new RejectedExecutionException("full");
        }, 10_000);
        peer.close(SLOW);
        assertSame(impl.connLink.vConnection, impl.connLink.deviceConnLink.closed.poll());
    }

    @Test
    void aSessionNotShapedAsLibertysIsRefused() {
        Session other = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> null);
        assertThrows(ReflectiveOperationException.class, () -> LibertyPeer.of(other, writes, closing, 10));
    }

    // ---- a session shaped as Liberty's ----

    interface LibertySession extends Session {
        FakeSessionImpl getSessionImpl();
    }

    static final class FakeSessionImpl {
        final FakeConnLink connLink = new FakeConnLink();
    }

    static final class FakeConnLink {
        private final FakeDevice deviceConnLink = new FakeDevice();
        private final FakeVirtualConnection vConnection = new FakeVirtualConnection();
    }

    static final class FakeVirtualConnection {
    }

    static final class FakeDevice {
        final BlockingQueue<Object> closed = new LinkedBlockingQueue<>();

        public void close(FakeVirtualConnection connection, Exception cause) {
            closed.add(connection);
        }
    }

    private Session libertySession() {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        sends.add((SendHandler) args[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {LibertySession.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSessionImpl" -> impl;
                    case "getAsyncRemote" -> remote;
                    case "isOpen" -> true;
                    case "getId" -> "s1";
                    case "close" -> {
                        closes.add((CloseReason) args[0]);
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
