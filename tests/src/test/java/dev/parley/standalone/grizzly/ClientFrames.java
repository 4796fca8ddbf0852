package dev.parley.standalone.grizzly;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;

/** Frames as a WebSocket client sends them (RFC 6455 5.2), for the frame readers' tests. */
final class ClientFrames {
    /** The masking key of every masked frame here. */
    static final byte[] KEY = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private ClientFrames() {
    }

    /**
     * A frame with this first byte (FIN, RSV, opcode), announcing {@code announced} bytes
     * (any long: a negative one sets the length's top bit) and carrying {@code raw} as its
     * payload's bytes on the wire, masked (with {@link #KEY}) or not.
     */
    static byte[] frame(int first, boolean masked, long announced, byte[] raw) {
        ByteBuffer header = ByteBuffer.allocate(14);
        header.put((byte) first);
        int mask = masked ? 0x80 : 0;
        if (announced >= 0 && announced < 126) {
            header.put((byte) (mask | announced));
        } else if (announced >= 0 && announced <= 0xffff) {
            header.put((byte) (mask | 126)).putShort((short) announced);
        } else {
            header.put((byte) (mask | 127)).putLong(announced);
        }
        if (masked) {
            header.put(KEY);
        }
        byte[] bytes = Arrays.copyOf(header.array(), header.position() + raw.length);
        System.arraycopy(raw, 0, bytes, header.position(), raw.length);
        return bytes;
    }

    /** {@code payload} masked with {@link #KEY}: what a client puts on the wire for it. */
    static byte[] masked(byte[] payload) {
        byte[] raw = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            raw[i] = (byte) (payload[i] ^ KEY[i & 3]);
        }
        return raw;
    }

    static byte[] stream(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    /** {@code bytes} from {@code from} to {@code to}: a window on a larger array, as Grizzly hands them over. */
    static Buffer chunk(byte[] bytes, int from, int to) {
        Buffer buffer = Buffers.wrap(MemoryManager.DEFAULT_MEMORY_MANAGER, bytes);
        buffer.position(from);
        buffer.limit(to);
        return buffer;
    }
}
