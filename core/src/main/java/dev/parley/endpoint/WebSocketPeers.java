package dev.parley.endpoint;

import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Meters;
import dev.parley.metrics.Monitoring;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.Session;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a WebSocket connection's frames are written: picked per session at run time from the
 * container that made it. The WebSocket API has one way, {@code RemoteEndpoint.Async.sendText(String)},
 * with which the container encodes the text and frames it again for every recipient of a
 * broadcast. Where Parley knows the container's own API underneath, it writes the bytes it
 * encoded once ({@link dev.parley.protocol.Frame}):
 * <ul>
 * <li>{@code tyrus}: Tyrus (the standalone server, Payara), the whole frame's bytes through
 *     the connection's writer, queued frames in one write ({@link TyrusPeer});</li>
 * <li>{@code undertow}: Undertow (WildFly), the payload's bytes through its channel ({@link UndertowPeer});</li>
 * <li>{@code portable}: everywhere else, with {@code PARLEY_WEBSOCKET_SEND=portable}, and
 *     wherever a fast path's classes are not what it was written for ({@link WebSocketPeer});
 *     on Open Liberty with closes off the caller's thread ({@link LibertyPeer}).</li>
 * </ul>
 * Which one is in use is logged once, a fast path that fails to set up at WARNING (then
 * it is not tried again), and counted: {@code parley_websocket_writes_total{path}} and
 * {@code parley_websocket_frames_total{path}}.
 */
@ApplicationScoped
public class WebSocketPeers {
    private static final Logger LOG = Logger.getLogger(WebSocketPeers.class.getName());

    @Inject
    ParleyConfig config;

    @Inject
    Monitoring monitoring;

    private Meters.Writes tyrusWrites;
    private Meters.Writes undertowWrites;
    private Meters.Writes portableWrites;
    private volatile TyrusPeer.Handles tyrus;
    private volatile boolean fastPathBroken;
    private volatile boolean libertyBroken;
    private static final int CLOSES_PENDING = 10_000;
    /**
     * Where {@link LibertyPeer} closes: two threads, at most {@value #CLOSES_PENDING} closes
     * waiting (beyond that a connection ends without waiting for its write).
     */
    private final ThreadPoolExecutor closing = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(CLOSES_PENDING), task -> {
                Thread thread = new Thread(task, "parley-close");
                thread.setDaemon(true);
                return thread;
            });
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void start() {
        Meters meters = monitoring.meters();
        tyrusWrites = meters.writes("tyrus");
        undertowWrites = meters.writes("undertow");
        portableWrites = meters.writes("portable");
    }

    @PreDestroy
    void stop() {
        closing.shutdownNow();
    }

    /** The peer for a session that has just opened. */
    WebSocketPeer peer(Session session) {
        if (!libertyBroken && session.getClass().getName().startsWith("com.ibm.ws.wsoc.")) {
            try {
                sayOnce(Level.INFO, "WebSocket frames are written through the portable API (Open Liberty has no other);"
                        + " closes run on Parley's own threads, since Liberty's close waits for a stalled write");
                return LibertyPeer.of(session, portableWrites, closing, LibertyPeer.WRITE_GRACE_MILLIS);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                libertyBroken = true;
                sayOnce(Level.WARNING, "A connection whose reader stalls cannot be ended on this Open Liberty: its classes"
                        + " are not what Parley was written for (" + e + "); a close waits up to 5.5 s for a stalled write");
            }
        }
        if (config.portableSends()) {
            sayOnce(Level.INFO, "WebSocket frames are written through the portable API (PARLEY_WEBSOCKET_SEND=portable)");
        } else if (!fastPathBroken) {
            WebSocketPeer fast = fast(session);
            if (fast != null) {
                return fast;
            }
        }
        return new WebSocketPeer(session, portableWrites);
    }

    private WebSocketPeer fast(Session session) {
        String container = session.getClass().getName();
        try {
            if (container.startsWith("org.glassfish.tyrus.")) {
                TyrusPeer.Handles handles = tyrus;
                if (handles == null) {
                    handles = TyrusPeer.handles(session);
                    tyrus = handles;
                }
                WebSocketPeer peer = TyrusPeer.of(session, tyrusWrites, handles);
                if (peer == null) {
                    sayOnce(Level.INFO, "WebSocket sessions with an extension are written through the portable API:"
                            + " Tyrus applies the extension to each frame");
                    return null;
                }
                sayOnce(Level.INFO, "WebSocket frames are written through Tyrus' writer: each broadcast framed once");
                return peer;
            }
            if (container.startsWith("io.undertow.")) {
                WebSocketPeer peer = UndertowPeer.of(session, undertowWrites);
                if (peer != null) {
                    sayOnce(Level.INFO, "WebSocket frames are written through Undertow's channel: each broadcast encoded once");
                    return peer;
                }
            }
            sayOnce(Level.INFO, "WebSocket frames are written through the portable API: no fast path for " + container);
            return null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            fastPathBroken = true;
            sayOnce(Level.WARNING, "WebSocket frames are written through the portable API: the fast path for " + container
                    + " was written for another version of it (" + e + ")");
            return null;
        }
    }

    private void sayOnce(Level level, String message) {
        if (said.add(message)) {
            LOG.log(level, message);
        }
    }
}
