package dev.parley.room;

import dev.parley.protocol.Frame;
import jakarta.websocket.CloseReason;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where one connection's frames go, as its {@link Outbox} sees it: a WebSocket session
 * ({@code endpoint.WebSocketPeers} picks how) or an HTTP event stream ({@code sse.SseStream}).
 * Nothing of the protocol lives here; close reasons keep PROTOCOL.md's WebSocket codes.
 */
public interface Peer {
    /**
     * Sends these frames, in this order, without waiting; in one write where the peer can
     * (frames that queued while the previous send was in flight). {@code done} is told
     * once, with null when all are written or with the first failure. It may be told
     * inside this call (Tyrus does when the socket takes the bytes at once), or a failure
     * may be thrown from it. The outbox has one send in flight at a time: it calls this
     * again only after {@code done} was told. The frames are shared with other peers and
     * must not be changed.
     */
    void send(List<Frame> frames, Consumer<Throwable> done);

    /** Closes with this reason; a failure to close is the peer's to log. */
    void close(CloseReason reason);

    /** The transport's name in metrics: {@code websocket} or {@code sse}. */
    String transport();
}
