package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.RawConnection;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An event stream whose client stops reading for a while, with less queued for it than
 * the slow-consumer bounds: Grizzly's output says it cannot take more, and the stream
 * waits for Grizzly's call back. The transport's tick (every 5 s) looks at a waiting stream
 * again; Grizzly takes one write handler at a time, so asking it a second time must not
 * end the stream. The client reads again later and finds everything, then the close event.
 */
class StalledEventStreamTest {
    private static final int MESSAGES = 2000; // about 8 MB: beyond the socket buffers and Grizzly's write queue
    /** Two of the transport's ticks, and a second for a busy machine. */
    private static final Duration HELD = Duration.ofSeconds(11);

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of(
            "PARLEY_SEND_QUEUE", "10000",
            "PARLEY_SEND_BUFFER", String.valueOf(64 * 1024 * 1024)));

    @Test
    void aStreamWaitingForItsClientOutlivesTheTicksAndDeliversEverythingOnceRead() throws Exception {
        String room = Rooms.fresh();
        URI stream = SERVER.streamUri(room);
        String text = "x".repeat(4000);
        try (ChatClient sender = ChatClient.join(SERVER.chatUri(room), "sender");
             RawConnection stalled = RawConnection.stalled(stream)) {
            stalled.sendText(Json.createObjectBuilder().add("type", "join").add("user", "stalled").build().toString());
            sender.nextOf("joined");
            for (int i = 1; i <= MESSAGES; i++) {
                sender.say(text, "c" + i);
                if (i % 20 == 0) {
                    sender.awaitAck("c" + i);
                }
            }
            sender.awaitAck("c" + MESSAGES);

            try (ChatClient watcher = ChatClient.connect(SERVER.chatUri(room))) {
                watcher.send(Json.createObjectBuilder().add("type", "join").add("user", "watcher").build());
                JsonObject welcome = watcher.next("welcome");
                assertTrue(welcome.getJsonArray("users").getValuesAs(JsonString::getString).contains("stalled"),
                        "the stalled member was still in the room: " + welcome.getJsonArray("users"));
                Optional<JsonObject> heard = watcher.poll(HELD);
                assertTrue(heard.isEmpty(), "while the stream waited the room heard " + heard.orElse(null));

                stalled.sendText(Json.createObjectBuilder().add("type", "message").add("text", "after the wait")
                        .add("cid", "w").build().toString());
                JsonObject message = watcher.nextOf("message");
                assertEquals("stalled", message.getString("user"));
                assertEquals("after the wait", message.getString("text"));
            }

            int deleted = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(stalled.frameUri()).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            assertEquals(204, deleted);
            // read at last: every message, its own, then the close event of the DELETE
            assertEquals(1000, stalled.closeCode());
        }
    }
}
