package dev.parley.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParleyConfigTest {

    private static ParleyConfig load(Map<String, String> env, Map<String, String> properties) {
        return ParleyConfig.from(env::get, properties::get);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ParleyConfig config = ParleyConfig.defaults();
        assertEquals("0.0.0.0", config.host());
        assertEquals(8080, config.port());
        assertEquals(16384, config.maxFrameBytes());
        assertEquals(Duration.ofSeconds(60), config.idleTimeout());
        assertEquals(10000, config.historyKeep());
        assertEquals(1000, config.sendQueue());
        assertEquals(1000, config.recoveryCap());
        assertEquals(20, config.rateLimit());
    }

    @Test
    void environmentVariablesAreRead() {
        ParleyConfig config = load(Map.of("PARLEY_HOST", "127.0.0.1", "PARLEY_PORT", "9000", "PARLEY_MAX_FRAME", "4096",
                "PARLEY_IDLE_TIMEOUT", "5", "PARLEY_HISTORY_KEEP", "20", "PARLEY_SEND_QUEUE", "30",
                "PARLEY_RECOVERY_CAP", "2000", "PARLEY_RATE_LIMIT", "0"), Map.of());
        assertEquals(new ParleyConfig("127.0.0.1", 9000, 4096, Duration.ofSeconds(5), 20, 30, 2000, 0), config);
    }

    @Test
    void theSystemPropertyTwinWinsOverTheVariable() {
        ParleyConfig config = load(Map.of("PARLEY_PORT", "9000", "PARLEY_SEND_QUEUE", "30"),
                Map.of("parley.port", "9001", "parley.send.queue", "31"));
        assertEquals(9001, config.port());
        assertEquals(31, config.sendQueue());
    }

    @Test
    void anUnparsableValueNamesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_PORT", "eighty"), Map.of()));
        assertTrue(e.getMessage().startsWith("PARLEY_PORT must be an integer from 0 to 65535"), e.getMessage());
        assertTrue(e.getMessage().contains("\"eighty\""), e.getMessage());
    }

    @Test
    void anOutOfRangeValueNamesTheVariableAndTheRange() {
        for (Map.Entry<String, String> bad : Map.of("PARLEY_PORT", "65536", "PARLEY_MAX_FRAME", "10",
                "PARLEY_IDLE_TIMEOUT", "0", "PARLEY_HISTORY_KEEP", "0", "PARLEY_SEND_QUEUE", "-1",
                "PARLEY_RECOVERY_CAP", "999", "PARLEY_RATE_LIMIT", "-5").entrySet()) {
            ConfigException e = assertThrows(ConfigException.class, () -> load(Map.ofEntries(bad), Map.of()));
            assertTrue(e.getMessage().startsWith(bad.getKey() + " must be an integer from "), e.getMessage());
        }
    }

    @Test
    void aBadSystemPropertyIsNamedAsSuch() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of(), Map.of("parley.idle.timeout", "soon")));
        assertTrue(e.getMessage().startsWith("system property parley.idle.timeout (PARLEY_IDLE_TIMEOUT)"), e.getMessage());
    }

    @Test
    void anEmptyHostIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("PARLEY_HOST", " "), Map.of()));
        assertTrue(e.getMessage().startsWith("PARLEY_HOST"), e.getMessage());
    }
}
