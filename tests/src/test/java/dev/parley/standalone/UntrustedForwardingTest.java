package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without PARLEY_TRUSTED_PROXIES a request's Forwarded and X-Forwarded-* headers change
 * nothing: the limit per address counts the peer, the origin check uses the request's own
 * Host, and there is no HSTS for a request that did not come over TLS (a server of its own:
 * two standalone servers do not share a JVM).
 */
class UntrustedForwardingTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_MAX_CONNECTIONS_PER_IP", "1"));

    @Test
    void fromAnUntrustedPeerTheHeadersChangeNothing() {
        URI room = SERVER.chatUri(Rooms.fresh());
        try (ChatClient ann = TrustedProxiesTest.joined(room, Map.of("X-Forwarded-For", TrustedProxiesTest.fresh()), "ann");
             ChatClient spoof = ChatClient.connect(room, Map.of("X-Forwarded-For", TrustedProxiesTest.fresh()))) {
            assertEquals(new ChatClient.Closed(1013, "try again later"), spoof.awaitClose(), "counted as the peer");
        }
        try (ChatClient page = ChatClient.connect(SERVER.chatUri(Rooms.fresh()), Map.of("Origin", "https://chat.example.com",
                "X-Forwarded-Host", "chat.example.com", "X-Forwarded-Proto", "https"))) {
            assertEquals(new ChatClient.Closed(1008, "origin not allowed"), page.awaitClose());
        }
    }

    @Test
    void noHstsForAnUntrustedPeerThatSaysHttps() throws Exception {
        HttpRequest direct = HttpRequest.newBuilder(SERVER.httpUri().resolve("/")).header("X-Forwarded-Proto", "https").build();
        assertFalse(HttpClient.newHttpClient().send(direct, HttpResponse.BodyHandlers.discarding()).headers()
                .firstValue("Strict-Transport-Security").isPresent());
    }
}
