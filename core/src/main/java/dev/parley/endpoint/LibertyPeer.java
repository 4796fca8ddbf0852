package dev.parley.endpoint;

import dev.parley.metrics.Meters;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Open Liberty's WebSocket session: frames go through the portable API (Liberty has no
 * other), but closes do not. Liberty's {@code Session.close()} waits for the write in
 * flight, up to 5.5 s on the calling thread, and when that write is stalled (a reader that
 * stopped reading: the very connection Parley closes as a slow consumer) it then gives up
 * without sending the close frame or closing the connection. So here a close never runs on
 * the caller's thread (a room's): it goes to the closing threads of {@link WebSocketPeers},
 * which wait up to {@link #WRITE_GRACE_MILLIS} for the write in flight and then close with
 * the reason; a write still stalled by then ends the connection under the session, as
 * Liberty itself does when a close frame cannot be written (its {@code WsocConnLink}'s
 * {@code deviceConnLink.close(vConnection, null)}, reached by reflection). The reader finds
 * no close frame (1006), as on Payara. docs/CONTAINERS.md, "Open Liberty 26".
 */
final class LibertyPeer extends WebSocketPeer {
    private static final Logger LOG = Logger.getLogger(LibertyPeer.class.getName());
    /** How long a close waits for the write in flight before it ends the connection. */
    static final long WRITE_GRACE_MILLIS = 2000;

    private final Executor closing;
    private final Abort abort;
    private final long graceMillis;

    private LibertyPeer(Session session, Meters.Writes writes, Executor closing, Abort abort, long graceMillis) {
        super(session, writes);
        this.closing = closing;
        this.abort = abort;
        this.graceMillis = graceMillis;
    }

    /**
     * The peer for a Liberty session ({@code com.ibm.ws.wsoc.}), closing on {@code closing}
     * after waiting up to {@code graceMillis} for the write in flight.
     *
     * @throws ReflectiveOperationException if Liberty's classes are not what this was written for
     */
    static WebSocketPeer of(Session session, Meters.Writes writes, Executor closing, long graceMillis)
            throws ReflectiveOperationException {
        return new LibertyPeer(session, writes, closing, Abort.of(session), graceMillis);
    }

    @Override
    public void close(CloseReason reason) {
        try {
            closing.execute(() -> closeAfterWrite(reason));
        } catch (RejectedExecutionException e) { // too many closes pending: this one does not wait
            LOG.log(Level.FINE, "no closing thread free for {0}: its connection ends now", session.getId());
            abort.run(session);
        }
    }

    private void closeAfterWrite(CloseReason reason) {
        boolean written;
        try {
            written = awaitNotWriting(graceMillis);
        } catch (InterruptedException e) { // Parley is stopping
            Thread.currentThread().interrupt();
            written = false;
        }
        if (written) {
            super.close(reason);
        } else {
            LOG.log(Level.FINE, "{0}: a write stalled for {1} ms, the connection ends without a close frame",
                    new Object[] {session.getId(), graceMillis});
            abort.run(session);
        }
    }

    /** Ends a Liberty session's connection without writing to it. */
    private record Abort(Method sessionImpl, Field connLink, Field deviceConnLink, Field vConnection, Method close) {
        static Abort of(Session session) throws ReflectiveOperationException {
            Method sessionImpl = session.getClass().getMethod("getSessionImpl");
            Field connLink = sessionImpl.getReturnType().getDeclaredField("connLink");
            Field device = connLink.getType().getDeclaredField("deviceConnLink");
            Field vConnection = connLink.getType().getDeclaredField("vConnection");
            Method close = device.getType().getMethod("close", vConnection.getType(), Exception.class);
            connLink.setAccessible(true);
            device.setAccessible(true);
            vConnection.setAccessible(true);
            return new Abort(sessionImpl, connLink, device, vConnection, close);
        }

        void run(Session session) {
            try {
                Object link = connLink.get(sessionImpl.invoke(session));
                Object device = deviceConnLink.get(link);
                if (device != null) {
                    close.invoke(device, vConnection.get(link), null);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.log(Level.FINE, "could not end the connection of " + session.getId(), e);
            }
        }
    }
}
