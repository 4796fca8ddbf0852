package dev.parley.room;

/**
 * What a transport tells of a new connection's request, for {@link Admission} and the join.
 *
 * @param headersSeen whether the transport could read the request's headers at all (a
 *                    container that does not pass them on: origins cannot be checked)
 * @param origin      the {@code Origin} header, or null (not a browser)
 * @param host        the {@code Host} header the request was sent to
 * @param address     the client's IP address, or null where the transport cannot tell
 * @param lastSeen    the newest seq the client says it has (an event stream's
 *                    {@code Last-Event-ID}), taken as {@code since} by a join without one; or -1
 */
public record Handshake(boolean headersSeen, String origin, String host, String address, long lastSeen) {
    /** A handshake that says nothing of what the client has seen (a WebSocket's). */
    public Handshake(boolean headersSeen, String origin, String host, String address) {
        this(headersSeen, origin, host, address, -1);
    }
}
