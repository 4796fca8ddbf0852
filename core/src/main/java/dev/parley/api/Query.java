package dev.parley.api;

import dev.parley.protocol.InboundDecoder;
import java.util.HashMap;
import java.util.Map;

/**
 * A request's query string ({@code before=10&limit=20}): the first value of each name,
 * percent-decoded, at most a few dozen names (a query past that is not one of ours).
 * The API's parameters follow {@code history}'s rules, and break them with {@code bad-json}.
 */
record Query(Map<String, String> values) {
    private static final int MAX_PARAMETERS = 32;

    static Query parse(String query) {
        Map<String, String> values = new HashMap<>();
        if (query != null && !query.isEmpty()) {
            String[] pairs = query.split("&", MAX_PARAMETERS + 1);
            for (int i = 0; i < Math.min(pairs.length, MAX_PARAMETERS); i++) {
                int eq = pairs[i].indexOf('=');
                String name = Route.decode(eq < 0 ? pairs[i] : pairs[i].substring(0, eq));
                String value = eq < 0 ? "" : Route.decode(pairs[i].substring(eq + 1).replace('+', ' '));
                if (name == null || value == null) {
                    throw ServerApi.badJson("The query string is not percent-encoded UTF-8.");
                }
                values.putIfAbsent(name, value);
            }
        }
        return new Query(Map.copyOf(values));
    }

    /** A parameter as given, or {@code absent}. */
    String text(String name, String absent) {
        return values.getOrDefault(name, absent);
    }

    /** A non-negative integer parameter, or {@code absent}. */
    long nonNegative(String name, long absent) {
        String value = values.get(name);
        if (value == null) {
            return absent;
        }
        long n = number(value);
        if (n < 0) {
            throw ServerApi.badJson(name + " must be a non-negative integer.");
        }
        return n;
    }

    /** {@code limit}: 1 to {@value InboundDecoder#MAX_LIMIT}, {@value InboundDecoder#DEFAULT_LIMIT} if absent. */
    int limit() {
        String value = values.get("limit");
        if (value == null) {
            return InboundDecoder.DEFAULT_LIMIT;
        }
        long n = number(value);
        if (n < 1 || n > InboundDecoder.MAX_LIMIT) {
            throw ServerApi.badJson("limit must be an integer from 1 to " + InboundDecoder.MAX_LIMIT + ".");
        }
        return (int) n;
    }

    /** The value as a decimal integer; -1 if it is not one (too long to be a seq included). */
    private static long number(String value) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(value);
    }
}
