package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyNode;
import dev.parley.support.Rooms;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A mixed cluster: the WAR in this run's application server (WildFly or Payara, which
 * arquillian.xml starts in cluster mode on the machine's Redis, cluster parley-it, with
 * the server-config datasource on PostgreSQL's database test) and a standalone node of
 * its own process on the same database, Redis and cluster. One room with a member on
 * each: presence spans both, and messages from both sides reach both in one order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MixedClusterIT {
    private static final String REDIS = System.getProperty("parley.it.redis.url", "");
    private static ParleyNode standalone;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.parleyWar();
    }

    @ArquillianResource
    private URL base;

    @BeforeAll
    static void startStandaloneNode() {
        if (REDIS.isBlank()) {
            Assumptions.assumeFalse("true".equals(System.getenv("CI")), "with CI=true the server suites run in cluster mode");
            Assumptions.abort("skipped: the server suites run without Redis or PostgreSQL here (parley.it.redis.url is empty)");
        }
        standalone = new ParleyNode("standalone", Map.of("PARLEY_STORE", "jdbc",
                "PARLEY_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/test", "PARLEY_JDBC_USER", "postgres",
                "PARLEY_REDIS_URL", REDIS, "PARLEY_CLUSTER_NAME", "parley-it", "PARLEY_NODE_ID", "standalone"));
        standalone.start();
    }

    @AfterAll
    static void stopStandaloneNode() {
        if (standalone != null) {
            standalone.stop();
        }
    }

    @Test
    void theServerAndAStandaloneNodeAreOneChat() {
        String room = Rooms.fresh();
        try (ChatClient inServer = ChatClient.join(Deployments.chatUri(base, room), "ann");
             ChatClient inStandalone = ChatClient.connect(standalone.chatUri(room))) {
            inStandalone.send(Json.createObjectBuilder().add("type", "join").add("user", "bob").build());
            assertEquals(List.of("ann", "bob"), inStandalone.next("welcome").getJsonArray("users").stream()
                    .map(v -> ((jakarta.json.JsonString) v).getString()).toList());
            assertEquals("bob", inServer.next("joined").getString("user"));
            try (ChatClient clash = ChatClient.connect(standalone.chatUri(room))) {
                clash.send(Json.createObjectBuilder().add("type", "join").add("user", "ann").build());
                clash.nextError("name-taken"); // ann is held in the application server
            }

            for (int i = 1; i <= 20; i++) {
                inServer.say("server " + i, "s" + i);
                inStandalone.say("standalone " + i, "t" + i);
            }
            List<String> atServer = texts(inServer, 40);
            List<String> atStandalone = texts(inStandalone, 40);
            assertEquals(atServer, atStandalone, "one order for both");
            assertEquals(40, atServer.size());
        }
    }

    /** The texts of the next {@code n} messages, checking their seqs follow one another. */
    private static List<String> texts(ChatClient client, int n) {
        List<String> texts = new ArrayList<>();
        long last = -1;
        while (texts.size() < n) {
            JsonObject frame = client.next();
            if (frame.getString("type").equals("message")) {
                long seq = frame.getJsonNumber("seq").longValue();
                if (last >= 0) {
                    assertEquals(last + 1, seq, "no gap");
                }
                last = seq;
                texts.add(frame.getString("text"));
            }
        }
        return texts;
    }
}
