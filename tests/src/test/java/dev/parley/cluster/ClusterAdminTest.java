package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.admin.AdminCases;
import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.ParleyCluster;
import dev.parley.support.ParleyNode;
import dev.parley.support.Rooms;
import jakarta.json.Json;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Moderation across nodes: a member on another node is disconnected there, a closed room is closed on every node. */
class ClusterAdminTest {
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(2, Map.of("PARLEY_ADMIN_TOKEN", AdminCases.TOKEN));

    private static HttpResponse<String> admin(ParleyNode node, String action, String body) {
        return Http.post(node.httpUri().resolve("/admin/api/" + action), body, "Authorization", "Bearer " + AdminCases.TOKEN);
    }

    private static ChatClient join(ParleyNode node, String room, String user) {
        return ChatClient.join(node.chatUri(room), user);
    }

    @Test
    void aMemberOnAnotherNodeIsDisconnectedThere() {
        String room = Rooms.fresh();
        try (ChatClient ann = join(CLUSTER.node(1), room, "ann"); ChatClient bob = join(CLUSTER.node(2), room, "bob")) {
            ann.nextOf("joined");
            HttpResponse<String> done = admin(CLUSTER.node(1), "disconnect", "{\"room\":\"" + room + "\",\"user\":\"bob\"}");
            assertEquals(200, done.statusCode(), done.body());
            assertTrue(done.body().contains("another node"), done.body());
            assertEquals(new ChatClient.Closed(1008, "removed by an administrator"), bob.awaitClose());
            assertEquals("bob", ann.nextOf("left").getString("user"));
        }
    }

    @Test
    void aClosedRoomIsClosedOnEveryNodeAndReopenedFromAny() {
        String room = Rooms.fresh();
        try (ChatClient ann = join(CLUSTER.node(1), room, "ann"); ChatClient cyd = join(CLUSTER.node(2), room, "cyd")) {
            ann.nextOf("joined");
            HttpResponse<String> closed = admin(CLUSTER.node(2), "close-room", "{\"room\":\"" + room + "\"}");
            assertEquals(200, closed.statusCode(), closed.body());
            assertEquals(new ChatClient.Closed(1008, "room closed"), ann.awaitClose());
            assertEquals(new ChatClient.Closed(1008, "room closed"), cyd.awaitClose());
        }
        try (ChatClient dan = ChatClient.connect(CLUSTER.node(1).chatUri(room))) {
            dan.send(Json.createObjectBuilder().add("type", "join").add("user", "dan").build());
            dan.nextError("bad-room");
            assertEquals(1008, dan.awaitClose().code());
        }
        assertEquals(200, admin(CLUSTER.node(1), "reopen-room", "{\"room\":\"" + room + "\"}").statusCode());
        try (ChatClient eve = join(CLUSTER.node(2), room, "eve")) {
            eve.say("open again", "o").awaitAck("o");
        }
    }
}
