package dev.parley.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One encoded server frame, shared by everyone it goes to: its JSON text, and its bytes
 * as a WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, the length, no mask, since a
 * server never masks; the UTF-8 payload), made once on first use and then reused by every
 * recipient's socket. So a broadcast to a room of 20 encodes its text to UTF-8 and frames
 * it once, not 20 times (where the container lets Parley write bytes: {@code endpoint.WebSocketPeers}).
 *
 * <p>Thread-safe. The bytes are made at most a few times if threads race for them, each
 * time the same, and never changed once published.
 */
public final class Frame {
    private final String text;
    private volatile byte[] websocket;

    private Frame(String text) {
        this.text = text;
    }

    public static Frame of(String text) {
        return new Frame(text);
    }

    public String text() {
        return text;
    }

    /** The whole WebSocket frame, header and payload; never to be written to. */
    public byte[] websocket() {
        byte[] bytes = websocket;
        if (bytes == null) {
            bytes = websocketFrame(text.getBytes(StandardCharsets.UTF_8));
            websocket = bytes;
        }
        return bytes;
    }

    /** A new buffer over the whole WebSocket frame, for one socket's write. */
    public ByteBuffer websocketBuffer() {
        return ByteBuffer.wrap(websocket());
    }

    /** A new buffer over just the UTF-8 payload, for a container that frames it itself. */
    public ByteBuffer payloadBuffer() {
        byte[] bytes = websocket();
        int header = headerLength(bytes);
        return ByteBuffer.wrap(bytes, header, bytes.length - header).slice();
    }

    /** The frame's size in memory as the outbox counts it, two bytes per UTF-16 unit (what its text holds at most). */
    public long memoryBytes() {
        return 2L * text.length();
    }

    static byte[] websocketFrame(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) 0x81; // FIN, text
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return frame;
    }

    private static int headerLength(byte[] frame) {
        int length = frame[1] & 0x7F;
        return length < 126 ? 2 : length == 126 ? 4 : 10;
    }

    @Override
    public String toString() {
        return text;
    }
}
