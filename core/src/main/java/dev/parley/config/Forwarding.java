package dev.parley.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Who a request came from and where it was sent, behind proxies: the client's address, the
 * host and the scheme it asked for. From a peer in {@link TrustedProxies} these come from
 * RFC 7239 {@code Forwarded}, else from {@code X-Forwarded-For}, {@code X-Forwarded-Host}
 * and {@code X-Forwarded-Proto}; from anyone else they are the peer's address and the
 * request's own {@code Host}, and the headers are ignored.
 *
 * <p>The client is the rightmost address of the chain that is not itself a trusted proxy
 * (what the nearest untrusted hop said cannot be believed, nor anything left of it); the
 * host and scheme are those of the {@code Forwarded} element that names it, or the last
 * {@code X-Forwarded-Host}/{@code -Proto} value (what the nearest proxy sent). A value that
 * is not a literal address ({@code unknown}, an obfuscated name) ends the chain there.
 *
 * @param address the client's address
 * @param host    the host the client asked for ({@code name[:port]}), or null
 * @param scheme  {@code http} or {@code https} as the client used it, or null where no proxy said
 */
public record Forwarding(String address, String host, String scheme) {

    /**
     * @param peer    the address the request came from (the socket's)
     * @param host    the request's own {@code Host} header, or null
     * @param headers a request header by name (case-insensitive), several joined with commas, or null
     */
    public static Forwarding of(TrustedProxies trusted, String peer, String host, UnaryOperator<String> headers) {
        if (!trusted.trusts(peer)) {
            return new Forwarding(peer, host, null);
        }
        String forwarded = headers.apply("Forwarded");
        if (forwarded != null && !forwarded.isBlank()) {
            return fromForwarded(trusted, peer, host, forwarded);
        }
        String forwardedFor = headers.apply("X-Forwarded-For");
        if (forwardedFor == null || forwardedFor.isBlank()) {
            return new Forwarding(peer, host, null);
        }
        String client = peer;
        List<String> chain = List.of(forwardedFor.split(","));
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = address(chain.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
            if (!trusted.trusts(hop)) {
                break;
            }
        }
        String forwardedHost = last(headers.apply("X-Forwarded-Host"));
        return new Forwarding(client, forwardedHost != null ? forwardedHost : host,
                scheme(last(headers.apply("X-Forwarded-Proto"))));
    }

    /** Whether the client used TLS: the request itself did, or a trusted proxy says https. */
    public boolean secure(boolean requestSecure) {
        return scheme == null ? requestSecure : scheme.equals("https");
    }

    private static Forwarding fromForwarded(TrustedProxies trusted, String peer, String host, String header) {
        List<List<String[]>> elements = elements(header);
        Forwarding found = new Forwarding(peer, host, null);
        for (int i = elements.size() - 1; i >= 0; i--) {
            String forValue = null;
            String hostValue = null;
            String protoValue = null;
            for (String[] pair : elements.get(i)) {
                switch (pair[0]) {
                    case "for" -> forValue = pair[1];
                    case "host" -> hostValue = pair[1];
                    case "proto" -> protoValue = pair[1];
                    default -> { }
                }
            }
            String hop = forValue == null ? null : address(forValue);
            if (hop == null) {
                break;
            }
            found = new Forwarding(hop, hostValue != null && !hostValue.isBlank() ? hostValue : host, scheme(protoValue));
            if (!trusted.trusts(hop)) {
                break;
            }
        }
        return found;
    }

    /** The elements of a {@code Forwarded} header: each its pairs, lower-case names, values unquoted. */
    static List<List<String[]>> elements(String header) {
        List<List<String[]>> elements = new ArrayList<>();
        List<String[]> pairs = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        String name = null;
        boolean quoted = false;
        for (int i = 0; i <= header.length(); i++) {
            char c = i < header.length() ? header.charAt(i) : ',';
            if (quoted) {
                if (c == '\\' && i + 1 < header.length()) {
                    token.append(header.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    token.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '=' && name == null) {
                name = token.toString().trim().toLowerCase(Locale.ROOT);
                token.setLength(0);
            } else if (c == ';' || c == ',') {
                if (name != null) {
                    pairs.add(new String[] {name, token.toString().trim()});
                }
                name = null;
                token.setLength(0);
                if (c == ',') {
                    elements.add(pairs);
                    pairs = new ArrayList<>();
                }
            } else {
                token.append(c);
            }
        }
        return elements;
    }

    /** A hop's address without port or brackets, or null where it is not a literal address. */
    static String address(String value) {
        String v = value.trim();
        if (v.startsWith("[")) { // [v6] or [v6]:port
            int close = v.indexOf(']');
            v = close < 0 ? "" : v.substring(1, close);
        } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) { // v4:port
            v = v.substring(0, v.indexOf(':'));
        }
        return TrustedProxies.literal(v) == null ? null : v;
    }

    private static String last(String list) {
        if (list == null) {
            return null;
        }
        String[] values = list.split(",");
        String value = values[values.length - 1].trim();
        return value.isEmpty() ? null : value;
    }

    private static String scheme(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("https") || v.equals("wss") ? "https" : v.equals("http") || v.equals("ws") ? "http" : null;
    }
}
