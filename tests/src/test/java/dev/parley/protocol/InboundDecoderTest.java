package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The decoder's rules for hostile input, without a server (the wire-level rules are in ProtocolCases). */
class InboundDecoderTest {
    private final InboundDecoder decoder = new InboundDecoder();

    private ProtocolException refused(String frame) {
        return assertThrows(ProtocolException.class, () -> decoder.decode(frame), frame);
    }

    private void assertRefused(ErrorCode code, String cid, String frame) {
        ProtocolException e = refused(frame);
        assertEquals(code, e.code(), frame);
        assertEquals(cid, e.cid(), frame);
    }

    @Test
    void aLoneSurrogateInTextIsBadTextWithTheCid() {
        assertRefused(ErrorCode.BAD_TEXT, "c1", "{\"type\":\"message\",\"text\":\"\\ud800\",\"cid\":\"c1\"}");
        assertRefused(ErrorCode.BAD_TEXT, "c1", "{\"type\":\"message\",\"text\":\"a\\udc00b\",\"cid\":\"c1\"}");
        assertRefused(ErrorCode.BAD_TEXT, null, "{\"type\":\"message\",\"text\":\"\\udbff\\ud800\"}");
        assertRefused(ErrorCode.BAD_TEXT, "c2", "{\"type\":\"direct\",\"to\":\"bob\",\"text\":\"x\\ud800\",\"cid\":\"c2\"}");
    }

    @Test
    void aSurrogatePairIsOneCharacterAndFine() {
        Inbound.Message m = (Inbound.Message) assertInstanceOf(Inbound.Message.class,
                decode("{\"type\":\"message\",\"text\":\"\\ud83d\\ude00\"}"));
        assertEquals("\uD83D\uDE00", m.text());
    }

    @Test
    void aLoneSurrogateInANameIsBadName() {
        assertRefused(ErrorCode.BAD_NAME, null, "{\"type\":\"join\",\"user\":\"ann\\ud800\"}");
        assertRefused(ErrorCode.BAD_NAME, null, "{\"type\":\"join\",\"user\":\"\\udfff\"}");
    }

    @Test
    void aLoneSurrogateInACidIsBadJsonWithoutTheCid() {
        assertRefused(ErrorCode.BAD_JSON, null, "{\"type\":\"message\",\"text\":\"hi\",\"cid\":\"\\ud800\"}");
        assertRefused(ErrorCode.UNKNOWN_TYPE, null, "{\"type\":\"nope\",\"cid\":\"\\ud800\"}");
    }

    @Test
    void aDirectToAnImpossibleNameIsNoSuchUserAndTheErrorDoesNotEchoIt() {
        ProtocolException e = refused("{\"type\":\"direct\",\"to\":\"\\ud800\",\"text\":\"hi\",\"cid\":\"c\"}");
        assertEquals(ErrorCode.NO_SUCH_USER, e.code());
        assertEquals("c", e.cid());
        assertEquals("Nobody by that name is in this room.", e.getMessage());
        assertEquals(ErrorCode.NO_SUCH_USER,
                refused("{\"type\":\"direct\",\"to\":\"" + "x".repeat(33) + "\",\"text\":\"hi\"}").code());
    }

    @Test
    void anUnknownTypeThatIsNotValidUnicodeIsNotEchoed() {
        ProtocolException e = refused("{\"type\":\"\\ud800\"}");
        assertEquals(ErrorCode.UNKNOWN_TYPE, e.code());
        assertEquals("Unknown frame type.", e.getMessage());
    }

    @Test
    void aPingWithALoneSurrogateAnywhereIsBadJson() {
        assertRefused(ErrorCode.BAD_JSON, null, "{\"type\":\"ping\",\"x\":\"\\ud800\"}");
        assertRefused(ErrorCode.BAD_JSON, null, "{\"type\":\"ping\",\"\\ud800\":1}");
        assertRefused(ErrorCode.BAD_JSON, null, "{\"type\":\"ping\",\"x\":[1,{\"y\":[\"\\udc00\"]}]}");
        assertRefused(ErrorCode.BAD_JSON, "c", "{\"type\":\"ping\",\"cid\":\"c\",\"x\":{\"\\udc00\":true}}");
    }

    @Test
    void nestingBeyondTheParsersLimitIsBadJson() {
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertRefused(ErrorCode.BAD_JSON, null, deep);
        assertRefused(ErrorCode.BAD_JSON, null, "[".repeat(16000));
        assertRefused(ErrorCode.BAD_JSON, null, "{\"a\":".repeat(3000));
    }

    @Test
    void numbersBeyondTheParsersLimitAreBadJson() {
        assertRefused(ErrorCode.BAD_JSON, null, "{\"type\":\"ping\",\"n\":1" + "0".repeat(2000) + "}");
        assertRefused(ErrorCode.BAD_JSON, null, "{\"type\":\"history\",\"before\":1e999999999}");
        assertRefused(ErrorCode.BAD_JSON, null, "{\"type\":\"history\",\"limit\":-1e-999999999}");
        assertRefused(ErrorCode.BAD_JSON, null, "{\"type\":\"join\",\"user\":\"a\",\"since\":9" + "9".repeat(1000) + "}");
    }

    @Test
    void namesWithInvisibleOrDirectionChangingCharactersAreBadNames() {
        for (String spoof : new String[] {"ad\u202Emin", "a\u2066b", "ann\u200B", "a\u200Db", "\u2060bob", "\uFEFFbob",
                "\u3164", "a\u3164", "x\u115Fy", "so\u00ADft", "a\u2028b", "\u2800"}) {
            assertRefused(ErrorCode.BAD_NAME, null, "{\"type\":\"join\",\"user\":\"" + spoof + "\"}");
        }
    }

    @Test
    void namesAreNormalisedSoOneNameHasOneSpelling() {
        Inbound.Join composed = (Inbound.Join) decode("{\"type\":\"join\",\"user\":\"Ren\u00e9\"}");
        Inbound.Join decomposed = (Inbound.Join) decode("{\"type\":\"join\",\"user\":\"Rene\u0301\"}");
        assertEquals(composed.user(), decomposed.user());
        assertEquals("Ren\u00e9", decomposed.user());
        Inbound.Direct to = (Inbound.Direct) decode("{\"type\":\"direct\",\"to\":\" Rene\u0301 \",\"text\":\"hi\"}");
        assertEquals("Ren\u00e9", to.to());
    }

    @Test
    void textIsNotNormalised() {
        Inbound.Message m = (Inbound.Message) decode("{\"type\":\"message\",\"text\":\"Rene\u0301 \u202Eok\"}");
        assertEquals("Rene\u0301 \u202Eok", m.text());
        assertNull(m.cid());
    }

    private Inbound decode(String frame) {
        try {
            return decoder.decode(frame);
        } catch (ProtocolException e) {
            throw new AssertionError(frame + ": " + e.code() + " " + e.getMessage());
        }
    }

    @Test
    void withIdentityOnAJoinNeedsAStringTokenAndItsUserIsIgnored() throws ProtocolException {
        InboundDecoder tokens = new InboundDecoder(jakarta.json.spi.JsonProvider.provider(), true);
        Inbound.Join join = (Inbound.Join) tokens.decode("{\"type\":\"join\",\"user\":\"\\ud800\",\"token\":\"t.k.n\"}");
        assertEquals("t.k.n", join.token());
        assertNull(join.user());
        for (String frame : new String[] {"{\"type\":\"join\",\"user\":\"ada\"}", "{\"type\":\"join\",\"token\":7}",
                "{\"type\":\"join\",\"token\":\"\\ud800\"}"}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> tokens.decode(frame), frame);
            assertEquals(ErrorCode.UNAUTHORIZED, e.code());
            assertEquals(InboundType.JOIN, e.type());
        }
    }

    @Test
    void anAuthCarriesItsTokenAndCid() throws ProtocolException {
        Inbound.Auth auth = (Inbound.Auth) decoder.decode("{\"type\":\"auth\",\"token\":\"t.k.n\",\"cid\":\"r1\"}");
        assertEquals("t.k.n", auth.token());
        assertEquals("r1", auth.cid());
        assertRefused(ErrorCode.UNAUTHORIZED, "r2", "{\"type\":\"auth\",\"cid\":\"r2\"}");
        assertRefused(ErrorCode.BAD_JSON, null, "{\"type\":\"auth\",\"token\":\"t\",\"cid\":5}");
    }
}
