package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PARLEY_RATE_LIMIT on a real connection: a burst of five seconds' worth passes, then
 * frames get {@code rate-limited}; a client that keeps on regardless is closed with 1008.
 * (Refilling over time is RateLimitTest's, with a clock it moves.)
 */
class RateLimitedConnectionTest {
    private static final int RATE = 1;             // frames per second: a token refills only after a whole second
    private static final int BURST = RATE * 5;     // PARLEY's burst: five seconds' worth

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_RATE_LIMIT", String.valueOf(RATE)));

    /** A fresh room over WebSocket, or over the HTTP transport: the limit is the connection's, whatever carries it. */
    private static URI room(String transport) {
        String name = Rooms.fresh();
        return transport.equals("http") ? SERVER.streamUri(name) : SERVER.chatUri(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "http"})
    void framesBeyondTheBurstAreRefusedWithRateLimitedAndNotStored(String transport) {
        URI room = room(transport);
        try (ChatClient ann = ChatClient.join(room, "ann")) { // the join was frame 1
            for (int i = 2; i <= BURST; i++) {
                ann.say("m" + i, "c" + i);
                assertEquals("c" + i, ann.next("ack").getString("cid"));
                ann.next("message");
            }
            ann.say("one too many", "over");
            JsonObject refused = ann.nextError("rate-limited");
            assertEquals("over", refused.getString("cid"));
            try (ChatClient bob = ChatClient.join(room, "bob")) { // a bucket of its own
                bob.send("{\"type\":\"history\",\"limit\":100}");
                JsonArray stored = bob.next("history").getJsonArray("messages");
                assertEquals(BURST - 1, stored.size(), "the refused message was not stored");
                assertEquals("m" + BURST, stored.getJsonObject(stored.size() - 1).getString("text"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "http"})
    void aClientThatKeepsFloodingIsClosedWith1008AndAnnounced(String transport) {
        URI room = room(transport);
        try (ChatClient watcher = ChatClient.join(room, "watcher"); ChatClient flood = ChatClient.join(room, "flood")) {
            watcher.next("joined");
            for (int i = 0; i < 3 * BURST && flood.awaitClose(java.time.Duration.ZERO).isEmpty()
                    && flood.sendUnlessClosed("{\"type\":\"typing\"}"); i++) {
                // until it is closed (over HTTP a POST may find it closed already: 404)
            }
            ChatClient.Closed closed = flood.awaitClose();
            assertEquals("flood", watcher.nextOf("left").getString("user"));
            // frames it sent after the server closed may be unread on the server's side of the
            // socket: then the kernel resets the connection and the close frame is lost (1006),
            // as for any client still sending when a server closes (seen once in a CI run)
            if (closed.code() != 1006) {
                assertEquals(new ChatClient.Closed(1008, "flooding"), closed);
            }
        }
    }
}
