package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PARLEY_TRUSTED_PROXIES: the tests' loopback address is a trusted proxy here, and one
 * connection per address is allowed. From a trusted proxy the client's address and the host
 * it asked for come from X-Forwarded-* and Forwarded, over WebSocket and the HTTP transport
 * alike ({@link UntrustedForwardingTest}: from anyone else those headers change nothing).
 */
class TrustedProxiesTest {
    @RegisterExtension
    static final StandaloneParley BEHIND = new StandaloneParley(Map.of("PARLEY_TRUSTED_PROXIES", "127.0.0.0/8, ::1",
            "PARLEY_MAX_CONNECTIONS_PER_IP", "1"));

    private static final String PAGE = "https://chat.example.com";
    private static final java.util.concurrent.atomic.AtomicInteger LAST = new java.util.concurrent.atomic.AtomicInteger();

    /** An address no earlier case used: one still closing would count against the limit. */
    static String fresh() {
        int n = LAST.incrementAndGet();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    static ChatClient joined(URI room, Map<String, String> headers, String user) {
        ChatClient client = ChatClient.connect(room, headers);
        client.send("{\"type\":\"join\",\"user\":\"" + user + "\"}");
        assertEquals(user, client.next("welcome").getString("user"));
        return client;
    }

    @Test
    void theLimitPerAddressCountsTheForwardedClientsNotTheProxy() {
        for (Function<String, URI> transport : new Function[] {(Function<String, URI>) BEHIND::chatUri,
                (Function<String, URI>) BEHIND::streamUri}) {
            URI room = transport.apply(Rooms.fresh());
            String address = fresh();
            try (ChatClient ann = joined(room, Map.of("X-Forwarded-For", address), "ann");
                 ChatClient bob = joined(room, Map.of("Forwarded", "for=\"[2001:db8::" + LAST.incrementAndGet() + "]:4711\""), "bob");
                 ChatClient again = ChatClient.connect(room, Map.of("X-Forwarded-For", "203.0.113.7, " + address))) {
                assertEquals(new ChatClient.Closed(1013, "try again later"), again.awaitClose(), room.toString());
                assertTrue(ann.awaitClose(java.time.Duration.ZERO).isEmpty());
            }
        }
    }

    @Test
    void aPageServedByTheProxyPassesTheOriginCheckWithTheForwardedHost() {
        for (Function<String, URI> transport : new Function[] {(Function<String, URI>) BEHIND::chatUri,
                (Function<String, URI>) BEHIND::streamUri}) {
            try (ChatClient xf = joined(transport.apply(Rooms.fresh()), Map.of("Origin", PAGE, "X-Forwarded-For", fresh(),
                    "X-Forwarded-Host", "chat.example.com", "X-Forwarded-Proto", "https"), "ann");
                 ChatClient rfc = joined(transport.apply(Rooms.fresh()), Map.of("Origin", PAGE,
                         "Forwarded", "for=" + fresh() + ";host=chat.example.com;proto=https"), "bob")) {
                xf.send("{\"type\":\"message\",\"text\":\"through the proxy\",\"cid\":\"c1\"}");
                assertEquals("c1", xf.next("ack").getString("cid"));
            }
            try (ChatClient elsewhere = ChatClient.connect(transport.apply(Rooms.fresh()), Map.of("Origin", PAGE,
                    "X-Forwarded-For", fresh(), "X-Forwarded-Host", "other.example.com"))) {
                assertEquals(new ChatClient.Closed(1008, "origin not allowed"), elsewhere.awaitClose());
            }
        }
    }

    @Test
    void thePageGetsHstsWhenATrustedProxySaysTheClientUsedHttps() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Function<Map<String, String>, HttpResponse<Void>> get = headers -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(BEHIND.httpUri().resolve("/"));
            headers.forEach(request::header);
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertEquals("max-age=31536000", get.apply(Map.of("X-Forwarded-For", "198.51.100.1", "X-Forwarded-Proto", "https"))
                .headers().firstValue("Strict-Transport-Security").orElse(null));
        assertFalse(get.apply(Map.of()).headers().firstValue("Strict-Transport-Security").isPresent());
    }
}
