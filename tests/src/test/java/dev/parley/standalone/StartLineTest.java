package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up line: a link one can open, the address bound, and whether the admin view is on. */
class StartLineTest {
    private static String line(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("PARLEY_STORE", "memory"));
        all.putAll(settings);
        return StandaloneServer.startLine(ParleyConfig.from(all::get, name -> null), 8080, "memory");
    }

    private static void assertStarts(String expected, String line) {
        assertTrue(line.startsWith(expected), () -> "expected the line to start\n" + expected + "\nbut it is\n" + line);
    }

    @Test
    void everyInterfaceIsOpenedAtLocalhost() {
        assertStarts("Parley listening on http://localhost:8080/ (bound to 0.0.0.0, every interface; chat at /chat/{room});"
                + " admin view off (set PARLEY_ADMIN_TOKEN to turn it on); store: memory; max frame ", line(Map.of()));
        assertStarts("Parley listening on http://localhost:8080/ (bound to ::, every interface;",
                line(Map.of("PARLEY_HOST", "::")));
    }

    @Test
    void anAddressOfItsOwnIsOpenedThere() {
        assertStarts("Parley listening on http://127.0.0.1:8080/ (bound to 127.0.0.1; chat at /chat/{room}); admin view off",
                line(Map.of("PARLEY_HOST", "127.0.0.1")));
        assertStarts("Parley listening on http://[::1]:8080/ (bound to ::1; chat at /chat/{room});",
                line(Map.of("PARLEY_HOST", "::1")));
    }

    @Test
    void withAnAdminTokenItSaysWhereTheAdminViewIs() {
        assertStarts("Parley listening on http://localhost:8080/ (bound to 0.0.0.0, every interface; chat at /chat/{room});"
                + " admin view at http://localhost:8080/admin/; store: memory;",
                line(Map.of("PARLEY_ADMIN_TOKEN", "0123456789abcdef0123")));
    }

    @Test
    void withTheApiAndWebhooksOnItSaysWhereNeverTheKeyTheSecretOrTheWebhooksPath() {
        String line = line(Map.of("PARLEY_API_KEY", "api-key-0123456789abcdef-0123456789", "PARLEY_WEBHOOK_URL",
                "https://app.example.com:8443/hooks?token=t0p", "PARLEY_WEBHOOK_SECRET", "hook-secret-0123456789abcdef-01234"));
        assertStarts("Parley listening on http://localhost:8080/ (bound to 0.0.0.0, every interface; chat at /chat/{room});"
                + " admin view off (set PARLEY_ADMIN_TOKEN to turn it on); server API at http://localhost:8080/api/v1;"
                + " webhooks to https://app.example.com:8443; store: memory;", line);
        assertFalse(line.contains("0123456789abcdef") || line.contains("t0p"), line);
    }
}
