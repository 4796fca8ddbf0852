package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A frame's WebSocket bytes, read back by the rules of RFC 6455 §5.2. */
class FrameTest {

    /** The payload of an unmasked, final text frame, checked field by field. */
    private static byte[] payloadOf(byte[] frame) {
        assertEquals(0x81, frame[0] & 0xFF, "FIN and opcode 1 (text), no RSV bits");
        assertEquals(0, frame[1] & 0x80, "a server's frame is not masked");
        int length = frame[1] & 0x7F;
        int offset = 2;
        long n = length;
        if (length == 126) {
            n = ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
            offset = 4;
            assertEquals(true, n >= 126, "the shortest length encoding");
        } else if (length == 127) {
            n = 0;
            for (int i = 0; i < 8; i++) {
                n = (n << 8) | (frame[2 + i] & 0xFF);
            }
            offset = 10;
            assertEquals(true, n > 0xFFFF, "the shortest length encoding");
        }
        assertEquals(frame.length - offset, n, "the length says what follows");
        return Arrays.copyOfRange(frame, offset, frame.length);
    }

    @Test
    void everyLengthEncodingCarriesTheUtf8Text() {
        // 'é' is two bytes, '😀' four: the length counts bytes, not chars
        for (int bytes : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 70_000}) {
            String text = "x".repeat(bytes % 2) + "é".repeat(bytes / 2);
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            assertEquals(bytes, utf8.length);
            Frame frame = Frame.of(text);
            assertArrayEquals(utf8, payloadOf(frame.websocket()), bytes + " bytes");
            ByteBuffer payload = frame.payloadBuffer();
            byte[] fromBuffer = new byte[payload.remaining()];
            payload.get(fromBuffer);
            assertArrayEquals(utf8, fromBuffer, "the payload buffer is the UTF-8 alone");
        }
        assertArrayEquals("😀".getBytes(StandardCharsets.UTF_8), payloadOf(Frame.of("😀").websocket()));
    }

    @Test
    void theBytesAreMadeOnceAndEachBufferIsItsOwn() {
        Frame frame = Frame.of("{\"type\":\"message\"}");
        assertSame(frame.websocket(), frame.websocket(), "encoded once, then shared");
        ByteBuffer one = frame.websocketBuffer();
        ByteBuffer two = frame.websocketBuffer();
        one.get(new byte[one.remaining()]); // one socket wrote all of its copy
        assertEquals(frame.websocket().length, two.remaining(), "another's is untouched");
        assertEquals(2L * frame.text().length(), frame.memoryBytes());
    }
}
