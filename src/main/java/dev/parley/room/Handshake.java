package dev.parley.room;

/**
 * What a transport tells of a new connection's request, for {@link Admission}.
 *
 * @param headersSeen whether the transport could read the request's headers at all (a
 *                    container that does not pass them on: origins cannot be checked)
 * @param origin      the {@code Origin} header, or null (not a browser)
 * @param host        the {@code Host} header the request was sent to
 * @param address     the client's IP address, or null where the transport cannot tell
 */
public record Handshake(boolean headersSeen, String origin, String host, String address) {
}
