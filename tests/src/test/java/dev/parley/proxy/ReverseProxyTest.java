package dev.parley.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Project;
import dev.parley.support.ReverseProxy;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proxy configurations of docs/PROXIES.md (server-config/proxies/), each run as written by the
 * proxy it is for (Debian's nginx, HAProxy, Apache httpd) in front of one standalone Parley
 * that trusts it: a WebSocket member and an HTTP member, both sending what a browser
 * loaded through the proxy sends, chat in both directions, and each event reaches the
 * HTTP member on time (a proxy that holds partial responses back shows as ~200 ms).
 */
class ReverseProxyTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_TRUSTED_PROXIES", "127.0.0.1"));

    static final int ROUNDS = 30;

    @ParameterizedTest
    @EnumSource(value = ReverseProxy.Kind.class, names = {"NGINX", "HAPROXY", "APACHE"})
    void aWebSocketMemberAndAnHttpMemberChatThroughTheProxyBothWays(ReverseProxy.Kind kind) {
        int port = SERVER.httpUri().getPort();
        try (ReverseProxy proxy = ReverseProxy.start(kind, port, port, port)) {
            String room = Rooms.fresh();
            Map<String, String> browser = Map.of("Origin", proxy.origin());
            try (ChatClient ws = join(ChatClient.connect(proxy.chatUri(room), browser), "ws");
                 ChatClient http = join(ChatClient.connect(proxy.streamUri(room), browser), "http")) {
                assertEquals("http", ws.next("joined").getString("user"));
                List<Long> down = new ArrayList<>();
                List<Long> up = new ArrayList<>();
                for (int i = 1; i <= ROUNDS; i++) {
                    long sent = System.nanoTime();
                    ws.say("down " + i, "d" + i);
                    assertEquals("down " + i, messageFrom(http, "ws").getString("text"));
                    down.add(System.nanoTime() - sent);
                    ws.awaitAck("d" + i);

                    sent = System.nanoTime();
                    http.say("up " + i, "u" + i);
                    assertEquals("up " + i, messageFrom(ws, "http").getString("text"));
                    up.add(System.nanoTime() - sent);
                    http.awaitAck("u" + i);
                }
                double downMs = median(down);
                double upMs = median(up);
                System.out.printf("%s: median %.1f ms to the HTTP member, %.1f ms from it (%d each)%n", kind, downMs, upMs, ROUNDS);
                assertTrue(downMs < 50, kind + ": events reach the HTTP member in " + downMs + " ms (median)");
                assertTrue(upMs < 50, kind + ": frames from the HTTP member arrive in " + upMs + " ms (median)");
            }
        }
    }

    /** docs/PROXIES.md gives the files the tests run, word for word. */
    @Test
    void theProxiesPageGivesEachConfigurationAsTheTestsRunIt() throws Exception {
        String page = Files.readString(Project.file("docs", "PROXIES.md"));
        for (ReverseProxy.Kind kind : ReverseProxy.Kind.values()) {
            assertTrue(page.contains(kind.configuration()), kind + "'s configuration differs from docs/PROXIES.md's");
        }
    }

    private static ChatClient join(ChatClient client, String user) {
        client.send("{\"type\":\"join\",\"user\":\"" + user + "\"}");
        JsonObject welcome = client.next("welcome");
        assertEquals(user, welcome.getString("user"));
        return client;
    }

    /** The next message from {@code user}, past the client's own. */
    private static JsonObject messageFrom(ChatClient client, String user) {
        for (;;) {
            JsonObject message = client.nextOf("message");
            if (message.getString("user").equals(user)) {
                return message;
            }
        }
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2) / 1e6;
    }
}
