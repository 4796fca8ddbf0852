package dev.parley.web;

import java.util.Map;

/**
 * The security headers every response of the web client carries, in the standalone
 * server and in the WAR alike. The client has no inline script or style and fetches
 * nothing from elsewhere, so its policy can be strict: its own files, its own chat socket
 * ({@code 'self'} covers {@code ws:}/{@code wss:} to the same host), and no framing.
 */
public final class PageHeaders {
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    /** Header name to value. */
    public static final Map<String, String> ALL = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "Referrer-Policy", "no-referrer",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY");

    private PageHeaders() {
    }
}
