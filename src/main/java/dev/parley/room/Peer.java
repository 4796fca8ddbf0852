package dev.parley.room;

import jakarta.websocket.CloseReason;
import java.util.function.Consumer;

/**
 * Where one connection's frames go, as its {@link Outbox} sees it: a WebSocket session
 * ({@code endpoint.WebSocketPeer}) or an HTTP event stream ({@code sse.SseStream}). Nothing of
 * the protocol lives here; close reasons keep PROTOCOL.md's WebSocket codes.
 */
public interface Peer {
    /**
     * Sends one text frame without waiting; {@code done} is told once, with null when the
     * frame is written or with the failure. It may be told inside this call (Tyrus does
     * when the socket takes the frame at once), or a failure may be thrown from it. The
     * outbox sends one frame at a time: it calls this again only after {@code done} was told.
     */
    void send(String frame, Consumer<Throwable> done);

    /** Closes with this reason; a failure to close is the peer's to log. */
    void close(CloseReason reason);

    /** The transport's name in metrics: {@code websocket} or {@code sse}. */
    String transport();
}
