package dev.parley.client;

/** How a client reaches the server: PROTOCOL.md's WebSocket, its HTTP transport, or either. */
public enum Transport {
    /** WebSocket first; the HTTP transport when a WebSocket cannot open, and back once it can. */
    AUTO,
    /** WebSocket only. */
    WEBSOCKET,
    /** The HTTP transport only: the event stream down, POSTs up. */
    HTTP
}
