package dev.parley.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.List;

/**
 * The {@code reconnect} frame a server sends before it closes with 1001 or 1013
 * (PROTOCOL.md, Closing): {@code {"type":"reconnect","after":MS}}.
 */
public final class RetryHint {
    private RetryHint() {
    }

    /**
     * Checks that the last of the frames a client got before its close is the hint, the only
     * one, with {@code min <= after < max}; answers its {@code after}.
     */
    public static long lastBeforeClose(List<JsonObject> beforeClose, long min, long max) {
        assertFalse(beforeClose.isEmpty(), "no reconnect frame before the close");
        JsonObject hint = beforeClose.get(beforeClose.size() - 1);
        assertEquals("reconnect", hint.getString("type", null), () -> "the last frame before the close: " + hint);
        assertEquals(1, beforeClose.stream().filter(f -> "reconnect".equals(f.getString("type", null))).count(),
                () -> "one hint: " + beforeClose);
        assertEquals(2, hint.size(), () -> "type and after: " + hint);
        long after = hint.getJsonNumber("after").longValueExact();
        assertTrue(after >= min && after < max, () -> "after " + after + " not in [" + min + ", " + max + ")");
        return after;
    }
}
