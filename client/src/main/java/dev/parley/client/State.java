package dev.parley.client;

/**
 * Where a client is, as the web page's connection ({@code clients/js/connection.js}) names it:
 *
 * <pre>
 *   OFFLINE ──connect()──&gt; CONNECTING ──open──&gt; JOINING ──welcome──&gt; ONLINE
 *   CONNECTING, JOINING, ONLINE ──lost──&gt; RECONNECTING ──backoff──&gt; CONNECTING
 *   JOINING ──name refused──&gt; OFFLINE (connect()'s future fails)
 *   CONNECTING, JOINING, ONLINE ──refused for good──&gt; REFUSED
 *   any ──close()──&gt; OFFLINE
 * </pre>
 */
public enum State {
    /** Not connected and not trying: before {@code connect()}, after {@code close()}, after a name was refused. */
    OFFLINE,
    /** Fetching a token, or a transport is opening. */
    CONNECTING,
    /** The transport is open and {@code join} went out: waiting for {@code welcome}. */
    JOINING,
    /** Welcomed: a member of the room. */
    ONLINE,
    /** Lost: waiting out the backoff before the next attempt. */
    RECONNECTING,
    /** Refused for good (a bad room, unauthorized, banned, removed by an administrator): no more attempts. */
    REFUSED
}
