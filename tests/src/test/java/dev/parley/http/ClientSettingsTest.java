package dev.parley.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.config.ParleyConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config.json: how long the server may hold a lost connection's name follows its settings. */
class ClientSettingsTest {
    private static String json(Map<String, String> settings) {
        return ClientSettings.json(ParleyConfig.from(settings::get, name -> null));
    }

    @Test
    void aNameIsHeldUntilTheIdleTimeoutAndInAClusterAlsoUntilADeadNodesPresenceRunsOut() {
        assertEquals("{\"identity\":false,\"tokenUrl\":null,\"nameHeldSeconds\":60}", json(Map.of()));
        assertEquals("{\"identity\":false,\"tokenUrl\":null,\"nameHeldSeconds\":20}", json(Map.of("PARLEY_IDLE_TIMEOUT", "20")));
        assertEquals("{\"identity\":false,\"tokenUrl\":null,\"nameHeldSeconds\":90}", json(Map.of("PARLEY_IDLE_TIMEOUT", "20",
                "PARLEY_PRESENCE_TTL", "90", "PARLEY_REDIS_URL", "redis://127.0.0.1:6379")));
    }
}
