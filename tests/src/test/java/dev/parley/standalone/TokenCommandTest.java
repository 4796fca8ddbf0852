package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.ParleyConfig;
import dev.parley.identity.Identity;
import dev.parley.identity.Tokens;
import dev.parley.support.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code parley token}: what it prints is a token the same settings accept. */
class TokenCommandTest {
    private static final ParleyConfig CONFIG = ParleyConfig.from(Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET,
            "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER, "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE)::get, name -> null);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(ParleyConfig config, String... args) {
        return TokenCommand.run(args, () -> config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void theTokenItPrintsIsAcceptedForItsUserRoomsAndTime() throws Exception {
        Instant before = Instant.now();
        assertEquals(0, run(CONFIG, "token", "--user", "ada", "--rooms", "team-*, lobby", "--ttl", "15m"));
        Identity identity = new Tokens(CONFIG).verify(out.toString(StandardCharsets.UTF_8).strip());
        assertEquals("ada", identity.user());
        assertTrue(identity.rooms().allows("team-red") && identity.rooms().allows("lobby"));
        assertTrue(!identity.rooms().allows("lobby2") && !identity.rooms().allows("other"));
        Duration ttl = Duration.between(before, identity.expires());
        assertTrue(ttl.compareTo(Duration.ofMinutes(14)) > 0 && ttl.compareTo(Duration.ofMinutes(16)) < 0, ttl.toString());
    }

    @Test
    void modNamesTheRoomsWhereTheUserModerates() throws Exception {
        assertEquals(0, run(CONFIG, "token", "--user", "mia", "--mod", "lobby, team-*"));
        Identity identity = new Tokens(CONFIG).verify(out.toString(StandardCharsets.UTF_8).strip());
        assertTrue(identity.mod().allows("lobby") && identity.mod().allows("team-red"));
        assertTrue(!identity.mod().allows("other"));
    }

    @Test
    void withoutRoomsTheTokenGoesEverywhereForAnHour() throws Exception {
        assertEquals(0, run(CONFIG, "token", "--user", "bob"));
        Identity identity = new Tokens(CONFIG).verify(out.toString(StandardCharsets.UTF_8).strip());
        assertTrue(identity.rooms().allows("anything"));
        assertTrue(!identity.mod().allows("anything"), "a moderator nowhere");
        assertTrue(Duration.between(Instant.now(), identity.expires()).compareTo(Duration.ofMinutes(59)) > 0);
    }

    /** The settings of CONFIG and these. */
    private static ParleyConfig with(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(more);
        settings.putAll(Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET, "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER,
                "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE));
        return ParleyConfig.from(settings::get, name -> null);
    }

    /** The two lines that token --link printed: the token, then the link. */
    private List<String> tokenAndLink(ParleyConfig config, String... args) {
        out.reset();
        assertEquals(0, run(config, args), () -> err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theLinkOpensTheFirstRoomSignedInOnLocalhostWhenEveryInterfaceIsBound() throws Exception {
        List<String> lines = tokenAndLink(CONFIG, "token", "--user", "ada", "--rooms", "lobby, team-*", "--link");
        assertEquals(2, lines.size(), lines::toString);
        assertEquals("http://localhost:8080/#lobby&token=" + lines.get(0), lines.get(1));
        assertEquals("ada", new Tokens(CONFIG).verify(lines.get(0)).user());
    }

    @Test
    void aPrefixFirstOrNoRoomsLeavesTheRoomOut() {
        List<String> prefix = tokenAndLink(CONFIG, "token", "--link", "--user", "ada", "--rooms", "team-*,lobby");
        assertEquals("http://localhost:8080/#token=" + prefix.get(0), prefix.get(1));
        List<String> all = tokenAndLink(CONFIG, "token", "--user", "ada", "--link");
        assertEquals("http://localhost:8080/#token=" + all.get(0), all.get(1));
    }

    @Test
    void theLinkIsAtTheHostAndPortOfTheSettings() {
        List<String> lines = tokenAndLink(with(Map.of("PARLEY_HOST", "127.0.0.1", "PARLEY_PORT", "9000")),
                "token", "--user", "ada", "--rooms", "ops", "--link");
        assertEquals("http://127.0.0.1:9000/#ops&token=" + lines.get(0), lines.get(1));
        List<String> v6 = tokenAndLink(with(Map.of("PARLEY_HOST", "::1")), "token", "--user", "ada", "--link");
        assertEquals("http://[::1]:8080/#token=" + v6.get(0), v6.get(1));
        List<String> any6 = tokenAndLink(with(Map.of("PARLEY_HOST", "::")), "token", "--user", "ada", "--link");
        assertEquals("http://localhost:8080/#token=" + any6.get(0), any6.get(1));
    }

    @Test
    void helpPrintsTheUsageWithoutReadingTheSettings() {
        for (String help : new String[] {"--help", "-h"}) {
            out.reset();
            assertEquals(0, TokenCommand.run(new String[] {"token", "--user", "ada", help}, () -> {
                throw new AssertionError("the settings were read");
            }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
            assertEquals(TokenCommand.USAGE + "\n", out.toString(StandardCharsets.UTF_8));
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownOptionIsNamedThenTheUsage() {
        assertEquals(2, run(CONFIG, "token", "--user", "ada", "--colour", "red"));
        assertEquals("parley: unknown option --colour\n" + TokenCommand.USAGE + "\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void mistakesGetOneLineAndStatus2() {
        assertEquals(2, run(CONFIG, "token"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--user is required"));
        assertEquals(2, run(CONFIG, "token", "--user", " ada"));
        assertEquals(2, run(CONFIG, "token", "--user", "ada", "--ttl", "soon"));
        assertEquals(2, run(CONFIG, "token", "--user", "ada", "--colour", "red"));
        assertEquals(2, run(CONFIG, "token", "--user"));
        assertEquals(2, run(ParleyConfig.defaults(), "token", "--user", "ada"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("needs PARLEY_TOKEN_SECRET"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
