package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.ParleyCluster;
import dev.parley.support.Rooms;
import dev.parley.support.TcpProxy;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL unreachable from every node (the nodes reach it through a relay the test
 * cuts): as on one node, nothing is acknowledged that is not committed, every send is
 * answered, and the room goes on where it was when the database is back.
 */
class ClusterDatabaseOutageTest {
    private static final TcpProxy DATABASE = new TcpProxy(5432);
    private static final ParleyCluster CLUSTER = new ParleyCluster(2).databaseThrough(DATABASE.port());

    @BeforeAll
    static void start() {
        CLUSTER.start();
    }

    @AfterAll
    static void stop() {
        CLUSTER.stop();
        DATABASE.close();
    }

    @Test
    void withTheDatabaseGoneSendsAreRefusedOnEveryNodeAndTheSeqGoesOnAfter() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(CLUSTER.node(1).chatUri(room), "ann");
             ChatClient bob = ChatClient.join(CLUSTER.node(2).chatUri(room), "bob")) {
            ann.nextOf("joined");
            ann.say("before", "b");
            assertEquals(1, ann.nextOf("ack").getJsonNumber("seq").longValue());
            assertEquals("before", ann.next("message").getString("text"));
            assertEquals("before", bob.nextOf("message").getString("text"));

            DATABASE.cut();
            URI ready = CLUSTER.node(1).httpUri().resolve("/health/ready");
            HttpResponse<String> down = Http.awaitGet(ready, Duration.ofSeconds(10), r -> r.statusCode() == 503);
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("{\"name\":\"store\",\"status\":\"DOWN\""), down.body());
            for (ChatClient sender : new ChatClient[] {ann, bob}) {
                sender.say("lost", "x");
                JsonObject refused = sender.nextError("unavailable");
                assertEquals("x", refused.getString("cid"));
            }
            try (ChatClient cyd = ChatClient.connect(CLUSTER.node(2).chatUri(room))) {
                cyd.send(Json.createObjectBuilder().add("type", "join").add("user", "cyd").build());
                cyd.nextError("unavailable"); // its welcome needs the history
            }
            bob.assertNothingPending(); // nothing refused was delivered

            DATABASE.restore();
            HttpResponse<String> up = Http.awaitGet(ready, Duration.ofSeconds(10), r -> r.statusCode() == 200);
            assertEquals(200, up.statusCode(), up.body());
            long seq = 0;
            String text = null;
            for (int attempt = 1; seq == 0; attempt++) { // until the pools have found the database again
                assertTrue(attempt <= 20, "the database is back, yet sends are refused");
                text = "after " + attempt;
                bob.say(text, "a" + attempt);
                JsonObject answer = answerTo(bob, "a" + attempt);
                if (answer.getString("type").equals("ack")) {
                    seq = answer.getJsonNumber("seq").longValue();
                }
            }
            assertEquals(2, seq, "the seq goes on after 1: nothing refused took one");
            JsonObject delivered = ann.nextOf("message");
            assertEquals(2, delivered.getJsonNumber("seq").longValue());
            assertEquals(text, delivered.getString("text"));
        }
    }

    /** The ack or the error that answers {@code cid}. */
    private static JsonObject answerTo(ChatClient client, String cid) {
        while (true) {
            JsonObject frame = client.next();
            if (cid.equals(frame.getString("cid", null))) {
                return frame;
            }
        }
    }
}
