package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyCluster;
import dev.parley.support.Poll;
import dev.parley.support.Rooms;
import dev.parley.support.Scrape;
import dev.parley.support.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Identity across nodes: one user with a connection on each of two nodes is one member. */
class ClusterIdentityTest {
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(2, Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET,
            "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER, "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE));

    private static ChatClient joinOn(int node, String room, String user) {
        ChatClient client = ChatClient.connect(CLUSTER.node(node).chatUri(room));
        client.send(Json.createObjectBuilder().add("type", "join").add("token", TestTokens.hs256(user)).build());
        client.next("welcome");
        return client;
    }

    private static double memberConnections(int node) {
        return Scrape.of(CLUSTER.node(node).httpUri().resolve("metrics")).value("parley_members");
    }

    private static List<String> users(JsonObject welcome) {
        return welcome.getJsonArray("users").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    @Test
    void aUserWithAConnectionOnEachNodeJoinsOnceAndLeavesWithTheLast() {
        String room = Rooms.fresh();
        try (ChatClient watcher = joinOn(1, room, "watcher")) {
            ChatClient onOne = joinOn(1, room, "ada");
            assertEquals("ada", watcher.next("joined").getString("user"));
            try (ChatClient onTwo = ChatClient.connect(CLUSTER.node(2).chatUri(room))) {
                onTwo.send(Json.createObjectBuilder().add("type", "join").add("token", TestTokens.hs256("ada")).build());
                assertEquals(List.of("ada", "watcher"), users(onTwo.next("welcome")));
                watcher.say("to both nodes", "c1").awaitAck("c1");
                assertEquals("to both nodes", onOne.nextOf("message").getString("text"));
                assertEquals("to both nodes", onTwo.nextOf("message").getString("text"));
                watcher.next("ack");
                assertEquals("to both nodes", watcher.next("message").getString("text"), "no joined for the second");

                watcher.send(Json.createObjectBuilder().add("type", "direct").add("to", "ada").add("text", "psst").build());
                assertEquals("psst", onOne.nextOf("direct").getString("text"));
                assertEquals("psst", onTwo.nextOf("direct").getString("text"));
                watcher.next("direct"); // its copy

                double before = memberConnections(1);
                onOne.closeNormally();
                Poll.until(() -> memberConnections(1), n -> n <= before - 1, ChatClient.TIMEOUT);
                try (ChatClient late = joinOn(2, room, "late")) {
                    assertEquals(3, late.countIn(room), "ada is still here, on node 2");
                    assertEquals("late", watcher.next("joined").getString("user"), "nobody heard ada leave");
                    watcher.assertNothingPending();
                    onTwo.closeNormally();
                    JsonObject left = watcher.next("left");
                    assertEquals("ada", left.getString("user"));
                    assertEquals(2, left.getInt("count"));
                }
            }
        }
    }

    private static ChatClient joinOn(int node, String room, String user, List<String> mod) {
        ChatClient client = ChatClient.connect(CLUSTER.node(node).chatUri(room));
        client.send(Json.createObjectBuilder().add("type", "join")
                .add("token", TestTokens.hs256(TestTokens.claims(user, c -> c.claim("mod", mod)))).build());
        client.next("welcome");
        return client;
    }

    private static JsonObject command(String type, String user, String cid) {
        return Json.createObjectBuilder().add("type", type).add("user", user).add("seconds", 600).add("cid", cid).build();
    }

    /** PROTOCOL.md 1.1: mutes and bans hold on every node, for members there and for joins of a room started after. */
    @Test
    void aModeratorsBanAndMuteOnOneNodeHoldOnTheOther() {
        String room = Rooms.fresh();
        try (ChatClient mia = joinOn(1, room, "mia", List.of(room)); ChatClient ada = joinOn(2, room, "ada");
             ChatClient bob = joinOn(2, room, "bob")) {
            // the other node applies a moderator's command when the broker brings it, after the ack: the ban's
            // close on node 2 shows it has applied what came before it in the room, the mute
            mia.send(command("mute", "bob", "m"));
            assertEquals("m", mia.nextOf("ack").getString("cid"));
            mia.send(Json.createObjectBuilder().add("type", "ban").add("user", "ada").add("cid", "b").build());
            assertEquals("b", mia.nextOf("ack").getString("cid"));
            assertEquals("forbidden", ada.nextOf("error").getString("code"));
            assertEquals(new ChatClient.Closed(1008, "banned"), ada.awaitClose());

            bob.send(Json.createObjectBuilder().add("type", "message").add("text", "hi").add("cid", "b1").build());
            JsonObject muted = bob.nextOf("error");
            assertEquals("forbidden", muted.getString("code"), muted::toString);
            assertEquals("b1", muted.getString("cid"));
        }
        String later = Rooms.fresh();
        try (ChatClient mia = joinOn(1, later, "mia", List.of(later))) {
            mia.send(Json.createObjectBuilder().add("type", "ban").add("user", "cy").add("cid", "b").build());
            assertEquals("b", mia.nextOf("ack").getString("cid"));
            try (ChatClient cy = ChatClient.connect(CLUSTER.node(2).chatUri(later))) { // the room starts on node 2 now
                cy.send(Json.createObjectBuilder().add("type", "join").add("token", TestTokens.hs256("cy")).build());
                assertEquals("forbidden", cy.next("error").getString("code"), "read from the store as the room starts");
            }
        }
    }

    /** PROTOCOL.md 1.1: a read position reaches the user's tab on the other node and the room there, kept in the store. */
    @Test
    void aReadPositionReachesTheUsersTabOnTheOtherNode() {
        String room = Rooms.fresh();
        try (ChatClient onOne = joinOn(1, room, "ada"); ChatClient onTwo = joinOn(2, room, "ada");
             ChatClient bob = joinOn(2, room, "bob")) {
            bob.say("read me", "c1").awaitAck("c1");
            long seq = onOne.nextOf("message").getJsonNumber("seq").longValue();
            onTwo.nextOf("message");
            onOne.send(Json.createObjectBuilder().add("type", "read").add("seq", seq).build());
            assertEquals(seq, onTwo.nextOf("read").getJsonNumber("seq").longValue());
            assertEquals("ada", bob.nextOf("read").getString("user"));
            try (ChatClient third = ChatClient.connect(CLUSTER.node(2).chatUri(room))) {
                third.send(Json.createObjectBuilder().add("type", "join").add("token", TestTokens.hs256("ada")).build());
                assertEquals(seq, third.next("welcome").getJsonNumber("read").longValue());
            }
        }
    }
}
