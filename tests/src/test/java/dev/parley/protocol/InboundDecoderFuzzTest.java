package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.FrameFuzzer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated frames from a seeded generator (FrameFuzzer, the live fuzz run's
 * too) against the decoder: every frame is either a record or a ProtocolException, never
 * another exception; a frame that must be refused is; and whatever Parley could send back
 * because of it (the error, the pong, the message, the direct) can be written as UTF-8.
 * A failure names its seed: {@code -Dparley.fuzz.seed=N} runs that sequence again.
 */
class InboundDecoderFuzzTest {
    private static final int FRAMES = 30_000;

    private final InboundDecoder decoder = new InboundDecoder();
    private final OutboundEncoder encoder = new OutboundEncoder();

    @Test
    void everyHostileFrameGetsARecordOrAProtocolErrorThatCanBeSent() {
        long seed = Long.getLong("parley.fuzz.seed", System.nanoTime());
        FrameFuzzer fuzzer = new FrameFuzzer(seed);
        for (int i = 0; i < FRAMES; i++) {
            FrameFuzzer.Frame frame = fuzzer.next();
            String context = "seed " + seed + ", frame " + i + ": " + frame.text();
            try {
                answer(frame, context);
            } catch (RuntimeException e) {
                throw new AssertionError(context, e);
            }
        }
    }

    /** Decodes and encodes what Parley would answer. */
    private void answer(FrameFuzzer.Frame frame, String context) {
        Inbound inbound;
        try {
            inbound = decoder.decode(frame.text());
        } catch (ProtocolException e) {
            assertNotNull(e.code(), context);
            assertWritable(encoder.encode(e.toFrame()), context);
            return;
        }
        assertTrue(!frame.mustFail(), () -> "accepted as " + inbound + ": " + context);
        Instant now = Instant.now();
        if (inbound instanceof Inbound.Ping) {
            assertWritable(encoder.encode(new Outbound.Pong(((Inbound.Ping) inbound).frame())), context);
        } else if (inbound instanceof Inbound.Message) {
            Inbound.Message m = (Inbound.Message) inbound;
            assertWritable(encoder.encode(new ChatMessage("room", 1, "ann", m.text(), now)), context);
            if (m.cid() != null) {
                assertWritable(encoder.encode(new Outbound.Ack(m.cid(), 1)), context);
            }
        } else if (inbound instanceof Inbound.Direct) {
            Inbound.Direct d = (Inbound.Direct) inbound;
            assertWritable(encoder.encode(new Outbound.Direct("room", "ann", d.to(), d.text(), now)), context);
        } else if (inbound instanceof Inbound.Join) {
            String user = ((Inbound.Join) inbound).user();
            assertWritable(encoder.encode(new Outbound.Joined("room", user, 1, now)), context);
        }
    }

    private static void assertWritable(String json, String context) {
        CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            utf8.encode(CharBuffer.wrap(json));
        } catch (CharacterCodingException e) {
            throw new AssertionError("cannot be sent as UTF-8: " + json + " (" + context + ")", e);
        }
    }
}
