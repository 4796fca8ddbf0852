package dev.parley.standalone;

import dev.parley.api.ApiCases;
import dev.parley.support.Http;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server API on the standalone server (its default H2 store), and the API off without a key. */
class StandaloneApiTest extends ApiCases {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_API_KEY", KEY));
    @RegisterExtension
    static final StandaloneParley WITHOUT_KEY = new StandaloneParley();

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }

    @Override
    protected URI appUri(String path) {
        return SERVER.httpUri().resolve(path);
    }

    @Test
    void withoutAKeyTheApiIsOffAndEveryPathIs404() {
        for (String path : new String[] {"api/v1/rooms", "api/v1/rooms/lobby/messages", "api/v1/nothing", "api/v1"}) {
            assertAnswer(404, "not-found", Http.send("GET", WITHOUT_KEY.httpUri().resolve(path), null,
                    "Authorization", "Bearer " + KEY));
        }
        assertAnswer(404, "not-found", Http.send("POST", WITHOUT_KEY.httpUri().resolve("api/v1/rooms/lobby/messages"),
                "{\"user\":\"a\",\"text\":\"b\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
