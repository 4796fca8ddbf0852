package dev.parley.identity;

import static dev.parley.support.TestTokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import dev.parley.support.ChatClient;
import dev.parley.support.Poll;
import dev.parley.support.Rooms;
import dev.parley.support.Scrape;
import dev.parley.support.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identity on, against any running Parley given {@link TestTokens#SECRET} (HS256),
 * {@link TestTokens#ISSUER} and {@link TestTokens#AUDIENCE}: tokens name the users,
 * every bad token is refused with {@code unauthorized} and 1008, a {@code rooms} claim
 * keeps a token to its rooms, and a connection lasts as long as its token unless it
 * sends a fresh one.
 */
public abstract class IdentityCases extends ModeratorCases {

    protected abstract URI chatUri(String room);

    /** The application's own URL for {@code path} ("metrics"). */
    protected abstract URI appUri(String path);

    /** Member connections on the node, from its metrics. */
    private double memberConnections() {
        return Scrape.of(appUri("metrics")).value("parley_members");
    }

    private static JsonObject join(String token) {
        return Json.createObjectBuilder().add("type", "join").add("token", token).build();
    }

    /** Joins with the token; returns the client, its welcome read. */
    protected ChatClient joinWith(String room, String token) {
        ChatClient client = ChatClient.connect(chatUri(room));
        client.send(join(token));
        client.next("welcome");
        return client;
    }

    private static void assertRefusedAndClosed(ChatClient client) {
        JsonObject error = client.nextError("unauthorized");
        assertFalse(error.getString("message").isBlank());
        assertEquals(new ChatClient.Closed(1008, "unauthorized"), client.awaitClose());
    }

    @Test
    void aTokenNamesTheUserWhateverUserTheJoinSays() {
        String room = Rooms.fresh();
        try (ChatClient watcher = joinWith(room, TestTokens.hs256("watcher"));
             ChatClient ada = ChatClient.connect(chatUri(room))) {
            ada.send(Json.createObjectBuilder().add("type", "join").add("user", "mallory")
                    .add("token", TestTokens.hs256("ada")).build());
            JsonObject welcome = ada.next("welcome");
            assertEquals("ada", welcome.getString("user"));
            assertEquals(List.of("ada", "watcher"), welcome.getJsonArray("users").getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString).toList());
            assertEquals("ada", watcher.nextOf("joined").getString("user"));
            ada.say("hello", "c1").awaitAck("c1");
            assertEquals("ada", watcher.nextOf("message").getString("user"));
        }
    }

    /** The web client reads it before it connects, to sign in instead of asking for a name. */
    @Test
    void thePageIsToldThatUsersSignInWithTokens() {
        java.net.http.HttpResponse<String> settings = dev.parley.support.Http.get(appUri("config.json"));
        assertEquals(200, settings.statusCode(), settings.body());
        JsonObject json = Json.createReader(new java.io.StringReader(settings.body())).readObject();
        assertTrue(json.getBoolean("identity"), settings.body());
        assertTrue(json.isNull("tokenUrl"), settings.body());
        assertTrue(json.getInt("nameHeldSeconds") >= 15, settings.body());
    }

    @Test
    void aJoinWithoutATokenIsUnauthorizedAndClosed() {
        try (ChatClient client = ChatClient.connect(chatUri(Rooms.fresh()))) {
            client.send("{\"type\":\"join\",\"user\":\"ada\"}");
            assertRefusedAndClosed(client);
        }
    }

    static Stream<Named<String>> refusedTokens() {
        Instant now = Instant.now();
        return Stream.of(
                Named.of("not a JWT", "not-a-token"),
                Named.of("alg none (unsigned)", TestTokens.unsigned("ada")),
                Named.of("a payload changed after signing", TestTokens.tampered("ada", "root")),
                Named.of("signed with another secret", TestTokens.sign(JWSAlgorithm.HS256, claims("ada"),
                        TestTokens.macSigner("another-secret-of-at-least-32-bytes!!"))),
                Named.of("another algorithm than configured (HS384)", TestTokens.hs384(claims("ada"), TestTokens.SECRET)),
                Named.of("an RS256 token where HS256 is configured",
                        TestTokens.signedWith(TestTokens.rsaKey("k1"), claims("ada"))),
                Named.of("expired a minute ago", TestTokens.expiringAt("ada", now.minusSeconds(60))),
                Named.of("no exp", TestTokens.hs256(claims("ada", c -> c.expirationTime(null)))),
                Named.of("no sub", TestTokens.hs256(claims("ada", c -> c.subject(null)))),
                Named.of("a sub that is no valid name", TestTokens.hs256(" ada")),
                Named.of("a sub with a control character", TestTokens.hs256("a\u0007da")),
                Named.of("another issuer", TestTokens.hs256(claims("ada", c -> c.issuer("https://evil.example.test")))),
                Named.of("no issuer", TestTokens.hs256(claims("ada", c -> c.issuer(null)))),
                Named.of("another audience", TestTokens.hs256(claims("ada", c -> c.audience(List.of("other", "more"))))),
                Named.of("not valid before next hour", TestTokens.hs256(claims("ada",
                        c -> c.notBeforeTime(Date.from(now.plusSeconds(3600)))))),
                Named.of("a rooms claim that is not an array of names",
                        TestTokens.hs256(claims("ada", c -> c.claim("rooms", "lobby")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void aBadTokenIsUnauthorizedWithoutAWelcomeAndClosedWith1008(String token) {
        String room = Rooms.fresh();
        try (ChatClient watcher = joinWith(room, TestTokens.hs256("watcher"));
             ChatClient client = ChatClient.connect(chatUri(room))) {
            client.send(join(token));
            assertRefusedAndClosed(client);
            watcher.assertNothingPending(); // no joined, no left
        }
    }

    @Test
    void aTokenThatIsNotAStringIsUnauthorized() {
        try (ChatClient client = ChatClient.connect(chatUri(Rooms.fresh()))) {
            client.send("{\"type\":\"join\",\"token\":42}");
            assertRefusedAndClosed(client);
        }
    }

    @Test
    void anAudienceArrayHoldingOursIsAccepted() {
        String token = TestTokens.hs256(claims("ada", c -> c.audience(List.of("someone-else", TestTokens.AUDIENCE))));
        try (ChatClient ada = joinWith(Rooms.fresh(), token)) {
            ada.assertNothingPending();
        }
    }

    @Test
    void aRoomsClaimLetsTheTokenIntoTheRoomsItNamesOrPrefixesAndNoOther() {
        String team = "team-" + Rooms.fresh();
        String exact = Rooms.fresh();
        String token = TestTokens.withRooms("ada", "team-*", exact);
        try (ChatClient inTeam = joinWith(team, token); ChatClient inExact = joinWith(exact, token);
             ChatClient elsewhere = ChatClient.connect(chatUri(Rooms.fresh()))) {
            inTeam.assertNothingPending();
            inExact.assertNothingPending();
            elsewhere.send(join(token));
            assertRefusedAndClosed(elsewhere);
        }
    }

    @Test
    void roomsListsOnlyTheRoomsTheTokenMayJoin() {
        String team = "team-" + Rooms.fresh();
        String other = Rooms.fresh();
        try (ChatClient a = joinWith(team, TestTokens.hs256("a")); ChatClient b = joinWith(other, TestTokens.hs256("b"));
             ChatClient limited = joinWith("team-" + Rooms.fresh(), TestTokens.withRooms("c", "team-*"));
             ChatClient everywhere = joinWith(Rooms.fresh(), TestTokens.hs256("d"))) {
            assertEquals(1, limited.countIn(team));
            assertEquals(0, limited.countIn(other), "a room the token may not join is not listed");
            assertEquals(1, everywhere.countIn(other));
        }
    }

    @Test
    void authWithAFreshTokenIsAckedWithItsCidAndExpiry() {
        try (ChatClient ada = joinWith(Rooms.fresh(), TestTokens.hs256("ada"))) {
            Instant exp = Instant.now().plusSeconds(7200).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            ada.send(Json.createObjectBuilder().add("type", "auth").add("cid", "r1")
                    .add("token", TestTokens.hs256(claims("ada", c -> c.expirationTime(Date.from(exp))))).build());
            JsonObject ack = ada.next("ack");
            assertEquals("r1", ack.getString("cid"));
            assertFalse(ack.containsKey("seq"), "an auth's ack has no seq: " + ack);
            assertEquals(exp, Instant.parse(ack.getString("expires")));
        }
    }

    @Test
    void authWithAnotherUsersOrABadTokenIsRefusedAndTheConnectionStays() {
        String room = Rooms.fresh();
        try (ChatClient ada = joinWith(room, TestTokens.hs256("ada"))) {
            ada.send(Json.createObjectBuilder().add("type", "auth").add("cid", "r1").add("token", TestTokens.hs256("bob"))
                    .build());
            assertEquals("r1", ada.nextError("unauthorized").getString("cid"));
            ada.send(Json.createObjectBuilder().add("type", "auth").add("cid", "r2").add("token", TestTokens.unsigned("ada"))
                    .build());
            assertEquals("r2", ada.nextError("unauthorized").getString("cid"));
            ada.send("{\"type\":\"auth\",\"cid\":\"r3\"}");
            assertEquals("r3", ada.nextError("unauthorized").getString("cid"));
            ada.say("still here", "c1").awaitAck("c1");
            assertEquals("ada", ada.nextOf("message").getString("user"));
        }
    }

    @Test
    void authBeforeJoinIsNotJoined() {
        try (ChatClient client = ChatClient.connect(chatUri(Rooms.fresh()))) {
            client.send(Json.createObjectBuilder().add("type", "auth").add("token", TestTokens.hs256("ada")).build());
            client.nextError("not-joined");
            client.send(join(TestTokens.hs256("ada")));
            assertEquals("ada", client.next("welcome").getString("user"));
        }
    }

    /**
     * Two members whose tokens run out in about two seconds (their exp is already past,
     * within the clock skew): the one that sent a fresh token stays, the other is closed
     * with 1008 "token expired" and the room hears it left.
     */
    @Test
    void aMemberWhoseTokenExpiresIsClosedUnlessItSentAFreshOne() {
        String room = Rooms.fresh();
        Instant soon = Instant.now().minus(Tokens.CLOCK_SKEW).plusSeconds(2);
        try (ChatClient watcher = joinWith(room, TestTokens.hs256("watcher"));
             ChatClient stale = joinWith(room, TestTokens.expiringAt("stale", soon));
             ChatClient fresh = joinWith(room, TestTokens.expiringAt("fresh", soon))) {
            fresh.send(Json.createObjectBuilder().add("type", "auth").add("cid", "r1").add("token", TestTokens.hs256("fresh"))
                    .build());
            assertEquals("r1", fresh.next("ack").getString("cid"));

            assertEquals("unauthorized", stale.nextOf("error").getString("code"));
            assertEquals(new ChatClient.Closed(1008, "token expired"), stale.awaitClose());
            JsonObject left = watcher.nextOf("left");
            assertEquals("stale", left.getString("user"));

            fresh.say("after the expiry", "c2").awaitAck("c2");
            assertEquals("fresh", watcher.nextOf("message").getString("user"));
            assertTrue(fresh.awaitClose(java.time.Duration.ZERO).isEmpty(), "the refreshed member is still connected");
        }
    }

    private static List<String> users(JsonObject welcome) {
        return welcome.getJsonArray("users").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    /**
     * Two tabs of one user with a third member watching: one {@code joined}, nothing when
     * the second tab comes or the first goes, one {@code left} when the last tab goes.
     */
    @Test
    void twoTabsOfOneUserAreOneMemberWhoLeavesWithTheLastTab() {
        String room = Rooms.fresh();
        try (ChatClient watcher = joinWith(room, TestTokens.hs256("watcher"))) {
            ChatClient tab1 = joinWith(room, TestTokens.hs256("ada"));
            JsonObject joined = watcher.next("joined");
            assertEquals("ada", joined.getString("user"));
            assertEquals(2, joined.getInt("count"));
            try (ChatClient tab2 = ChatClient.connect(chatUri(room))) {
                tab2.send(join(TestTokens.hs256("ada")));
                assertEquals(List.of("ada", "watcher"), users(tab2.next("welcome")));
                watcher.assertNothingPending(); // no second joined
                assertEquals(2, watcher.countIn(room), "users, not connections");

                watcher.say("to both tabs", "c1").next("ack");
                watcher.next("message");
                assertEquals("to both tabs", tab1.nextOf("message").getString("text"));
                assertEquals("to both tabs", tab2.nextOf("message").getString("text"));

                double before = memberConnections();
                tab1.closeNormally();
                Poll.until(this::memberConnections, n -> n <= before - 1, ChatClient.TIMEOUT); // tab1's departure is done
                try (ChatClient late = ChatClient.connect(chatUri(room))) {
                    late.send(join(TestTokens.hs256("late")));
                    assertEquals(List.of("ada", "late", "watcher"), users(late.next("welcome")), "ada is still here");
                    assertEquals("late", watcher.next("joined").getString("user"), "and nobody heard ada leave");
                    tab2.closeNormally();
                    JsonObject left = watcher.next("left");
                    assertEquals("ada", left.getString("user"));
                    assertEquals(2, left.getInt("count"));
                }
            }
        }
    }

    @Test
    void aDirectReachesEveryTabOfTheUserAndTypingNoneOfThem() {
        String room = Rooms.fresh();
        try (ChatClient tab1 = joinWith(room, TestTokens.hs256("ada"));
             ChatClient tab2 = joinWith(room, TestTokens.hs256("ada"));
             ChatClient bob = joinWith(room, TestTokens.hs256("bob"))) {
            bob.send(Json.createObjectBuilder().add("type", "direct").add("to", "ada").add("text", "psst").build());
            for (ChatClient client : List.of(tab1, tab2, bob)) {
                JsonObject direct = client.nextOf("direct");
                assertEquals("bob", direct.getString("from"));
                assertEquals("psst", direct.getString("text"));
            }
            tab1.send("{\"type\":\"typing\"}");
            assertEquals("ada", bob.nextOf("typing").getString("user"));
            tab2.assertNothingPending(); // not told that ada is typing
            tab1.send(Json.createObjectBuilder().add("type", "direct").add("to", "ada").add("text", "note to self").build());
            assertEquals("note to self", tab1.nextOf("direct").getString("text"));
            assertEquals("note to self", tab2.nextOf("direct").getString("text"));
            tab1.assertNothingPending(); // one copy, not two
        }
    }
}
