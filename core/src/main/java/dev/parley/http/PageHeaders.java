package dev.parley.http;

import java.util.Map;
import java.util.function.BiConsumer;

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

    /** Over TLS: browsers keep to https for the host for a year. */
    public static final String STRICT_TRANSPORT_SECURITY = "max-age=31536000";

    private PageHeaders() {
    }

    /** Sets {@link #ALL}, and {@code Strict-Transport-Security} on a response to a request that came over TLS. */
    public static void set(BiConsumer<String, String> header, boolean secure) {
        set(header, secure, null);
    }

    /**
     * As {@link #set(BiConsumer, boolean)}, the policy's {@code connect-src} also naming
     * {@code connectOrigin} when it is not null: where the web client fetches its tokens
     * (PARLEY_TOKEN_URL on another host).
     */
    public static void set(BiConsumer<String, String> header, boolean secure, String connectOrigin) {
        ALL.forEach(header);
        if (connectOrigin != null) {
            header.accept("Content-Security-Policy",
                    CONTENT_SECURITY_POLICY.replace("connect-src 'self'", "connect-src 'self' " + connectOrigin));
        }
        if (secure) {
            header.accept("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        }
    }
}
