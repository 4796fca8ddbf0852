package dev.parley.identity;

import static dev.parley.support.TestTokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.support.TestTokens;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each refusal tells the user (the wire-level cases check that each is refused), and the rooms claim. */
class TokensTest {
    private final Tokens tokens = new Tokens(ParleyConfig.from(Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET,
            "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER, "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE)::get, name -> null));

    private String refusal(String token) {
        return assertThrows(TokenException.class, () -> tokens.verify(token)).getMessage();
    }

    @Test
    void eachRefusalSaysWhichCheckFailedAndNothingOfTheKey() {
        assertEquals("The token has expired.", refusal(TestTokens.expiringAt("ada", Instant.now().minusSeconds(60))));
        assertEquals("The token's signature is not one this server accepts.", refusal(TestTokens.unsigned("ada")));
        assertEquals("The token's signature is not one this server accepts.", refusal(TestTokens.tampered("ada", "eve")));
        assertEquals("The token is not a JWT.", refusal("a.b"));
        assertTrue(refusal(TestTokens.hs256(claims("ada", c -> c.issuer("x")))).contains("(iss)"));
        assertTrue(refusal(TestTokens.hs256(claims("ada", c -> c.audience("x")))).contains("(aud)"));
        assertTrue(refusal(TestTokens.hs256(claims("ada", c -> c.subject(null)))).contains("must carry sub"));
        assertTrue(refusal(TestTokens.hs256("ada\u200b")).contains("(sub)"));
        for (String message : List.of(refusal(TestTokens.unsigned("ada")), refusal("a.b"))) {
            assertFalse(message.contains(TestTokens.SECRET));
        }
    }

    @Test
    void aTokenWithinTheClockSkewOfItsExpiryIsStillValidAndSaysSo() throws TokenException {
        Instant exp = Instant.now().minusSeconds(5);
        Identity identity = tokens.verify(TestTokens.expiringAt("ada", exp));
        assertEquals(exp.getEpochSecond(), identity.expires().getEpochSecond());
        assertFalse(identity.expiredAt(Instant.now()));
        assertTrue(identity.expiredAt(exp.plus(Tokens.CLOCK_SKEW).plusMillis(1)));
    }

    @Test
    void theRoomsClaimTakesNamesAndPrefixes() throws TokenException {
        RoomAccess rooms = tokens.verify(TestTokens.withRooms("ada", "team-*", "lobby")).rooms();
        assertTrue(rooms.allows("team-") && rooms.allows("team-red") && rooms.allows("lobby"));
        assertFalse(rooms.allows("lobby-2") || rooms.allows("tea") || rooms.allows("other"));
        assertTrue(tokens.verify(TestTokens.withRooms("ada", "x", "*")).rooms().allows("anything"));
        assertFalse(tokens.verify(TestTokens.withRooms("ada")).rooms().allows("lobby"), "an empty claim: no room");
        assertTrue(tokens.verify(TestTokens.hs256("ada")).rooms().allows("lobby"), "no claim: every room");
        assertTrue(refusal(TestTokens.hs256(claims("ada", c -> c.claim("rooms", List.of(1, 2))))).contains("rooms claim"));
        assertTrue(refusal(TestTokens.hs256(claims("ada", c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(600))))))
                .contains("valid now"));
    }
}
