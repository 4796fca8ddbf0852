package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StalledClient;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A member that stops reading fills the kernel's socket buffers, then its outbox; once
 * that overflows it is closed with 1008 and announced with {@code left}, while the
 * others go on receiving every message.
 */
class SlowConsumerTest {
    private static final int QUEUE = 100;
    /** 12 KB each: together far beyond the loopback socket buffers plus the queue. */
    private static final int MESSAGES = 2000;
    /** The sender waits for its own ack every WINDOW messages, so the readers that do read keep up. */
    private static final int WINDOW = 20;

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_SEND_QUEUE", String.valueOf(QUEUE)));

    @Test
    void aMemberThatStopsReadingIsClosedWhileTheOthersKeepReceiving() throws Exception {
        String name = Rooms.fresh();
        URI room = SERVER.chatUri(name);
        String text = "€".repeat(4000);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (ChatClient sender = ChatClient.join(room, "sender");
             ChatClient reader = ChatClient.join(room, "reader");
             StalledClient stalled = new StalledClient(room)) {
            stalled.sendText(Json.createObjectBuilder().add("type", "join").add("user", "stalled").build().toString());
            sender.nextOf("joined");
            sender.nextOf("joined"); // stalled is in the room now

            Future<?> sending = pool.submit(() -> {
                for (int i = 1; i <= MESSAGES; i++) {
                    sender.say(text, "c" + i);
                    if (i % WINDOW == 0) {
                        String cid = "c" + i;
                        while (!cid.equals(sender.nextOf("ack").getString("cid"))) {
                            // earlier acks
                        }
                    }
                }
            });
            Future<Long> readerSaw = pool.submit(() -> {
                long expected = 1;
                long leftAt = -1;
                while (expected <= MESSAGES) {
                    JsonObject frame = reader.next();
                    switch (frame.getString("type")) {
                        case "message":
                            assertEquals(expected, frame.getJsonNumber("seq").longValue(), "in order, no gap");
                            expected++;
                            break;
                        case "left":
                            assertEquals("stalled", frame.getString("user"));
                            assertEquals(2, frame.getInt("count"));
                            leftAt = expected;
                            break;
                        default:
                            break;
                    }
                }
                assertTrue(leftAt > 0, "the stalled member was announced as left");
                return expected - 1;
            });
            sending.get(60, TimeUnit.SECONDS);
            assertEquals(MESSAGES, readerSaw.get(60, TimeUnit.SECONDS));

            // the stalled client, reading again, finds the close the server sent it
            assertEquals(1008, stalled.readUntilClose());
        } finally {
            pool.shutdownNow();
        }
    }
}
