package dev.parley.standalone;

import dev.parley.api.ApiCases;
import dev.parley.support.Http;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

    /**
     * The JDK's client offers h2c on http:// by default. A GET is answered in HTTP/1.1; a
     * request with a body is refused at once (Grizzly would hand its body to the upgrade).
     */
    @Test
    void aRequestOfferingH2cIsAnsweredOrWithABodyRefusedAtOnce() throws Exception {
        HttpClient h2c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> get = h2c.send(HttpRequest.newBuilder(appUri("api/v1/rooms")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertAnswer(200, null, get);
        HttpResponse<String> post = h2c.send(HttpRequest.newBuilder(appUri("api/v1/rooms/" + room + "/messages"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"a\",\"text\":\"b\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertAnswer(400, "bad-json", post);
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
