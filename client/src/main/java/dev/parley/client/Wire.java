package dev.parley.client;

import java.net.URI;

/**
 * One connection to one room, WebSocket ({@link WebSocketWire}) or the HTTP transport
 * ({@link HttpWire}), as PROTOCOL.md describes them: frames in, frames out, a close. It
 * knows nothing of the protocol's frames; {@link ParleyClient} does.
 */
interface Wire {

    /**
     * What a wire tells its owner. A wire calls it from any thread, but never two calls at
     * once, in the order things happened; nothing after {@link #closed}, and nothing at all
     * after its owner called {@link Wire#close}.
     */
    interface Handler {
        /** The connection is open: frames may be sent. */
        void opened(Transport kind);

        /** One frame from the server, its JSON text as it came. */
        void frame(String json);

        /** The connection ended: the close code and reason, 1006 and "" for a lost one. Called once. */
        void closed(int code, String reason);
    }

    /** Starts to connect to {@code uri} and returns at once; {@code handler} hears how it goes. */
    void open(URI uri, Handler handler);

    /**
     * Queues one frame's JSON to be sent after those before it.
     *
     * @return false if it was not queued: not open yet, closed, or its queue is full
     */
    boolean send(String json);

    /** Hangs up (a normal close); the handler hears nothing more. Idempotent. */
    void close();
}
