package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyCluster;
import dev.parley.support.Rooms;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What only a cluster has to get right: presence, names and one order across nodes. */
class ClusterTest {
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(3);

    private static final ExecutorService POOL = Executors.newCachedThreadPool();

    @AfterAll
    static void stopPool() {
        POOL.shutdownNow();
    }

    private static URI on(int node, String room) {
        return CLUSTER.node(node).chatUri(room);
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(((jakarta.json.JsonString) v).getString()));
        return out;
    }

    @Test
    void presenceSpansNodes() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(on(1, room), "ann")) {
            try (ChatClient bob = ChatClient.connect(on(2, room))) {
                bob.send(Json.createObjectBuilder().add("type", "join").add("user", "bob").build());
                assertEquals(List.of("ann", "bob"), strings(bob.next("welcome").getJsonArray("users")));
                JsonObject joined = ann.next("joined");
                assertEquals("bob", joined.getString("user"));
                assertEquals(2, joined.getInt("count"));

                try (ChatClient cyd = ChatClient.join(on(3, room), "cyd")) {
                    assertEquals(3, cyd.countIn(room));
                }
                assertEquals("cyd", ann.next("joined").getString("user"));
                assertEquals("cyd", ann.next("left").getString("user"));
            }
            JsonObject left = ann.next("left");
            assertEquals("bob", left.getString("user"));
            assertEquals(1, left.getInt("count"));
        }
    }

    @Test
    void aNameHeldOnAnotherNodeIsTaken() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(on(1, room), "ann");
             ChatClient other = ChatClient.connect(on(2, room))) {
            other.send(Json.createObjectBuilder().add("type", "join").add("user", "ann").build());
            other.nextError("name-taken");
            other.send(Json.createObjectBuilder().add("type", "join").add("user", "ann2").build());
            assertEquals("ann2", other.next("welcome").getString("user"));
        }
    }

    @Test
    void twoJoinsRacingOnTwoNodesGiveOneWelcomeAndOneNameTaken() throws Exception {
        for (int round = 0; round < 20; round++) {
            String room = Rooms.fresh();
            try (ChatClient first = ChatClient.connect(on(1, room));
                 ChatClient second = ChatClient.connect(on(2, room))) {
                JsonObject join = Json.createObjectBuilder().add("type", "join").add("user", "eve").build();
                Future<?> a = POOL.submit(() -> first.send(join));
                Future<?> b = POOL.submit(() -> second.send(join));
                a.get(10, TimeUnit.SECONDS);
                b.get(10, TimeUnit.SECONDS);
                List<String> answers = new ArrayList<>(List.of(first.next().getString("type"), second.next().getString("type")));
                answers.sort(null);
                assertEquals(List.of("error", "welcome"), answers, "round " + round);
            }
        }
    }

    @Test
    void sendersOnEveryNodeMakeOneOrderThatEveryMemberReceives() throws Exception {
        String room = Rooms.fresh();
        int each = 100;
        List<ChatClient> members = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                members.add(ChatClient.join(on(i, room), "sender" + i));
            }
            for (int i = 1; i <= 3; i++) {
                members.add(ChatClient.join(on(i, room), "reader" + i));
            }
            List<Future<?>> sending = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // every member joined before the first message: each gets all of them
                ChatClient sender = members.get(i);
                String name = "sender" + (i + 1);
                sending.add(POOL.submit(() -> {
                    for (int n = 1; n <= each; n++) {
                        sender.say(name + " " + n, name + "-" + n);
                    }
                }));
            }
            for (Future<?> s : sending) {
                s.get(30, TimeUnit.SECONDS);
            }
            Map<Long, String> reference = null;
            for (int m = 0; m < members.size(); m++) {
                ChatClient member = members.get(m);
                Map<Long, String> received = new HashMap<>();
                Map<String, Long> acks = new HashMap<>();
                long expected = 1;
                while (expected <= 3L * each) {
                    JsonObject frame = member.next();
                    switch (frame.getString("type")) {
                        case "message" -> {
                            assertEquals(expected, frame.getJsonNumber("seq").longValue(), "member " + m + ": in order, no gap");
                            received.put(expected, frame.getString("text"));
                            if (m < 3 && frame.getString("user").equals("sender" + (m + 1))) {
                                String cid = frame.getString("text").replace(' ', '-');
                                assertEquals(expected, acks.get(cid), "the ack came first, with the seq");
                            }
                            expected++;
                        }
                        case "ack" -> acks.put(frame.getString("cid"), frame.getJsonNumber("seq").longValue());
                        case "joined", "left", "typing", "rooms" -> {
                            // presence of the others, and answers to the wait above
                        }
                        default -> throw new AssertionError("unexpected " + frame);
                    }
                }
                if (reference == null) {
                    reference = received;
                } else {
                    assertEquals(reference, received, "member " + m + " got the same seq for every text");
                }
            }
        } finally {
            members.forEach(ChatClient::close);
        }
    }

    @Test
    void directAndTypingReachAUserOnAnotherNode() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(on(1, room), "ann");
             ChatClient bob = ChatClient.join(on(2, room), "bob")) {
            ann.nextOf("joined");
            bob.send(Json.createObjectBuilder().add("type", "direct").add("to", "ann").add("text", "psst").build());
            JsonObject mine = bob.next("direct");
            assertEquals("ann", mine.getString("to"));
            JsonObject theirs = ann.next("direct");
            assertEquals("bob", theirs.getString("from"));
            assertEquals("psst", theirs.getString("text"));
            assertEquals(mine, theirs, "one frame, encoded once");

            bob.send(Json.createObjectBuilder().add("type", "typing").build());
            assertEquals("bob", ann.next("typing").getString("user"));

            bob.send(Json.createObjectBuilder().add("type", "direct").add("to", "nobody").add("text", "?").add("cid", "d1").build());
            assertEquals("d1", bob.nextError("no-such-user").getString("cid"));
        }
    }

    @Test
    void historyAndRecoveryWorkOnAnyNode() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(on(1, room), "ann")) {
            for (int i = 1; i <= 30; i++) {
                ann.say("m" + i, "c" + i);
            }
            ann.awaitAck("c30");
        }
        try (ChatClient ann = ChatClient.connect(on(2, room))) {
            ann.send(Json.createObjectBuilder().add("type", "join").add("user", "ann").add("since", 20).build());
            JsonObject welcome = ann.next("welcome");
            assertTrue(welcome.getBoolean("recovered"));
            JsonArray missed = welcome.getJsonArray("history");
            assertEquals(10, missed.size());
            assertEquals(21, missed.getJsonObject(0).getJsonNumber("seq").longValue());
            ann.send(Json.createObjectBuilder().add("type", "history").add("before", 11).add("limit", 5).build());
            JsonArray page = ann.nextOf("history").getJsonArray("messages");
            assertEquals(6, page.getJsonObject(0).getJsonNumber("seq").longValue());
            assertEquals("m10", page.getJsonObject(4).getString("text"));
        }
        try (ChatClient cyd = ChatClient.join(on(3, room), "cyd")) {
            cyd.say("from three", "x");
            assertEquals(31, cyd.nextOf("ack").getJsonNumber("seq").longValue(), "the seq goes on, on any node");
        }
    }
}
