package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.RawConnection;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Frames are judged by their header, before any payload is read: one announced larger than
 * PARLEY_MAX_FRAME closes with 1009 at once, an unmasked one with 1002; the member departs
 * as usual and the room goes on.
 */
class FrameLimitTest {
    private static final int MAX_FRAME = 16384;
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final Duration AT_ONCE = Duration.ofSeconds(2);

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_MAX_FRAME", String.valueOf(MAX_FRAME)));

    /** A raw connection that has joined {@code room} as {@code user}. */
    private static RawConnection joined(URI room, String user) throws IOException {
        RawConnection raw = RawConnection.upgraded(room);
        raw.sendText("{\"type\":\"join\",\"user\":\"" + user + "\"}");
        while (!new String(raw.readFrame().payload(), StandardCharsets.UTF_8).contains("\"welcome\"")) {
            // presence and history before the welcome
        }
        raw.readTimeout(AT_ONCE);
        return raw;
    }

    /** The others see the member leave, and the room goes on. */
    private static void assertLeftAndRoomGoesOn(ChatClient ann, String user) {
        JsonObject left = ann.nextOf("left");
        assertEquals(user, left.getString("user"));
        ann.say("still here");
        assertEquals("still here", ann.nextOf("message").getString("text"));
    }

    @ParameterizedTest
    @ValueSource(longs = {MAX_FRAME + 1, 4 * 1024 * 1024 + 1, 1L << 62})
    void aFrameAnnouncedOverTheLimitIsRefusedAtItsHeader(long announced) throws IOException {
        URI room = SERVER.chatUri(Rooms.fresh());
        try (ChatClient ann = ChatClient.join(room, "ann"); RawConnection raw = joined(room, "big")) {
            ann.nextOf("joined");
            raw.sendHeader(true, TEXT, announced);
            RawConnection.Frame close = raw.readUntilClose();
            assertEquals(1009, close.closeCode());
            assertEquals("frame too big", close.closeReason());
            assertTrue(raw.endsWithin(AT_ONCE), "connection still open");
            assertLeftAndRoomGoesOn(ann, "big");
        }
    }

    @Test
    void fragmentsAddingUpOverTheLimitAreRefused() throws IOException {
        URI room = SERVER.chatUri(Rooms.fresh());
        try (ChatClient ann = ChatClient.join(room, "ann"); RawConnection raw = joined(room, "big")) {
            ann.nextOf("joined");
            raw.sendFrame(false, TEXT, ("{\"type\":\"message\",\"text\":\"" + "x".repeat(MAX_FRAME / 2)).getBytes(StandardCharsets.UTF_8), true);
            raw.sendHeader(false, CONTINUATION, MAX_FRAME / 2);
            assertEquals(1009, raw.readUntilClose().closeCode());
            assertLeftAndRoomGoesOn(ann, "big");
        }
    }

    @Test
    void anUnmaskedFrameIsAProtocolError() throws IOException {
        URI room = SERVER.chatUri(Rooms.fresh());
        try (ChatClient ann = ChatClient.join(room, "ann"); RawConnection raw = joined(room, "bare")) {
            ann.nextOf("joined");
            raw.sendFrame(true, TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8), false);
            assertEquals(1002, raw.readUntilClose().closeCode());
            assertLeftAndRoomGoesOn(ann, "bare");
        }
    }

    @Test
    void framesWithinTheLimitStillArrive() throws IOException {
        URI room = SERVER.chatUri(Rooms.fresh());
        try (ChatClient ann = ChatClient.join(room, "ann"); RawConnection raw = joined(room, "fine")) {
            ann.nextOf("joined");
            String text = "\uD83D\uDE00".repeat(4000); // the longest text, 16,000 bytes: just within the limit
            byte[] frame = ("{\"type\":\"message\",\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
            int half = frame.length / 2;
            raw.sendFrame(false, TEXT, java.util.Arrays.copyOf(frame, half), true);
            raw.sendFrame(true, CONTINUATION, java.util.Arrays.copyOfRange(frame, half, frame.length), true);
            assertEquals(text, ann.nextOf("message").getString("text"));
        }
    }
}
