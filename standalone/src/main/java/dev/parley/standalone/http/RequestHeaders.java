package dev.parley.standalone.http;

import org.glassfish.grizzly.http.server.Request;

/**
 * A request's headers as {@code Forwarding} and the HTTP transport read them, a name at a
 * time: the same as the WAR's servlets hand them over.
 */
final class RequestHeaders {
    private RequestHeaders() {
    }

    /** A request header, several values joined with commas (as proxies may send X-Forwarded-For); null if none. */
    static String get(Request request, String name) {
        String joined = null;
        for (String value : request.getHeaders(name)) {
            joined = joined == null ? value : joined + "," + value;
        }
        return joined;
    }
}
