package dev.parley.standalone.grizzly;

import org.glassfish.grizzly.Buffer;

/**
 * Follows the frames a client sends on one WebSocket connection (RFC 6455 5.2) by their
 * headers alone, so that a frame can be refused before its payload is read: reads each
 * header's bytes as they come, in whatever chunks, and steps over payloads by counting,
 * without copying or even looking at them.
 *
 * <p>Refuses with {@link Violation#TOO_BIG} a data frame, or a message of fragments,
 * announced longer than the limit, and with {@link Violation#PROTOCOL_ERROR} an unmasked
 * frame (a client must mask, 5.1), a length with its top bit set, and a control frame
 * longer than 125 bytes or fragmented (5.5). Everything else is Tyrus' to judge.
 */
final class FrameHeaderReader {
    enum Violation { TOO_BIG, PROTOCOL_ERROR }

    private static final int CONTINUATION = 0x0;
    private static final int MASK_KEY = 4;

    private final long maxMessageBytes;

    /** Bytes of the current header read so far; 0 at a frame's start and in its payload. */
    private int headerRead;
    private boolean fin;
    private int opcode;
    /** Bytes of extended payload length in the current header: 0, 2 or 8. */
    private int extendedLength;
    private long length;
    private long payloadLeft;
    /** Payload bytes of the data message under way, over its fragments so far. */
    private long messageBytes;
    private Violation violation;

    FrameHeaderReader(long maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Follows the frames through {@code chunk}'s bytes from its position to its limit,
     * leaving both as they are.
     *
     * @return what was wrong, once something is (then ever after); null while all is well
     */
    Violation read(Buffer chunk) {
        int at = chunk.position();
        int end = chunk.limit();
        while (at < end && violation == null) {
            if (payloadLeft > 0) {
                int skipped = (int) Math.min(payloadLeft, end - at);
                payloadLeft -= skipped;
                at += skipped;
            } else {
                violation = header(chunk.get(at++) & 0xff);
            }
        }
        return violation;
    }

    /** The refusal, if a frame was refused. */
    Violation violation() {
        return violation;
    }

    private Violation header(int b) {
        headerRead++;
        if (headerRead == 1) {
            fin = (b & 0x80) != 0;
            opcode = b & 0x0f;
            return null;
        }
        if (headerRead == 2) {
            if ((b & 0x80) == 0) {
                return Violation.PROTOCOL_ERROR;
            }
            int length7 = b & 0x7f;
            extendedLength = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            length = extendedLength == 0 ? length7 : 0;
            return extendedLength == 0 ? judge() : null;
        }
        int lengthEnd = 2 + extendedLength;
        if (headerRead <= lengthEnd) {
            length = length << 8 | b;
            return headerRead == lengthEnd ? judge() : null;
        }
        if (headerRead == lengthEnd + MASK_KEY) {
            headerRead = 0;
            payloadLeft = length;
        }
        return null;
    }

    /** The frame's length is known: refuse it now or let it through. */
    private Violation judge() {
        if (length < 0) {
            return Violation.PROTOCOL_ERROR;
        }
        boolean control = (opcode & 0x8) != 0;
        if (control) {
            return length > 125 || !fin ? Violation.PROTOCOL_ERROR : null;
        }
        long before = opcode == CONTINUATION ? messageBytes : 0;
        if (length > maxMessageBytes - before) {
            return Violation.TOO_BIG;
        }
        messageBytes = before + length;
        return null;
    }
}
