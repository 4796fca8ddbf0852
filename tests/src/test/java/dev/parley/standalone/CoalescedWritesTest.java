package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.RawConnection;
import dev.parley.support.Rooms;
import dev.parley.support.Scrape;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Frames that queue for a member who stopped reading go out several to a write once it
 * reads again (Outbox batches; Parley's own WebSocket, or TyrusPeer, writes a batch in one write), and arrive whole
 * and in order. The send queue is made large enough here to hold them all, so the member
 * is not closed as a slow consumer. And the answers to pings, written from the thread that
 * read them while a batch waits for the socket, come out whole between the frames.
 */
class CoalescedWritesTest {
    private static final int MESSAGES = 4000; // 16 MB of text: far beyond what loopback's socket buffers take

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_SEND_QUEUE", "10000",
            "PARLEY_SEND_BUFFER", String.valueOf(256 * 1024 * 1024), "PARLEY_RATE_LIMIT", "0"));

    @Test
    void framesQueuedForAMemberWhoPausedGoOutTogetherWholeAndInOrder() throws Exception {
        URI room = SERVER.chatUri(Rooms.fresh());
        String text = "x".repeat(4000);
        Scrape before = Scrape.of(SERVER.httpUri().resolve("metrics"));
        try (ChatClient sender = ChatClient.join(room, "sender");
             RawConnection paused = pausedMember(room, sender)) {
            for (int i = 1; i <= MESSAGES; i++) {
                sender.say(text, "c" + i);
                if (i % 50 == 0) {
                    sender.awaitAck("c" + i);
                }
            }
            sender.awaitAck("c" + MESSAGES);

            long expected = 1;
            while (expected <= MESSAGES) {
                RawConnection.Frame frame = paused.readFrame();
                assertEquals(1, frame.opcode(), "a text frame");
                if (isMessage(frame, expected, text)) {
                    expected++;
                }
            }
        }
        Scrape after = Scrape.of(SERVER.httpUri().resolve("metrics"));
        String path = StandaloneParley.writePath();
        double frames = after.since(before, "parley_websocket_frames_total{path=\"" + path + "\"}");
        double writes = after.since(before, "parley_websocket_writes_total{path=\"" + path + "\"}");
        // every message to both, an ack to the sender; the paused member's queue went out in batches
        assertTrue(frames >= 3 * MESSAGES, frames + " frames");
        assertTrue(frames - writes >= MESSAGES / 2.0, writes + " writes carried " + frames + " frames");
    }

    @Test
    void pingsAnsweredWhileFramesWaitForAPausedMemberComeOutWholeAndInTurn() throws Exception {
        URI room = SERVER.chatUri(Rooms.fresh());
        String text = "y".repeat(4000);
        int messages = 1000;
        int pings = 0;
        try (ChatClient sender = ChatClient.join(room, "sender");
             RawConnection paused = pausedMember(room, sender)) {
            for (int i = 1; i <= messages; i++) {
                sender.say(text, "c" + i);
                if (i % 50 == 0) {
                    sender.awaitAck("c" + i); // the paused member's socket is full long before this ends
                    paused.sendFrame(true, 0x9, ("ping " + ++pings).getBytes(StandardCharsets.US_ASCII), true);
                }
            }

            long expected = 1;
            int pongs = 0;
            while (expected <= messages || pongs < pings) {
                RawConnection.Frame frame = paused.readFrame();
                if (frame.opcode() == 0xA) {
                    assertEquals("ping " + ++pongs, new String(frame.payload(), StandardCharsets.US_ASCII), "pongs in turn");
                    continue;
                }
                assertEquals(1, frame.opcode(), "a text frame or a pong");
                if (isMessage(frame, expected, text)) {
                    expected++;
                }
            }
            assertEquals(pings, pongs);
        }
    }

    /** A member who joins and then reads nothing until the case reads its frames. */
    private static RawConnection pausedMember(URI room, ChatClient sender) throws java.io.IOException {
        RawConnection paused = RawConnection.stalled(room);
        paused.sendText(Json.createObjectBuilder().add("type", "join").add("user", "paused").build().toString());
        assertEquals("paused", sender.nextOf("joined").getString("user"));
        return paused;
    }

    /** Whether a text frame is a message, which must then be the {@code expected} one, with {@code text}. */
    private static boolean isMessage(RawConnection.Frame frame, long expected, String text) {
        JsonObject json = Json.createReader(new StringReader(new String(frame.payload(), StandardCharsets.UTF_8))).readObject();
        if (!json.getString("type").equals("message")) {
            return false;
        }
        assertEquals(expected, json.getJsonNumber("seq").longValue(), "in order, none lost");
        assertEquals(text, json.getString("text"));
        return true;
    }
}
