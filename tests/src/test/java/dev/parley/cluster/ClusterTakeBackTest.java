package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyCluster;
import dev.parley.support.RedisServer;
import dev.parley.support.Rooms;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 of the node holding a member's connection: the member, back on another node with
 * its welcome's secret, has its name at once, whatever PARLEY_PRESENCE_TTL (the dead node's
 * hold would otherwise refuse the name until it expires), and the room hears neither a left
 * nor a joined for it, then or when the dead node is reaped. Each case has its own Redis and
 * its own three nodes.
 */
class ClusterTakeBackTest {
    private final RedisServer redis = new RedisServer();
    private ParleyCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.stop();
        }
        redis.kill();
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 15, 30})
    void aMemberOfAKilledNodeTakesItsNameBackAtOnceOnAnotherUnheard(int ttlSeconds) {
        redis.start();
        cluster = new ParleyCluster(3, redis.url(), Map.of("PARLEY_PRESENCE_TTL", String.valueOf(ttlSeconds)));
        cluster.start();
        String room = Rooms.fresh();
        try (ChatClient bob = ChatClient.join(cluster.node(2).chatUri(room), "bob");
             ChatClient ann = ChatClient.connect(cluster.node(1).chatUri(room))) {
            ann.send(Json.createObjectBuilder().add("type", "join").add("user", "ann").build());
            String secret = ann.next("welcome").getString("resume");
            assertEquals("ann", bob.next("joined").getString("user"));
            ann.say("before", "a1").awaitAck("a1");
            assertEquals("before", bob.nextOf("message").getString("text"));

            cluster.node(1).kill();
            long killed = System.nanoTime();
            try (ChatClient back = ChatClient.connect(cluster.node(3).chatUri(room))) {
                back.send(Json.createObjectBuilder().add("type", "join").add("user", "ann").add("since", 1)
                        .add("resume", secret).build());
                JsonObject welcome = back.next();
                double seconds = (System.nanoTime() - killed) / 1e9;
                assertEquals("welcome", welcome.getString("type"), welcome.toString());
                assertTrue(welcome.getBoolean("recovered"));
                System.out.printf("TTL %d s: ann back on node-3 %.2f s after the kill%n", ttlSeconds, seconds);
                assertTrue(seconds < 5, "back after " + seconds + " s");

                back.say("after", "a2").awaitAck("a2");
                JsonObject next = bob.next();
                assertEquals("message", next.getString("type"), "nothing about ann first: " + next);
                assertEquals("after", next.getString("text"));
                if (ttlSeconds == 3) { // the dead node is reaped within 3 s and a heartbeat: its hold on ann is gone already
                    Optional<JsonObject> later = bob.poll(Duration.ofSeconds(ttlSeconds + 3));
                    assertTrue(later.isEmpty(), "the dead node's reaping said nothing of ann: " + later);
                }
                try (ChatClient other = ChatClient.connect(cluster.node(2).chatUri(room))) {
                    other.send(Json.createObjectBuilder().add("type", "join").add("user", "ann").build());
                    assertEquals("name-taken", other.next("error").getString("code"), "ann's name is hers, on node-3");
                }
            }
            assertEquals("ann", bob.nextOf("left").getString("user"), "her leaving node-3 is heard");
        }
    }
}
