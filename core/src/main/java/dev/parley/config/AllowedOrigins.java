package dev.parley.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which browser pages may open a chat socket ({@code PARLEY_ALLOWED_ORIGINS}): a defence
 * against cross-site WebSocket hijacking, since a browser sends its cookies and reaches
 * the LAN from any page it shows. A request without {@code Origin} is not a browser's and
 * is let in; a browser's {@code Origin} must name the host the request was sent to, or
 * match one of the configured patterns: {@code *} (any), {@code https://chat.example.com}
 * (exact, default port implied), {@code https://*.example.com} (any subdomain, not the
 * domain itself), each optionally with a port.
 */
public final class AllowedOrigins {
    private final List<Pattern> patterns;
    private final boolean any;

    private record Pattern(String scheme, String host, boolean subdomains, int port) {
        boolean matches(Origin origin) {
            if (!scheme.equals(origin.scheme()) || port != origin.port()) {
                return false;
            }
            return subdomains ? origin.host().endsWith("." + host) : origin.host().equals(host);
        }
    }

    /** An Origin header, parsed: scheme and host in lower case, the port made explicit. */
    private record Origin(String scheme, String host, int port) {
        static Origin parse(String value) {
            try {
                URI uri = new URI(value.trim());
                String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
                String host = uri.getHost();
                if (scheme == null || host == null || uri.getRawUserInfo() != null
                        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    return null;
                }
                int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
                return port < 0 ? null : new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
            } catch (URISyntaxException e) {
                return null;
            }
        }
    }

    private AllowedOrigins(List<Pattern> patterns, boolean any) {
        this.patterns = patterns;
        this.any = any;
    }

    /** The same-host rule alone: what Parley does when the setting is not given. */
    public static AllowedOrigins sameHostOnly() {
        return new AllowedOrigins(List.of(), false);
    }

    /**
     * @param list comma-separated patterns
     * @throws IllegalArgumentException naming the first pattern that is not one
     */
    public static AllowedOrigins parse(String list) {
        List<Pattern> patterns = new ArrayList<>();
        boolean any = false;
        for (String item : list.split(",")) {
            String pattern = item.trim();
            if (pattern.isEmpty()) {
                continue;
            }
            if (pattern.equals("*")) {
                any = true;
                continue;
            }
            boolean subdomains = pattern.contains("://*.");
            Origin origin = Origin.parse(subdomains ? pattern.replace("://*.", "://") : pattern);
            if (origin == null || origin.host().contains("*")) {
                throw new IllegalArgumentException("\"" + pattern + "\" is not an origin such as https://chat.example.com,"
                        + " https://*.example.com or *");
            }
            patterns.add(new Pattern(origin.scheme(), origin.host(), subdomains, origin.port()));
        }
        return new AllowedOrigins(List.copyOf(patterns), any);
    }

    /**
     * Whether a handshake may go on.
     *
     * @param origin the request's {@code Origin} header, or null when it has none
     * @param host   the request's {@code Host} header ({@code name[:port]}), or null
     */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        Origin parsed = Origin.parse(origin);
        if (parsed == null) {
            return false; // "null" (sandboxed frames, file: pages) and anything unparsable
        }
        if (host != null && sameHost(parsed, host)) {
            return true;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matches(parsed)) {
                return true;
            }
        }
        return false;
    }

    /** Origin's host and port against the Host header; the port of a Host without one is the origin scheme's default. */
    private static boolean sameHost(Origin origin, String hostHeader) {
        Origin target = Origin.parse(origin.scheme() + "://" + hostHeader.trim());
        return target != null && target.host().equals(origin.host()) && target.port() == origin.port();
    }

    private static int defaultPort(String scheme) {
        switch (scheme) {
            case "http":
            case "ws":
                return 80;
            case "https":
            case "wss":
                return 443;
            default:
                return -1;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AllowedOrigins && ((AllowedOrigins) other).any == any
                && ((AllowedOrigins) other).patterns.equals(patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode() * 31 + (any ? 1 : 0);
    }

    @Override
    public String toString() {
        if (any) {
            return "any origin";
        }
        if (patterns.isEmpty()) {
            return "same host only";
        }
        List<String> shown = new ArrayList<>();
        for (Pattern p : patterns) {
            shown.add(p.scheme() + "://" + (p.subdomains() ? "*." : "") + p.host() + ":" + p.port());
        }
        return "same host and " + String.join(", ", shown);
    }
}
