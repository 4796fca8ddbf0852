package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyCluster;
import dev.parley.support.Rooms;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP transport without sticky sessions: a connection's stream is on one node, its
 * POSTs and DELETE may reach any node, which forwards them over Redis to the one that holds it.
 */
class ClusterHttpTransportTest {
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(2);

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String room = Rooms.fresh();

    private static URI streamUri(int node, String room) {
        return CLUSTER.node(node).httpUri().resolve("sse/" + room);
    }

    /** Sends a request to node {@code node} for the connection {@code id}; its status. */
    private int send(int node, String method, String id, String frame) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(streamUri(node, room) + "/" + id))
                .timeout(ChatClient.TIMEOUT).header("Content-Type", "application/json");
        request.method(method, frame == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(frame));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void framesPostedToEitherNodeReachTheStreamInTheOrderTheyWereTaken() throws Exception {
        try (ChatClient watcher = ChatClient.join(CLUSTER.node(2).chatUri(room), "watcher");
             ChatClient ann = ChatClient.connect(streamUri(1, room))) {
            String id = ann.eventStream().id();
            assertEquals(202, send(2, "POST", id, "{\"type\":\"join\",\"user\":\"ann\"}"), "forwarded to node 1");
            assertEquals(List.of("ann", "watcher"), ann.next("welcome").getJsonArray("users").stream()
                    .map(u -> ((jakarta.json.JsonString) u).getString()).toList());
            assertEquals("ann", watcher.nextOf("joined").getString("user"));

            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sent.add("m" + i);
                assertEquals(202, send(1 + i % 2, "POST", id, "{\"type\":\"message\",\"text\":\"m" + i + "\"}"));
            }
            List<String> streamed = new ArrayList<>();
            List<String> watched = new ArrayList<>();
            while (streamed.size() < sent.size()) {
                streamed.add(ann.nextOf("message").getString("text"));
            }
            while (watched.size() < sent.size()) {
                watched.add(watcher.nextOf("message").getString("text"));
            }
            assertEquals(sent, streamed);
            assertEquals(sent, watched);

            assertEquals(204, send(2, "DELETE", id, null));
            assertEquals(new ChatClient.Closed(1000, "closed by the client"), ann.awaitClose());
            assertEquals("ann", watcher.nextOf("left").getString("user"));
            assertEquals(404, send(2, "POST", id, "{\"type\":\"ping\"}"), "closed: the holding node says 404");
        }
    }

    @Test
    void anIdOfNoConnectionOrOfNoNodeIs404OnEveryNode() throws Exception {
        try (ChatClient ann = ChatClient.join(streamUri(1, room), "ann")) {
            String id = ann.eventStream().id();
            String unknownOnNode1 = id.substring(0, id.indexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAA";
            assertEquals(404, send(2, "POST", unknownOnNode1, "{\"type\":\"ping\"}"));
            String noSuchNode = Base64.getUrlEncoder().withoutPadding().encodeToString("no-such-node".getBytes())
                    + ".AAAAAAAAAAAAAAAAAAAAAA";
            assertEquals(404, send(2, "POST", noSuchNode, "{\"type\":\"ping\"}"));
            assertEquals(404, send(1, "POST", noSuchNode, "{\"type\":\"ping\"}"));
            ann.assertNothingPending();
        }
    }
}
