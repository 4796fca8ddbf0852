package dev.parley.browser;

import static dev.parley.support.PageAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.BrowserTest;
import dev.parley.support.Browsers;
import dev.parley.support.ChatClient;
import dev.parley.support.ChatPage;
import dev.parley.support.ParleyCluster;
import dev.parley.support.ParleyNode;
import dev.parley.support.ReverseProxy;
import dev.parley.support.Rooms;
import dev.parley.support.Scrape;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page behind docs/PROXIES.md's HAProxy over three cluster nodes (PARLEY_PRESENCE_TTL 30 s),
 * in both engines: kill -9 of the node holding its connection, and the page is back, under
 * its own name (the welcome's secret takes it back from the dead node at once), with what
 * it queued meanwhile delivered, within 5 s; the others hear neither a left nor a joined.
 */
class NodeKilledBrowserTest {
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(3, Map.of("PARLEY_PRESENCE_TTL", "30"));
    @RegisterExtension
    final Browsers browsers = new Browsers();

    @BrowserTest
    void killedUnderItThePageIsBackUnderItsNameWithItsQueuedMessageWithinFiveSeconds() {
        int[] ports = CLUSTER.nodes().stream().mapToInt(ParleyNode::port).toArray();
        String room = Rooms.fresh();
        try (ReverseProxy proxy = ReverseProxy.start(ReverseProxy.Kind.HAPROXY, ports)) {
            ChatPage ada = browsers.open(proxy.httpUri().resolve("/#" + room)).join("ada");
            ParleyNode holder = null;
            for (ParleyNode node : CLUSTER.nodes()) {
                if (Scrape.of(node.httpUri().resolve("/metrics")).value("parley_connections{transport=\"websocket\"}") > 0) {
                    holder = node;
                }
            }
            assertTrue(holder != null, "one node holds ada's connection");
            ParleyNode killed = holder;
            ParleyNode elsewhere = CLUSTER.nodes().stream().filter(n -> n != killed).findFirst().orElseThrow();
            try (ChatClient bob = ChatClient.join(elsewhere.chatUri(room), "bob")) {
                ada.send("before");
                assertEquals("before", bob.nextOf("message").getString("text"));

                holder.kill();
                long at = System.nanoTime();
                ada.send("while away"); // queued until the page is back
                assertThat(ada.status()).within(Duration.ofSeconds(5)).hasText("Online");
                assertEquals("while away", bob.nextOf("message").getString("text"), "nothing about ada came first");
                double seconds = (System.nanoTime() - at) / 1e9;
                System.out.printf("%s: ada back, her queued message delivered, %.2f s after the kill%n",
                        browsers.engine().label(), seconds);
                assertTrue(seconds < 5, "back after " + seconds + " s");
                assertThat(ada.deliveredMessages()).hasText(new String[] {"before", "while away"});
                assertThat(ada.members()).hasText(new String[] {"ada (you)", "bob"});
            } finally {
                holder.start(); // the next engine's case has three nodes again
            }
        }
    }
}
