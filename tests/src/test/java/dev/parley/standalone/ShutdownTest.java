package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.ParleyNode;
import dev.parley.support.RetryHint;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Stopping the server closes every connection with 1001, joined or not, WebSocket or HTTP,
 * each after a {@code reconnect} frame that spreads their return over PARLEY_SHUTDOWN_SPREAD;
 * with connections open it first reports not ready for PARLEY_SHUTDOWN_GRACE.
 */
class ShutdownTest {

    @Test
    void everyConnectionIsToldWhenToComeBackAndClosedWith1001() {
        StandaloneParley server = new StandaloneParley();
        server.start();
        try {
            String name = Rooms.fresh();
            URI room = server.chatUri(name);
            ChatClient ann = ChatClient.join(room, "ann");
            ChatClient bob = ChatClient.join(room, "bob");
            ChatClient lurker = ChatClient.connect(room);
            ChatClient overHttp = ChatClient.join(server.streamUri(name), "carol"); // its close event says the same
            ChatClient lurkerOverHttp = ChatClient.connect(server.streamUri(name));
            ann.next("joined");
            server.stop();
            for (ChatClient client : new ChatClient[] {ann, bob, lurker, overHttp, lurkerOverHttp}) {
                ChatClient.Closed closed = client.awaitClose();
                assertEquals(1001, closed.code());
                assertEquals("server shutting down", closed.reason());
                // a node of five connections spreads them over the least spread, a second
                RetryHint.lastBeforeClose(client.pending(), 500, 1500);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void theMembersOfAStoppingNodeAreSpreadOverPARLEY_SHUTDOWN_SPREAD() {
        StandaloneParley server = new StandaloneParley(Map.of("PARLEY_SHUTDOWN_SPREAD", "4000"));
        server.start();
        try {
            String name = Rooms.fresh();
            List<ChatClient> members = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                members.add(ChatClient.join(i % 2 == 0 ? server.chatUri(name) : server.streamUri(name), "m" + i));
            }
            server.stop();
            Set<Long> afters = new HashSet<>();
            for (ChatClient member : members) {
                assertEquals(1001, member.awaitClose().code());
                afters.add(RetryHint.lastBeforeClose(member.pending(), 500, 4500));
            }
            assertTrue(afters.size() > 1, "each at a random point of the spread: " + afters);
        } finally {
            server.stop();
        }
    }

    @Test
    void aStoppingNodeReportsNotReadyForItsGraceBeforeItClosesConnections() throws Exception {
        try (ParleyNode node = new ParleyNode("draining", Map.of("PARLEY_STORE", "memory", "PARLEY_SHUTDOWN_GRACE", "3"))) {
            node.start();
            URI ready = node.httpUri().resolve("/health/ready");
            assertEquals(200, Http.get(ready).statusCode());
            try (ChatClient ann = ChatClient.join(node.chatUri(Rooms.fresh()), "ann")) {
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(node::stop);
                HttpResponse<String> draining = Http.awaitGet(ready, Duration.ofSeconds(5), r -> r.statusCode() == 503);
                assertEquals(503, draining.statusCode(), draining.body());
                assertTrue(draining.body().contains("\"detail\":\"shutting down\""), draining.body());
                assertTrue(ann.awaitClose(Duration.ZERO).isEmpty(), "still connected while not ready");
                ann.say("still here", "c1").awaitAck("c1"); // and still served
                assertEquals(1001, ann.awaitClose().code());
                RetryHint.lastBeforeClose(ann.pending(), 500, 1500);
                stopped.get();
            }
            assertTrue(node.lines().stream().anyMatch(line -> line.contains(
                    "Parley draining: not ready from now on; closing 1 connection(s) in 3 s")), () -> String.join("\n", node.lines()));
        }
    }
}
