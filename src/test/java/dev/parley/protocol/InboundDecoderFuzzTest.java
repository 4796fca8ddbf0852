package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated frames against the decoder: every frame is either a record or a
 * ProtocolException, never another exception, and whatever Parley could send back
 * because of it (the error, the pong, the message, the direct) can be written as UTF-8.
 * The live counterpart, against a running server, is {@code dev.parley.standalone.FuzzedConnectionTest}.
 */
class InboundDecoderFuzzTest {
    private static final List<String> TYPES = List.of("join", "message", "direct", "typing", "history", "rooms", "ping",
            "nope", "");
    private static final List<String> MEMBERS = List.of("type", "user", "text", "to", "cid", "since", "before", "limit", "x");

    private final InboundDecoder decoder = new InboundDecoder();
    private final OutboundEncoder encoder = new OutboundEncoder();

    @Property(tries = 3000)
    void anyStringGetsARecordOrAProtocolError(@ForAll("anyText") String frame) {
        answer(frame);
    }

    @Property(tries = 3000)
    void aValidFrameWithOneMemberBrokenGetsARecordOrAProtocolError(@ForAll("mutatedFrames") String frame) {
        answer(frame);
    }

    @Property(tries = 300)
    void deepNestingGetsARecordOrAProtocolError(@ForAll("deepFrames") String frame) {
        answer(frame);
    }

    /** Decodes and encodes what Parley would answer; fails on any exception but a ProtocolException. */
    private void answer(String frame) {
        Inbound inbound;
        try {
            inbound = decoder.decode(frame);
        } catch (ProtocolException e) {
            assertNotNull(e.code(), frame);
            assertWritable(encoder.encode(e.toFrame()), frame);
            return;
        }
        Instant now = Instant.now();
        if (inbound instanceof Inbound.Ping) {
            assertWritable(encoder.encode(new Outbound.Pong(((Inbound.Ping) inbound).frame())), frame);
        } else if (inbound instanceof Inbound.Message) {
            Inbound.Message m = (Inbound.Message) inbound;
            assertWritable(encoder.encode(new ChatMessage("room", 1, "ann", m.text(), now)), frame);
            if (m.cid() != null) {
                assertWritable(encoder.encode(new Outbound.Ack(m.cid(), 1)), frame);
            }
        } else if (inbound instanceof Inbound.Direct) {
            Inbound.Direct d = (Inbound.Direct) inbound;
            assertWritable(encoder.encode(new Outbound.Direct("room", "ann", d.to(), d.text(), now)), frame);
        } else if (inbound instanceof Inbound.Join) {
            String user = ((Inbound.Join) inbound).user();
            assertWritable(encoder.encode(new Outbound.Joined("room", user, 1, now)), frame);
        }
    }

    private static void assertWritable(String json, String frame) {
        CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            utf8.encode(CharBuffer.wrap(json));
        } catch (CharacterCodingException e) {
            throw new AssertionError("cannot be sent as UTF-8: " + json + " (answer to " + frame + ")", e);
        }
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]\":,\\u0123456789abdefnrtlsDF.-+eE ").ofMaxLength(200));
    }

    @Provide
    Arbitrary<String> mutatedFrames() {
        return Combinators.combine(Arbitraries.of(TYPES), Arbitraries.of(MEMBERS), jsonValue(), jsonValue())
                .as((type, member, value, other) -> "{\"type\":\"" + type + "\",\"user\":\"ann\",\"text\":\"hi\","
                        + "\"to\":\"ann\",\"cid\":\"c\",\"" + member + "\":" + value + ",\"x\":" + other + "}");
    }

    @Provide
    Arbitrary<String> deepFrames() {
        return Combinators.combine(Arbitraries.integers().between(1, 6000), Arbitraries.of("[", "{\"a\":", "[{\"b\":"),
                Arbitraries.of(true, false))
                .as((depth, open, closed) -> {
                    String close = open.equals("[") ? "]" : open.equals("{\"a\":") ? "}" : "}]";
                    return "{\"type\":\"ping\",\"x\":" + open.repeat(depth) + "1"
                            + (closed ? close.repeat(depth) : "") + "}";
                });
    }

    /** A JSON value text, valid or nearly: strings with any escapes (lone surrogates too), huge numbers, nesting. */
    private static Arbitrary<String> jsonValue() {
        Arbitrary<String> escapes = Arbitraries.of("\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u0000", "\\u202e",
                "\\u200b", "\\\"", "\\\\", "\\n", "\\x", "\\u12", "\u00e9", "e\u0301", " ");
        Arbitrary<String> strings = Combinators.combine(Arbitraries.strings().all().ofMaxLength(20),
                escapes.list().ofMaxSize(4)).as((plain, esc) -> "\"" + plain.replace("\\", "").replace("\"", "")
                + String.join("", esc) + "\"");
        Arbitrary<String> numbers = Arbitraries.of("0", "-1", "1.5", "1e999999999", "-1e-999999999",
                "9".repeat(30), "1" + "0".repeat(1200), "01", "1.", "NaN", "9223372036854775808");
        Arbitrary<String> others = Arbitraries.of("null", "true", "false", "[]", "{}", "[\"\\ud800\"]",
                "{\"\\udc00\":1}", "{\"type\":\"ping\"}", "\"" + "a".repeat(5000) + "\"", "[[[[[[[[[[1]]]]]]]]]]");
        return Arbitraries.oneOf(strings, numbers, others);
    }
}
