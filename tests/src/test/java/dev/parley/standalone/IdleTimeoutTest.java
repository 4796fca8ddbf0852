package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.Map;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A connection that sends nothing for the idle timeout is closed and announced with left. */
class IdleTimeoutTest {
    private static final Duration IDLE = Duration.ofSeconds(2);

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_IDLE_TIMEOUT", String.valueOf(IDLE.toSeconds())));

    /** Over the HTTP transport the POSTs count as frames do; the stream's own heartbeat does not. */
    @ParameterizedTest
    @ValueSource(strings = {"websocket", "http"})
    void aSilentMemberIsClosedAndAnnouncedWhileAPingingMemberStays(String transport) {
        String name = Rooms.fresh();
        URI room = transport.equals("http") ? SERVER.streamUri(name) : SERVER.chatUri(name);
        try (ChatClient talker = ChatClient.join(room, "talker"); ChatClient silent = ChatClient.join(room, "silent")) {
            talker.next("joined");
            long started = System.nanoTime();
            List<JsonObject> seen = new ArrayList<>();
            Optional<ChatClient.Closed> closed = Optional.empty();
            // the talker pings every half second, as the web client does every 25 s
            while (closed.isEmpty()) {
                assertTrue(System.nanoTime() - started < IDLE.multipliedBy(5).toNanos(), "silent member not closed");
                talker.send("{\"type\":\"ping\"}");
                JsonObject frame;
                while (!(frame = talker.next()).getString("type").equals("pong")) {
                    seen.add(frame);
                }
                closed = silent.awaitClose(Duration.ofMillis(500));
            }
            assertTrue(System.nanoTime() - started >= IDLE.minusMillis(200).toNanos(), "closed before the timeout");
            assertEquals(new ChatClient.Closed(1000, "idle timeout"), closed.get());
            JsonObject left = seen.isEmpty() ? talker.next("left") : seen.get(0);
            assertEquals("left", left.getString("type"));
            assertEquals("silent", left.getString("user"));
            assertEquals(1, left.getInt("count"));
            talker.assertNothingPending();
        }
    }
}
