package dev.parley.standalone.grizzly;

import static dev.parley.standalone.grizzly.ClientFrames.chunk;
import static dev.parley.standalone.grizzly.ClientFrames.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.standalone.grizzly.FrameReader.Violation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parley's own WebSocket's frame reader, fed every stream whole, byte by byte, and split at
 * every position: what it hands over, and what it refuses.
 */
class FrameReaderTest {
    private static final int MAX = 1000;
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    /** What the reader handed over, one line each. */
    private static final class Recorder implements FrameReader.Messages {
        final List<String> seen = new ArrayList<>();

        @Override
        public void text(String message) {
            seen.add("text " + message);
        }

        @Override
        public void binary(long length) {
            seen.add("binary " + length);
        }

        @Override
        public void ping(byte[] payload) {
            seen.add("ping " + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void pong() {
            seen.add("pong");
        }

        @Override
        public void close(int code, String reason) {
            seen.add("close " + code + " " + reason);
        }
    }

    /** What one reading of a stream gave: the messages and the refusal, if any. */
    private record Outcome(List<String> seen, Violation violation) {
    }

    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        return frame(fin ? 0x80 | opcode : opcode, payload, true, payload.length);
    }

    /** A client frame with this first byte, masked (or not), announcing {@code announced} bytes. */
    private static byte[] frame(int first, byte[] payload, boolean masked, long announced) {
        return ClientFrames.frame(first, masked, announced, masked ? ClientFrames.masked(payload) : payload);
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] close(int code, byte[] reason) {
        return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array();
    }

    /** Reads {@code bytes} in chunks that end at {@code cuts} (and at the end). */
    private static Outcome read(byte[] bytes, int... cuts) {
        Recorder recorder = new Recorder();
        FrameReader reader = new FrameReader(MAX, recorder);
        Violation violation = null;
        int from = 0;
        for (int cut : cuts) {
            violation = reader.read(chunk(bytes, from, cut));
            from = cut;
        }
        violation = reader.read(chunk(bytes, from, bytes.length));
        return new Outcome(recorder.seen, violation);
    }

    /** The same outcome whole, byte by byte, and cut in two at every position. */
    private static Outcome readEveryWay(byte[] bytes) {
        Outcome whole = read(bytes);
        int[] everyByte = new int[Math.max(0, bytes.length - 1)];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertEquals(whole, read(bytes, everyByte), "byte by byte");
        for (int cut = 1; cut < bytes.length; cut++) {
            assertEquals(whole, read(bytes, cut), "cut at " + cut);
        }
        return whole;
    }

    @Test
    void textMessagesComeOutWholeAndUnmasked() {
        Outcome outcome = readEveryWay(stream(frame(true, TEXT, text("{\"type\":\"ping\"}")),
                frame(true, TEXT, text("héllo €, 😀")), frame(true, TEXT, new byte[0])));
        assertEquals(List.of("text {\"type\":\"ping\"}", "text héllo €, 😀", "text "), outcome.seen());
        assertNull(outcome.violation());
    }

    @Test
    void aFragmentedMessageIsJoinedAndControlFramesBetweenItsFragmentsComeFirst() {
        byte[] euro = text("€"); // three bytes, split across the fragments
        Outcome outcome = readEveryWay(stream(frame(false, TEXT, new byte[] {'a', euro[0]}),
                frame(true, PING, text("hb")), frame(false, CONTINUATION, new byte[] {euro[1], euro[2]}),
                frame(true, PONG, new byte[0]), frame(true, CONTINUATION, text("z"))));
        assertEquals(List.of("ping hb", "pong", "text a€z"), outcome.seen());
        assertNull(outcome.violation());
    }

    @Test
    void aLengthOfTwoOrEightBytesIsRead() {
        String medium = "m".repeat(300);
        Outcome outcome = read(stream(frame(true, TEXT, text(medium)), frame(0x81, text("x"), true, 1)));
        assertEquals(List.of("text " + medium, "text x"), outcome.seen());
        Recorder recorder = new Recorder();
        FrameReader big = new FrameReader(70_000, recorder);
        String large = "L".repeat(66_000);
        byte[] bytes = frame(0x81, text(large), true, 66_000);
        assertEquals(127 & 0x7f, bytes[1] & 0x7f, "an 8-byte length: the test's frame");
        assertNull(big.read(chunk(bytes, 0, bytes.length)));
        assertEquals(List.of("text " + large), recorder.seen);
    }

    @Test
    void binaryMessagesAreCountedNotKept() {
        Outcome outcome = readEveryWay(stream(frame(false, BINARY, new byte[40]), frame(true, CONTINUATION, new byte[2]),
                frame(true, TEXT, text("after"))));
        assertEquals(List.of("binary 42", "text after"), outcome.seen());
    }

    @Test
    void aCloseFrameGivesItsCodeAndReasonAndNothingAfterItIsRead() {
        Outcome outcome = readEveryWay(stream(frame(true, CLOSE, close(1001, text("gone ☂"))), frame(true, TEXT, text("late"))));
        assertEquals(List.of("close 1001 gone ☂"), outcome.seen());
        assertNull(outcome.violation());
        assertEquals(List.of("close 1005 "), readEveryWay(frame(true, CLOSE, new byte[0])).seen());
        assertEquals(List.of("close 4000 "), readEveryWay(frame(true, CLOSE, close(4000, new byte[0]))).seen());
    }

    @Test
    void aCloseWithACodeAClientMayNotSendOrOfOneByteIsAProtocolError() {
        for (int code : new int[] {999, 1004, 1005, 1006, 1012, 1013, 1015, 2999, 5000}) {
            Outcome outcome = read(frame(true, CLOSE, close(code, new byte[0])));
            assertEquals(Violation.PROTOCOL_ERROR, outcome.violation(), "code " + code);
            assertEquals(List.of(), outcome.seen());
        }
        assertEquals(Violation.PROTOCOL_ERROR, read(frame(true, CLOSE, new byte[] {3})).violation());
        assertEquals(Violation.NOT_UTF8, read(frame(true, CLOSE, close(1000, new byte[] {(byte) 0xc3}))).violation());
    }

    @Test
    void textThatIsNotUtf8IsRefusedAndAReplacementCharacterThatWasSentIsNot() {
        Outcome bad = readEveryWay(stream(frame(true, TEXT, new byte[] {'a', (byte) 0xff, 'b'}), frame(true, TEXT, text("x"))));
        assertEquals(Violation.NOT_UTF8, bad.violation());
        assertEquals(List.of(), bad.seen());
        byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80}; // U+D800 in UTF-8: not UTF-8
        assertEquals(Violation.NOT_UTF8, read(frame(true, TEXT, surrogate)).violation());
        byte[] overlong = {(byte) 0xc0, (byte) 0xaf}; // '/' in two bytes
        assertEquals(Violation.NOT_UTF8, read(frame(true, TEXT, overlong)).violation());
        assertEquals(List.of("text a\uFFFDb"), readEveryWay(frame(true, TEXT, text("a\uFFFDb"))).seen());
    }

    @Test
    void aFrameOverTheLimitIsRefusedAtItsHeaderBeforeItsPayload() {
        byte[] header = Arrays.copyOf(frame(0x81, new byte[0], true, MAX + 1), 2 + 2 + 4);
        Outcome outcome = readEveryWay(header);
        assertEquals(Violation.TOO_BIG, outcome.violation());
        assertEquals(Violation.TOO_BIG, read(frame(0x82, new byte[0], true, 1L << 40)).violation());
        assertNull(read(frame(true, TEXT, new byte[MAX])).violation(), "at the limit");
    }

    @Test
    void fragmentsAreCountedTogetherAgainstTheLimit() {
        Outcome outcome = read(stream(frame(false, TEXT, new byte[600]), frame(true, CONTINUATION, new byte[401])));
        assertEquals(Violation.TOO_BIG, outcome.violation());
        assertEquals(List.of(), outcome.seen());
    }

    @Test
    void whatSectionFiveForbidsIsAProtocolError() {
        byte[] payload = text("x");
        List<byte[]> forbidden = List.of(
                frame(0x81, payload, false, 1),                                     // unmasked
                frame(0xC1, payload, true, 1),                                      // RSV1
                frame(0x91, payload, true, 1),                                      // RSV3
                frame(0x83, payload, true, 1),                                      // opcode 3
                frame(0x8B, payload, true, 1),                                      // opcode 11
                frame(true, CONTINUATION, payload),                                 // a continuation of nothing
                stream(frame(false, TEXT, payload), frame(true, TEXT, payload)),    // a message inside another
                frame(true, PING, new byte[126]),                                   // a control frame over 125
                frame(false, PING, payload),                                        // a fragmented control frame
                frame(0x81, new byte[0], true, -1));                                // a length with its top bit set
        for (int i = 0; i < forbidden.size(); i++) {
            Outcome outcome = read(forbidden.get(i));
            assertEquals(Violation.PROTOCOL_ERROR, outcome.violation(), "case " + i);
            assertEquals(List.of(), outcome.seen(), "case " + i);
        }
    }

    @Test
    void afterARefusalNothingMoreIsRead() {
        Recorder recorder = new Recorder();
        FrameReader reader = new FrameReader(MAX, recorder);
        byte[] bad = frame(0x81, text("x"), false, 1);
        assertEquals(Violation.PROTOCOL_ERROR, reader.read(chunk(bad, 0, bad.length)));
        byte[] good = frame(true, TEXT, text("y"));
        assertEquals(Violation.PROTOCOL_ERROR, reader.read(chunk(good, 0, good.length)));
        assertEquals(List.of(), recorder.seen);
        assertFalse(reader.closed());
    }

    @Test
    void aClientMaySendTheCodesOfSectionSevenFourAndTheApplicationRanges() {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999}) {
            assertTrue(FrameReader.sendable(code), "code " + code);
        }
    }
}
