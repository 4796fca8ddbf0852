package dev.parley.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The server API's routes (SERVER-API.md's table, and {@code GET …/bans}): a method and a
 * path of literal segments and {@code {placeholders}}. A path matches a route when it has
 * as many segments and the same literals; the placeholders' values are the route's to check.
 */
enum Route {
    PUBLISH("POST", "/rooms/{room}/messages"),
    HISTORY("GET", "/rooms/{room}/messages"),
    DELETE_MESSAGE("DELETE", "/rooms/{room}/messages/{seq}"),
    MEMBERS("GET", "/rooms/{room}/members"),
    ROOMS("GET", "/rooms"),
    DISCONNECT("POST", "/rooms/{room}/members/{user}/disconnect"),
    BANS("GET", "/rooms/{room}/bans"),
    BAN("POST", "/rooms/{room}/bans"),
    UNBAN("DELETE", "/rooms/{room}/bans/{user}");

    /** The most segments any route has: a longer path is no route's, and is not split further. */
    private static final int MAX_SEGMENTS = 5;

    private final String method;
    private final String path;
    private final String[] template;

    Route(String method, String path) {
        this.method = method;
        this.path = path;
        this.template = path.substring(1).split("/");
    }

    /** What the metrics call it: the contract's method and path. */
    String label() {
        return method + " " + path;
    }

    /**
     * What a request names: its route and the path's segments (not decoded), or no route
     * and the methods the path takes (none: the path names nothing).
     */
    record Match(Route route, List<String> segments, List<String> allowed) {
    }

    static Match match(String method, String path) {
        List<String> segments = segments(path);
        List<String> allowed = new ArrayList<>(2);
        if (segments != null) {
            for (Route route : values()) {
                if (route.fits(segments)) {
                    if (route.method.equals(method)) {
                        return new Match(route, segments, List.of());
                    }
                    allowed.add(route.method);
                }
            }
        }
        allowed.sort(null);
        return new Match(null, List.of(), List.copyOf(allowed));
    }

    private boolean fits(List<String> segments) {
        if (segments.size() != template.length) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            if (!template[i].startsWith("{") && !template[i].equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** "/rooms/lobby/messages" to [rooms, lobby, messages]; null if it cannot be a route's. */
    private static List<String> segments(String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        List<String> segments = new ArrayList<>(MAX_SEGMENTS);
        int from = 1;
        while (true) {
            if (segments.size() == MAX_SEGMENTS) {
                return null;
            }
            int to = path.indexOf('/', from);
            segments.add(path.substring(from, to < 0 ? path.length() : to));
            if (to < 0) {
                return segments;
            }
            from = to + 1;
        }
    }

    /** A path segment percent-decoded as UTF-8 ("ada%20l" to "ada l"); null if it is not that. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return null;
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return null; // a path as it came is ASCII: anything else is percent-encoded
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
