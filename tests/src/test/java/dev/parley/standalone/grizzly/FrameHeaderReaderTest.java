package dev.parley.standalone.grizzly;

import static dev.parley.standalone.grizzly.ClientFrames.chunk;
import static dev.parley.standalone.grizzly.ClientFrames.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.parley.standalone.grizzly.FrameHeaderReader.Violation;
import java.util.Arrays;
import org.glassfish.grizzly.Buffer;
import org.junit.jupiter.api.Test;

/** The frame-header reader, fed every stream whole, byte by byte, and split at every position. */
class FrameHeaderReaderTest {
    private static final int MAX = 1000;
    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;

    /** A client frame: masked unless told otherwise. */
    private static byte[] frame(boolean fin, int opcode, int payloadLength, boolean masked) {
        return frame(fin, opcode, payloadLength, masked, payloadLength);
    }

    /** A frame announcing {@code announced} bytes and carrying {@code payloadLength}, bytes on the wire that look like headers. */
    private static byte[] frame(boolean fin, int opcode, int payloadLength, boolean masked, long announced) {
        byte[] raw = new byte[payloadLength];
        Arrays.fill(raw, (byte) 0x81);
        return ClientFrames.frame((fin ? 0x80 : 0) | opcode, masked, announced, raw);
    }

    /** Asserts the verdict on {@code stream} whole, split in two at every position, and byte by byte. */
    private static void assertVerdict(Violation expected, byte[] stream) {
        FrameHeaderReader whole = new FrameHeaderReader(MAX);
        assertEquals(expected, whole.read(chunk(stream, 0, stream.length)), "whole");
        for (int split = 0; split <= stream.length; split++) {
            FrameHeaderReader reader = new FrameHeaderReader(MAX);
            Violation first = reader.read(chunk(stream, 0, split));
            Violation verdict = first != null ? first : reader.read(chunk(stream, split, stream.length));
            assertEquals(expected, verdict, "split at " + split);
        }
        FrameHeaderReader bytewise = new FrameHeaderReader(MAX);
        Violation verdict = null;
        for (int i = 0; i < stream.length && verdict == null; i++) {
            verdict = bytewise.read(chunk(stream, i, i + 1));
        }
        assertEquals(expected, verdict, "byte by byte");
    }

    @Test
    void framesWithinTheLimitPass() {
        assertVerdict(null, stream(frame(true, TEXT, 0, true), frame(true, TEXT, 125, true), frame(true, TEXT, 126, true),
                frame(true, TEXT, MAX, true), frame(true, PING, 125, true), frame(true, TEXT, 3, true)));
    }

    @Test
    void aFrameAnnouncedOverTheLimitIsTooBigBeforeItsPayload() {
        assertVerdict(Violation.TOO_BIG, stream(frame(true, TEXT, 10, true), frame(true, TEXT, 0, true, MAX + 1)));
        assertVerdict(Violation.TOO_BIG, frame(true, TEXT, 0, true, 4 * 1024 * 1024 + 1));
        assertVerdict(Violation.TOO_BIG, frame(true, 0x2, 0, true, 1L << 62));
    }

    @Test
    void fragmentsCountTogetherAndAControlFrameBetweenThemDoesNotReset() {
        assertVerdict(null, stream(frame(false, TEXT, MAX / 2, true), frame(true, PING, 5, true),
                frame(true, CONTINUATION, MAX / 2, true), frame(true, TEXT, MAX, true)));
        assertVerdict(Violation.TOO_BIG, stream(frame(false, TEXT, MAX / 2, true), frame(true, PING, 5, true),
                frame(false, CONTINUATION, MAX / 2, true), frame(true, CONTINUATION, 0, true, 1)));
        assertVerdict(Violation.TOO_BIG, stream(frame(false, TEXT, 1, true),
                frame(true, CONTINUATION, 0, true, Long.MAX_VALUE)));
    }

    @Test
    void anUnmaskedFrameIsAProtocolError() {
        assertVerdict(Violation.PROTOCOL_ERROR, stream(frame(true, TEXT, 3, true), frame(true, TEXT, 3, false)));
    }

    @Test
    void aLengthWithItsTopBitSetIsAProtocolError() {
        assertVerdict(Violation.PROTOCOL_ERROR, frame(true, TEXT, 0, true, -1));
    }

    @Test
    void aLongOrFragmentedControlFrameIsAProtocolError() {
        assertVerdict(Violation.PROTOCOL_ERROR, frame(true, CLOSE, 126, true));
        assertVerdict(Violation.PROTOCOL_ERROR, frame(false, PING, 1, true));
    }

    @Test
    void theVerdictStands() {
        FrameHeaderReader reader = new FrameHeaderReader(MAX);
        byte[] bad = frame(true, TEXT, 3, false);
        assertEquals(Violation.PROTOCOL_ERROR, reader.read(chunk(bad, 0, bad.length)));
        byte[] good = frame(true, TEXT, 3, true);
        assertEquals(Violation.PROTOCOL_ERROR, reader.read(chunk(good, 0, good.length)));
        assertEquals(Violation.PROTOCOL_ERROR, reader.violation());
        assertNull(new FrameHeaderReader(MAX).violation());
    }
}
