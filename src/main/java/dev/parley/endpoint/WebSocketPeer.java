package dev.parley.endpoint;

import dev.parley.room.Peer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A connection's frames on its WebSocket session, sent with the container's asynchronous remote. */
final class WebSocketPeer implements Peer {
    private static final Logger LOG = Logger.getLogger(WebSocketPeer.class.getName());

    private final Session session;
    private final RemoteEndpoint.Async remote;
    /** The send in flight's completion: there is one at a time (see {@link Peer#send}). */
    private volatile Consumer<Throwable> done;
    /** One handler for every send, so a delivery allocates nothing here. */
    private final SendHandler handler = result -> done.accept(result.isOK() ? null : result.getException());

    WebSocketPeer(Session session) {
        this.session = session;
        this.remote = session.getAsyncRemote();
    }

    @Override
    public void send(String frame, Consumer<Throwable> done) {
        this.done = done;
        remote.sendText(frame, handler);
    }

    @Override
    public String transport() {
        return "websocket";
    }

    @Override
    public void close(CloseReason reason) {
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "close failed", e);
        }
    }
}
