package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.ParleyCluster;
import dev.parley.support.RedisServer;
import dev.parley.support.Rooms;
import dev.parley.support.Scrape;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A part of the cluster dies: a node (SIGKILL), or Redis (killed and started again, or
 * stopped so that it never answers). Each case has its own Redis and its own cluster.
 */
class ClusterFailureTest {
    private static final int TTL_SECONDS = 3;

    private final RedisServer redis = new RedisServer();
    private ParleyCluster cluster;

    @BeforeEach
    void start() {
        redis.start();
        cluster = new ParleyCluster(3, redis.url(), Map.of("PARLEY_PRESENCE_TTL", String.valueOf(TTL_SECONDS)));
        cluster.start();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.stop();
        }
        redis.resume();
        redis.kill();
    }

    /** Reads a member's frames until it has every seq up to {@code last}, in order; returns seq to text. */
    private static Map<Long, String> readUpTo(ChatClient member, long last, long from) {
        return readUpTo(member, last, from, new ArrayList<>());
    }

    /** The same, keeping the frames that are not messages in {@code others}. */
    private static Map<Long, String> readUpTo(ChatClient member, long last, long from, List<JsonObject> others) {
        Map<Long, String> received = new TreeMap<>();
        long expected = from;
        while (expected <= last) {
            JsonObject frame = member.next();
            if (frame.getString("type").equals("message")) {
                assertEquals(expected, frame.getJsonNumber("seq").longValue(), "in order, no gap");
                received.put(expected++, frame.getString("text"));
            } else {
                others.add(frame);
            }
        }
        return received;
    }

    /** Sends {@code n} messages and reads its own frames: the highest seq acked, each ack answered (ack or unavailable). */
    private static List<Long> sendAll(ChatClient sender, String prefix, int n) {
        for (int i = 1; i <= n; i++) {
            sender.say(prefix + i, prefix + i);
        }
        List<Long> acked = new ArrayList<>();
        int answered = 0;
        while (answered < n) {
            JsonObject frame = sender.next();
            switch (frame.getString("type")) {
                case "ack" -> {
                    acked.add(frame.getJsonNumber("seq").longValue());
                    answered++;
                }
                case "error" -> {
                    assertEquals("unavailable", frame.getString("code"), frame.toString());
                    assertTrue(frame.getString("cid").startsWith(prefix), frame.toString());
                    answered++;
                }
                default -> {
                    // its own copies, presence
                }
            }
        }
        return acked;
    }

    @Test
    void aKilledNodesAckedMessagesReachTheOthersItsMembersLeaveAndRecoverElsewhere() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(cluster.node(1).chatUri(room), "ann");
             ChatClient bob = ChatClient.join(cluster.node(2).chatUri(room), "bob");
             ChatClient cyd = ChatClient.join(cluster.node(3).chatUri(room), "cyd")) {
            int total = 500;
            long lastAcked = 0;
            for (int i = 1; i <= total; i++) {
                cyd.say("m" + i, "c" + i);
                if (i == total / 2) { // mid-stream: half acked, the rest still going in
                    while (lastAcked < 50) {
                        JsonObject frame = cyd.next();
                        if (frame.getString("type").equals("ack")) {
                            lastAcked = frame.getJsonNumber("seq").longValue();
                        }
                    }
                    cluster.node(3).kill();
                    break;
                }
            }
            // everything cyd had acked before the kill (and maybe more) is in the store and reaches ann and bob
            List<JsonObject> annHeard = new ArrayList<>();
            Map<Long, String> atAnn = readUpTo(ann, lastAcked, 1, annHeard);
            Map<Long, String> atBob = readUpTo(bob, lastAcked, 1);
            assertEquals(atAnn, atBob);
            for (long seq = 1; seq <= lastAcked; seq++) {
                assertEquals("m" + seq, atAnn.get(seq));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(TTL_SECONDS + 10).toNanos();
            JsonObject left = annHeard.stream().filter(f -> f.getString("type").equals("left")).findFirst().orElse(null);
            while (left == null && System.nanoTime() < deadline) {
                JsonObject frame = ann.poll(Duration.ofMillis(200)).orElse(null);
                if (frame != null && frame.getString("type").equals("left")) {
                    left = frame;
                }
            }
            assertTrue(left != null, () -> "cyd left at the others after the node's TTL; node-1 said:\n"
                    + String.join("\n", cluster.node(1).lines()));
            assertEquals("cyd", left.getString("user"));
            assertEquals(2, left.getInt("count"));

            try (ChatClient back = ChatClient.connect(cluster.node(1).chatUri(room))) {
                back.send(Json.createObjectBuilder().add("type", "join").add("user", "cyd").add("since", lastAcked).build());
                JsonObject welcome = back.next("welcome");
                assertTrue(welcome.getBoolean("recovered"), welcome.toString());
            }
        }
    }

    @Test
    void aNodeThatStopsTakesItsMembersOutAtOnceAndClosesThemWith1001() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(cluster.node(1).chatUri(room), "ann");
             ChatClient cyd = ChatClient.join(cluster.node(3).chatUri(room), "cyd")) {
            ann.nextOf("joined");
            long started = System.nanoTime();
            cluster.node(3).stop();
            assertEquals(1001, cyd.awaitClose().code());
            JsonObject left = ann.next("left");
            assertEquals("cyd", left.getString("user"));
            assertEquals(1, left.getInt("count"));
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(TTL_SECONDS).toNanos(),
                    "not after the TTL: the node said it left");
        }
    }

    @Test
    void redisKilledAndStartedAgainLosesNothingAckedAndPresenceIsWholeAgain() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(cluster.node(1).chatUri(room), "ann");
             ChatClient bob = ChatClient.join(cluster.node(2).chatUri(room), "bob")) {
            ann.nextOf("joined");
            redis.kill();
            cluster.node(1).awaitLine(Pattern.compile("Redis at .* is not answering"), Duration.ofSeconds(10));
            URI ready = cluster.node(1).httpUri().resolve("/health/ready");
            HttpResponse<String> away = Http.awaitGet(ready, Duration.ofSeconds(5), r -> r.statusCode() == 503);
            assertEquals(503, away.statusCode(), away.body());
            assertTrue(away.body().contains("{\"name\":\"cluster\",\"status\":\"DOWN\""), away.body());

            URI metrics = cluster.node(1).httpUri().resolve("/metrics");
            Scrape before = Scrape.of(metrics);
            List<Long> acked = sendAll(ann, "during", 20);
            assertEquals(20, acked.size(), "the store answers, so every send is acked");
            // a message is published after its ack, by the room's delivery task
            double missed = Scrape.await(metrics, Duration.ofSeconds(5),
                    now -> now.since(before, "parley_broker_publish_errors_total") >= 20)
                    .since(before, "parley_broker_publish_errors_total");
            assertTrue(missed >= 20, missed + " publications Redis missed counted, of 20 at least");
            try (ChatClient late = ChatClient.connect(cluster.node(3).chatUri(room))) {
                late.send(Json.createObjectBuilder().add("type", "join").add("user", "dan").build());
                late.nextError("unavailable"); // a name cannot be claimed without Redis
            }

            redis.start();
            for (var node : cluster.nodes()) {
                node.awaitLine(Pattern.compile("Redis at \\S+ is back"), Duration.ofSeconds(15));
            }
            HttpResponse<String> back = Http.awaitGet(ready, Duration.ofSeconds(5), r -> r.statusCode() == 200);
            assertEquals(200, back.statusCode(), back.body());
            Map<Long, String> atBob = readUpTo(bob, 20, 1);
            assertEquals("during20", atBob.get(20L));

            sendAll(ann, "after", 1);
            assertEquals("after1", readUpTo(bob, 21, 21).get(21L), "live again through Redis");
            try (ChatClient cyd = ChatClient.connect(cluster.node(3).chatUri(room))) {
                cyd.send(Json.createObjectBuilder().add("type", "join").add("user", "bob").build());
                JsonObject answer = cyd.next();
                assertEquals("name-taken", answer.getString("code", answer.toString()),
                        () -> "bob's claim was written again; node-3 said:\n" + String.join("\n", cluster.node(3).lines()));
                cyd.send(Json.createObjectBuilder().add("type", "join").add("user", "cyd").build());
                cyd.next("welcome");
                assertEquals(3, cyd.countIn(room), "ann and bob, written again, and cyd");
            }
        }
    }

    @Test
    void aNodeStartedWhileRedisIsDownJoinsTheClusterWhenRedisAnswers() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(cluster.node(1).chatUri(room), "ann")) {
            redis.kill();
            cluster.node(3).restart(); // starts all the same
            cluster.node(3).awaitLine(Pattern.compile("Redis at .* is not answering \\(cannot connect"), Duration.ofSeconds(10));
            try (ChatClient early = ChatClient.connect(cluster.node(3).chatUri(room))) {
                early.send(Json.createObjectBuilder().add("type", "join").add("user", "bob").build());
                early.nextError("unavailable");
            }

            redis.start();
            for (var node : cluster.nodes()) {
                node.awaitLine(Pattern.compile("Redis at \\S+ is back"), Duration.ofSeconds(15));
            }
            try (ChatClient bob = ChatClient.connect(cluster.node(3).chatUri(room))) {
                bob.send(Json.createObjectBuilder().add("type", "join").add("user", "bob").build());
                assertEquals(List.of("ann", "bob"), bob.next("welcome").getJsonArray("users").stream()
                        .map(v -> ((jakarta.json.JsonString) v).getString()).toList());
                assertEquals("bob", ann.nextOf("joined").getString("user"));
                bob.say("hello from node 3", "h1");
                assertEquals("hello from node 3", ann.nextOf("message").getString("text"));
            }
        }
    }

    @Test
    void aRoomEmptiedWhileRedisWasAwayIsNotSubscribedAgainWhenItIsBack() throws Exception {
        String room = Rooms.fresh();
        String channel = cluster.clusterName() + ":room:" + room;
        ChatClient ann = ChatClient.join(cluster.node(1).chatUri(room), "ann");
        assertEquals(1, redis.subscribers(channel));
        redis.kill();
        cluster.node(1).awaitLine(Pattern.compile("Redis at .* is not answering"), Duration.ofSeconds(10));
        ann.closeNormally(); // the room empties on node-1 while it cannot unsubscribe

        redis.start();
        cluster.node(1).awaitLine(Pattern.compile("Redis at \\S+ is back"), Duration.ofSeconds(15));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // the UNSUBSCRIBE is on its way
        long subscribers = redis.subscribers(channel);
        while (subscribers > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            subscribers = redis.subscribers(channel);
        }
        assertEquals(0, subscribers, "node-1 took back the subscription Lettuce renewed on reconnect");
    }

    @Test
    void aRedisThatNeverAnswersStallsNoSend() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(cluster.node(1).chatUri(room), "ann");
             ChatClient bob = ChatClient.join(cluster.node(2).chatUri(room), "bob")) {
            ann.nextOf("joined");
            redis.pause();
            long started = System.nanoTime();
            List<Long> acked = sendAll(ann, "paused", 10);
            assertEquals(10, acked.size());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "acks do not wait for Redis");
            cluster.node(1).awaitLine(Pattern.compile("Redis at .* is not answering"), Duration.ofSeconds(10));
            redis.resume();
            Map<Long, String> atBob = readUpTo(bob, 10, 1);
            assertEquals("paused10", atBob.get(10L));
        }
    }

    /**
     * A join waits for Redis (here one that never answers, up to the client's timeout):
     * it holds up only its own connection. The others' frames are answered meanwhile; its
     * own later frames wait and are answered after it, in order; and a client that keeps
     * sending while it waits is closed once the send queue's worth is waiting.
     */
    @Test
    void aJoinWaitingForRedisHoldsUpOnlyItsOwnConnection() {
        try (ChatClient ann = ChatClient.join(cluster.node(1).chatUri(Rooms.fresh()), "ann");
             ChatClient waits = ChatClient.connect(cluster.node(1).chatUri(Rooms.fresh()));
             ChatClient floods = ChatClient.connect(cluster.node(1).chatUri(Rooms.fresh()))) {
            redis.pause();
            waits.send(Json.createObjectBuilder().add("type", "join").add("user", "bob").build());
            waits.send(Json.createObjectBuilder().add("type", "ping").add("n", 1).build());
            waits.send(Json.createObjectBuilder().add("type", "ping").add("n", 2).build());
            floods.send(Json.createObjectBuilder().add("type", "join").add("user", "cyd").build());
            ann.send(Json.createObjectBuilder().add("type", "ping").add("n", 3).build());
            assertEquals(3, ann.next("pong").getInt("n"));
            assertTrue(waits.poll(Duration.ZERO).isEmpty(), "ann's pong came while bob's join still waited");

            String ping = Json.createObjectBuilder().add("type", "ping").build().toString();
            for (int i = 0; i <= 1000 && floods.sendUnlessClosed(ping); i++) {
                // the default send queue is 1000 frames
            }
            ChatClient.Closed closed = floods.awaitClose();
            assertEquals(1008, closed.code());
            assertEquals("flooding", closed.reason());

            waits.nextError("unavailable");
            assertEquals(1, waits.next("pong").getInt("n"));
            assertEquals(2, waits.next("pong").getInt("n"));
        }
    }
}
