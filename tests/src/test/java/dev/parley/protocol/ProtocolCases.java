package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.RetryHint;
import dev.parley.support.Rooms;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md, one test per rule, against any running Parley: a subclass says where
 * (the standalone server, or a WAR deployed in WildFly or Payara).
 */
public abstract class ProtocolCases extends LogCases {
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    /**
     * ws://…/chat/{room} on the server under test, or http://…/sse/{room} to run every rule
     * over the HTTP transport (a ChatClient given that speaks SSE and POST).
     */
    protected abstract URI chatUri(String room);

    /** The rules of WebSocket framing itself (binary frames, the upgrade) are not tried over HTTP. */
    private void webSocketOnly() {
        Assumptions.assumeTrue(chatUri("lobby").getScheme().startsWith("ws"), "a rule of WebSocket framing");
    }

    /**
     * The server's PARLEY_MAX_CONNECTIONS_PER_IP, which the suites set to this on every
     * target they start; 0 where it is unknown (a server started by hand), and the rule is
     * not tried.
     */
    protected int perAddressLimit() {
        return 0;
    }

    /** What the suites set PARLEY_MAX_CONNECTIONS_PER_IP to (src/test/resources/arquillian.xml too). */
    public static final int SUITE_PER_ADDRESS_LIMIT = 200;

    /**
     * The server's PARLEY_PRESENCE_LIMIT, which the suites set to {@link #SUITE_PRESENCE_LIMIT}
     * on every target they start (no other case puts that many users in one room); 0 where it
     * is unknown, and the large room's rules are not tried.
     */
    protected int presenceLimit() {
        return 0;
    }

    /** What the suites set PARLEY_PRESENCE_LIMIT to (src/test/resources/arquillian.xml too). */
    public static final int SUITE_PRESENCE_LIMIT = 30;

    // ---- helpers ----

    private String room;

    private URI uri() {
        if (room == null) {
            room = Rooms.fresh();
        }
        return chatUri(room);
    }

    private ChatClient join(String user) {
        return ChatClient.join(uri(), user);
    }

    private ChatClient connect() {
        return ChatClient.connect(uri());
    }

    private static JsonObject frame(String type) {
        return Json.createObjectBuilder().add("type", type).build();
    }

    private static JsonObject joinFrame(String user) {
        return Json.createObjectBuilder().add("type", "join").add("user", user).build();
    }

    private static JsonObject joinSince(String user, long since) {
        return Json.createObjectBuilder().add("type", "join").add("user", user).add("since", since).build();
    }

    private static List<Long> seqs(JsonArray messages) {
        List<Long> seqs = new ArrayList<>();
        for (JsonValue m : messages) {
            seqs.add(m.asJsonObject().getJsonNumber("seq").longValue());
        }
        return seqs;
    }

    private static List<Long> range(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            seqs.add(s);
        }
        return seqs;
    }

    /**
     * Sends n messages with cids and waits for the last ack, so all are stored. It waits for
     * its own ack every 100 messages, as a client that reads does: each message sends the
     * sender two frames (ack and message), and a sender far ahead of its own reading would
     * fill its send queue (1000 frames) on a loaded machine and be closed as a slow consumer.
     */
    private static void sayMany(ChatClient client, int n) {
        for (int i = 1; i <= n; i++) {
            String cid = i == n ? "last" : "c" + i;
            client.say("m" + i, cid);
            if (i % 100 == 0 && i != n) {
                client.awaitAck(cid);
            }
        }
        client.awaitAck("last");
    }

    // ---- transport ----

    @Test
    void roomOutsideTheNamePatternGetsBadRoomThenClose1008() {
        for (String bad : List.of("Lobby", "-lobby", "lob%20by", "a".repeat(65), "caf%C3%A9")) {
            try (ChatClient client = ChatClient.connect(chatUri(bad))) {
                client.nextError("bad-room");
                assertEquals(1008, client.awaitClose().code(), bad);
            }
        }
    }

    @Test
    void roomNamesOfTheFullPatternAreAccepted() {
        for (String good : List.of("a", "0-_x", "z".repeat(64))) {
            try (ChatClient client = ChatClient.join(chatUri(good), "ann")) {
                client.assertNothingPending();
            }
        }
    }

    @Test
    void binaryFrameGetsBadFrameAndTheConnectionStaysOpen() {
        webSocketOnly();
        try (ChatClient ann = join("ann")) {
            ann.sendBinary(new byte[] {1, 2, 3});
            ann.nextError("bad-frame");
            ann.say("still here");
            assertEquals("still here", ann.next("message").getString("text"));
        }
    }

    @Test
    void textFrameOverTheLimitClosesWith1009() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            String big = "{\"type\":\"message\",\"text\":\"" + "x".repeat(16 * 1024) + "\"}";
            bob.send(big);
            assertEquals(1009, bob.awaitClose().code());
            JsonObject left = ann.nextOf("left");
            assertEquals("bob", left.getString("user"));
        }
    }

    @Test
    void binaryFrameOverTheLimitClosesWith1009() {
        webSocketOnly();
        try (ChatClient ann = join("ann")) {
            ann.sendBinary(new byte[16 * 1024 + 1]);
            assertEquals(1009, ann.awaitClose().code());
        }
    }

    /**
     * Whether ws://…/chat/ (no room) is refused at the handshake with 404 instead of being
     * opened and closed with bad-room: Open Liberty's URI templates do not match an empty
     * segment (docs/CONTAINERS.md).
     */
    protected boolean anEmptyRoomIsRefusedAtTheHandshake() {
        return false;
    }

    @Test
    void anEmptyRoomNameIsABadRoom() {
        if (anEmptyRoomIsRefusedAtTheHandshake()) {
            assertHandshakeRefusedWith404(chatUri(""));
            return;
        }
        try (ChatClient client = ChatClient.connect(chatUri(""))) {
            client.nextError("bad-room");
            assertEquals(1008, client.awaitClose().code());
        }
    }

    @Test
    void aPathWithMoreSegmentsIsRefusedAtTheHandshake() {
        webSocketOnly();
        assertHandshakeRefusedWith404(chatUri("a/b"));
    }

    private static void assertHandshakeRefusedWith404(URI uri) {
        CompletableFuture<WebSocket> attempt = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() { });
        ExecutionException refused = assertThrows(ExecutionException.class, () -> attempt.get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof WebSocketHandshakeException, String.valueOf(refused.getCause()));
        assertEquals(404, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void frameJustUnderTheLimitIsAccepted() {
        try (ChatClient ann = join("ann")) {
            String text = "€".repeat(4000); // 12,000 bytes of UTF-8
            ann.say(text);
            assertEquals(text, ann.next("message").getString("text"));
        }
    }

    @Test
    void membersNotInTheProtocolAreIgnored() {
        try (ChatClient ann = connect()) {
            ann.send("{\"type\":\"join\",\"user\":\"ann\",\"colour\":\"teal\",\"v\":[1,2]}");
            assertEquals("ann", ann.next("welcome").getString("user"));
            ann.send("{\"type\":\"message\",\"text\":\"hi\",\"extra\":{\"a\":1}}");
            assertEquals("hi", ann.next("message").getString("text"));
        }
    }

    @Test
    void timestampsAreUtcWithMilliseconds() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            String joinedTs = ann.nextOf("joined").getString("ts");
            assertTrue(TIMESTAMP.matcher(joinedTs).matches(), joinedTs);
            bob.say("hi");
            String messageTs = ann.nextOf("message").getString("ts");
            assertTrue(TIMESTAMP.matcher(messageTs).matches(), messageTs);
        }
    }

    // ---- client to server ----

    @Test
    void joinIsAnsweredWithWelcomeAndOthersGetJoined() {
        try (ChatClient bob = join("bob"); ChatClient ann = connect()) {
            ann.send(joinFrame("ann"));
            JsonObject welcome = ann.next("welcome");
            assertEquals(room, welcome.getString("room"));
            assertEquals("ann", welcome.getString("user"));
            assertEquals(List.of("ann", "bob"), welcome.getJsonArray("users").getValuesAs(
                    (JsonValue v) -> ((jakarta.json.JsonString) v).getString()));
            assertEquals(0, welcome.getJsonArray("history").size());
            assertFalse(welcome.containsKey("recovered"), "recovered only when join had since");

            JsonObject joined = bob.next("joined");
            assertEquals(room, joined.getString("room"));
            assertEquals("ann", joined.getString("user"));
            assertEquals(2, joined.getInt("count"));
            ann.assertNothingPending();
        }
    }

    @Test
    void messageGetsTheNextSeqAndReachesEveryoneIncludingTheSender() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            ann.say("hello");
            for (ChatClient c : List.of(ann, bob)) {
                JsonObject m = c.next("message");
                assertEquals(room, m.getString("room"));
                assertEquals(1, m.getJsonNumber("seq").longValue());
                assertEquals("ann", m.getString("user"));
                assertEquals("hello", m.getString("text"));
                assertTrue(TIMESTAMP.matcher(m.getString("ts")).matches());
            }
        }
    }

    @Test
    void messageWithCidIsAcknowledgedToTheSenderFirst() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            ann.say("one", "c-1");
            JsonObject ack = ann.next("ack");
            assertEquals("c-1", ack.getString("cid"));
            assertEquals(1, ack.getJsonNumber("seq").longValue());
            assertEquals(1, ann.next("message").getJsonNumber("seq").longValue());
            assertEquals("one", bob.next("message").getString("text"));
            bob.assertNothingPending(); // no ack for others
        }
    }

    @Test
    void directReachesOnlyItsTargetAndACopyReturnsToTheSender() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob"); ChatClient cid = join("cid")) {
            ann.nextOf("joined");
            ann.nextOf("joined");
            bob.nextOf("joined");
            ann.send(Json.createObjectBuilder().add("type", "direct").add("to", "bob").add("text", "psst").build());
            for (ChatClient c : List.of(bob, ann)) {
                JsonObject d = c.next("direct");
                assertEquals(room, d.getString("room"));
                assertEquals("ann", d.getString("from"));
                assertEquals("bob", d.getString("to"));
                assertEquals("psst", d.getString("text"));
                assertTrue(TIMESTAMP.matcher(d.getString("ts")).matches());
            }
            cid.assertNothingPending();
            cid.send(frame("history"));
            assertEquals(0, cid.next("history").getJsonArray("messages").size(), "directs are not stored");
        }
    }

    @Test
    void directToAnUnknownUserGetsNoSuchUserWithTheCid() {
        try (ChatClient ann = join("ann")) {
            ann.send(Json.createObjectBuilder().add("type", "direct").add("to", "zed").add("text", "hi")
                    .add("cid", "d1").build());
            assertEquals("d1", ann.nextError("no-such-user").getString("cid"));
        }
    }

    @Test
    void typingReachesEveryoneButTheSender() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            ann.send(frame("typing"));
            JsonObject typing = bob.next("typing");
            assertEquals(room, typing.getString("room"));
            assertEquals("ann", typing.getString("user"));
            ann.assertNothingPending();
        }
    }

    @Test
    void historyPagesBackFromBeforeWithLimitOldestFirst() {
        try (ChatClient ann = join("ann")) {
            sayMany(ann, 120);
            ann.send(frame("history"));
            JsonObject newest = ann.nextOf("history");
            assertEquals(room, newest.getString("room"));
            assertEquals(range(71, 120), seqs(newest.getJsonArray("messages")), "default: newest 50");
            JsonObject first = newest.getJsonArray("messages").getJsonObject(0);
            assertEquals("message", first.getString("type"));
            assertEquals("m71", first.getString("text"));

            ann.send(Json.createObjectBuilder().add("type", "history").add("before", 71).add("limit", 30).build());
            assertEquals(range(41, 70), seqs(ann.nextOf("history").getJsonArray("messages")));
            ann.send(Json.createObjectBuilder().add("type", "history").add("before", 11).add("limit", 100).build());
            assertEquals(range(1, 10), seqs(ann.nextOf("history").getJsonArray("messages")));
            ann.send(Json.createObjectBuilder().add("type", "history").add("before", 1).build());
            assertEquals(List.of(), seqs(ann.nextOf("history").getJsonArray("messages")));
        }
    }

    @Test
    void historyLimitOutsideOneToHundredIsRefused() {
        try (ChatClient ann = join("ann")) {
            for (String limit : List.of("0", "101", "-1", "2.5", "\"ten\"")) {
                ann.send("{\"type\":\"history\",\"limit\":" + limit + "}");
                ann.nextError("bad-json");
            }
        }
    }

    @Test
    void roomsListsOccupiedRoomsSortedByNameWithCounts() {
        String first = "a" + Rooms.fresh();
        String second = "b" + Rooms.fresh();
        try (ChatClient a1 = ChatClient.join(chatUri(first), "x"); ChatClient a2 = ChatClient.join(chatUri(first), "y");
             ChatClient b1 = ChatClient.join(chatUri(second), "z")) {
            b1.send(frame("rooms"));
            JsonArray rooms = b1.next("rooms").getJsonArray("rooms");
            List<String> names = new ArrayList<>();
            for (JsonValue r : rooms) {
                JsonObject entry = r.asJsonObject();
                names.add(entry.getString("room"));
                assertTrue(entry.getInt("count") >= 1, "only rooms with users: " + entry);
                if (entry.getString("room").equals(first)) {
                    assertEquals(2, entry.getInt("count"));
                }
                if (entry.getString("room").equals(second)) {
                    assertEquals(1, entry.getInt("count"));
                }
            }
            assertTrue(names.containsAll(List.of(first, second)), names.toString());
            List<String> sorted = new ArrayList<>(names);
            sorted.sort(null);
            assertEquals(sorted, names);
        }
    }

    @Test
    void pingIsAnsweredWithPongEchoingEveryMemberButType() {
        try (ChatClient ann = connect()) {
            ann.send("{\"type\":\"ping\",\"n\":7,\"s\":\"x\",\"o\":{\"a\":[1,true,null]}}");
            JsonObject pong = ann.next("pong");
            assertEquals(Json.createObjectBuilder().add("type", "pong").add("n", 7).add("s", "x")
                    .add("o", Json.createObjectBuilder().add("a", Json.createArrayBuilder().add(1).add(true)
                            .addNull())).build(), pong);
        }
    }

    // ---- rules for what clients send ----

    @Test
    void surroundingWhiteSpaceIsTrimmedFromTheName() {
        try (ChatClient ann = connect()) {
            ann.send(joinFrame(" \t\u00a0\u3000ann b\u2003\n"));
            assertEquals("ann b", ann.next("welcome").getString("user"));
        }
    }

    @Test
    void badNamesGetBadNameAndTheClientMayJoinAgain() {
        try (ChatClient ann = connect()) {
            for (String bad : List.of("", "   ", "\u00a0\u2007", "a".repeat(33), "bad\u0007name", "tab\tinside")) {
                ann.send(joinFrame(bad));
                ann.nextError("bad-name");
            }
            ann.send("{\"type\":\"join\",\"user\":42}");
            ann.nextError("bad-name");
            ann.send("{\"type\":\"join\"}");
            ann.nextError("bad-name");
            ann.send(joinFrame("ann"));
            assertEquals("ann", ann.next("welcome").getString("user"));
        }
    }

    @Test
    void nameLengthCountsCodePoints() {
        String emoji32 = "😀".repeat(32); // 64 UTF-16 units
        try (ChatClient ann = connect()) {
            ann.send(joinFrame("😀".repeat(33)));
            ann.nextError("bad-name");
            ann.send(joinFrame(emoji32));
            assertEquals(emoji32, ann.next("welcome").getString("user"));
        }
    }

    @Test
    void aNameInUseInTheRoomGetsNameTakenAndTheClientMayRetry() {
        try (ChatClient ann = join("ann"); ChatClient other = connect()) {
            other.send(joinFrame("  ann "));
            other.nextError("name-taken");
            other.send(joinFrame("ann2"));
            assertEquals("ann2", other.next("welcome").getString("user"));
            assertEquals("ann2", ann.next("joined").getString("user"));
        }
    }

    @Test
    void theSameNameMayBeUsedInAnotherRoom() {
        try (ChatClient ann = join("ann"); ChatClient elsewhere = ChatClient.join(chatUri(Rooms.fresh()), "ann")) {
            elsewhere.assertNothingPending();
            ann.assertNothingPending();
        }
    }

    @Test
    void textOverFourThousandCodePointsIsTooLong() {
        try (ChatClient ann = join("ann")) {
            ann.say("x".repeat(4001), "long");
            assertEquals("long", ann.nextError("too-long").getString("cid"));
            ann.say("😀".repeat(4001));
            ann.nextError("too-long");
            String max = "😀".repeat(4000);
            ann.say(max);
            assertEquals(max, ann.next("message").getString("text"));
        }
    }

    @Test
    void blankTextIsRefused() {
        try (ChatClient ann = join("ann")) {
            for (String blank : List.of("", " ", "\n\t ", "\u00a0", "\u3000\u2028")) {
                ann.say(blank);
                ann.nextError("bad-text");
            }
            ann.send("{\"type\":\"message\"}");
            ann.nextError("bad-text");
            ann.send("{\"type\":\"message\",\"text\":5}");
            ann.nextError("bad-text");
        }
    }

    @Test
    void textIsStoredAndDeliveredExactlyAsSentUntrimmed() {
        try (ChatClient ann = join("ann")) {
            ann.say("  two  spaces \n");
            assertEquals("  two  spaces \n", ann.next("message").getString("text"));
            ann.send(frame("history"));
            assertEquals("  two  spaces \n",
                    ann.next("history").getJsonArray("messages").getJsonObject(0).getString("text"));
        }
    }

    @Test
    void unicodeAndJsonEscapesSurviveTheRoundTrip() {
        String text = "quote \" backslash \\ slash / nul \u0000 bell \u0007 tab \t </script><b>x</b> "
                + "emoji 😀👩‍👩‍👧 rtl שלום cjk 漢字 line\u2028sep";
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob 😀")) {
            ann.nextOf("joined");
            ann.say(text);
            assertEquals(text, bob.next("message").getString("text"));
            assertEquals(text, ann.next("message").getString("text"));
            bob.say("reply");
            assertEquals("bob 😀", ann.next("message").getString("user"));
        }
    }

    @Test
    void cidLongerThanSixtyFourCharactersIsRefused() {
        try (ChatClient ann = join("ann")) {
            ann.say("hi", "c".repeat(65));
            JsonObject error = ann.nextError("bad-json");
            assertFalse(error.containsKey("cid"));
            ann.say("hi", "c".repeat(64));
            assertEquals("c".repeat(64), ann.next("ack").getString("cid"));
        }
    }

    @Test
    void framesBeforeJoinGetNotJoinedButPingIsAnswered() {
        try (ChatClient ann = connect()) {
            for (String type : List.of("message", "direct", "typing", "history", "rooms")) {
                ann.send(frame(type));
                ann.nextError("not-joined");
            }
            ann.send("{\"type\":\"message\",\"text\":\"hi\",\"cid\":\"n1\"}");
            assertEquals("n1", ann.nextError("not-joined").getString("cid"));
            ann.send(frame("ping"));
            ann.next("pong");
        }
    }

    @Test
    void aSecondJoinGetsAlreadyJoined() {
        try (ChatClient ann = join("ann")) {
            ann.send(joinFrame("ann"));
            ann.nextError("already-joined");
            ann.send(joinFrame("other"));
            ann.nextError("already-joined");
            ann.send("{\"type\":\"join\"}");
            ann.nextError("already-joined");
        }
    }

    @Test
    void framesThatAreNotAJsonObjectWithAStringTypeGetBadJsonAndTheConnectionStaysOpen() {
        try (ChatClient ann = connect()) {
            for (String bad : List.of("not json", "{", "[1,2]", "\"join\"", "42", "null", "{}",
                    "{\"type\":7}", "{\"type\":null}", "{\"user\":\"ann\"}", "{\"type\":\"ping\"} trailing")) {
                ann.send(bad);
                ann.nextError("bad-json");
            }
            ann.send(joinFrame("ann"));
            ann.next("welcome");
            ann.send("{\"type\":\"message\",\"text\":\"hi\"");
            ann.nextError("bad-json");
            ann.say("still fine");
            ann.next("message");
        }
    }

    @Test
    void anUnknownTypeGetsUnknownTypeWithTheCid() {
        try (ChatClient ann = join("ann")) {
            ann.send("{\"type\":\"dance\",\"cid\":\"u1\"}");
            assertEquals("u1", ann.nextError("unknown-type").getString("cid"));
            ann.send("{\"type\":\"JOIN\"}");
            ann.nextError("unknown-type");
        }
    }

    @Test
    void sinceAndBeforeMustBeNonNegativeIntegers() {
        try (ChatClient ann = connect()) {
            ann.send("{\"type\":\"join\",\"user\":\"ann\",\"since\":-1}");
            ann.nextError("bad-json");
            ann.send("{\"type\":\"join\",\"user\":\"ann\",\"since\":\"5\"}");
            ann.nextError("bad-json");
            ann.send(joinFrame("ann"));
            ann.next("welcome");
            ann.send("{\"type\":\"history\",\"before\":1.5}");
            ann.nextError("bad-json");
        }
    }

    // ---- ordering and history ----

    @Test
    void seqStartsAtOneInEachRoomAndGrowsByOne() {
        try (ChatClient ann = join("ann"); ChatClient other = ChatClient.join(chatUri(Rooms.fresh()), "ann")) {
            for (int i = 1; i <= 5; i++) {
                ann.say("a");
                assertEquals(i, ann.next("message").getJsonNumber("seq").longValue());
            }
            other.say("b");
            assertEquals(1, other.next("message").getJsonNumber("seq").longValue());
        }
    }

    @Test
    void welcomeHistoryHoldsTheNewestFiftyOldestFirstExactlyAsBroadcast() {
        try (ChatClient ann = join("ann")) {
            sayMany(ann, 60);
            ann.send(frame("history"));
            JsonArray page = ann.nextOf("history").getJsonArray("messages");
            JsonObject last = page.getJsonObject(page.size() - 1);
            try (ChatClient bob = connect()) {
                bob.send(joinFrame("bob"));
                JsonArray history = bob.next("welcome").getJsonArray("history");
                assertEquals(range(11, 60), seqs(history));
                assertEquals(last, history.getJsonObject(49));
                assertEquals(List.of("type", "room", "seq", "user", "text", "ts"),
                        new ArrayList<>(history.getJsonObject(0).keySet()));
            }
        }
    }

    @Test
    void reconnectWithSinceRecoversExactlyTheMissedMessages() {
        try (ChatClient ann = join("ann")) {
            sayMany(ann, 80);
            try (ChatClient bob = connect()) {
                bob.send(joinSince("bob", 7));
                JsonObject welcome = bob.next("welcome");
                assertTrue(welcome.getBoolean("recovered"));
                assertEquals(range(8, 80), seqs(welcome.getJsonArray("history")), "the cap of 50 does not apply");
            }
        }
    }

    @Test
    void sinceAtTheNewestSeqRecoversNothingMissing() {
        try (ChatClient ann = join("ann")) {
            sayMany(ann, 3);
            try (ChatClient bob = connect()) {
                bob.send(joinSince("bob", 3));
                JsonObject welcome = bob.next("welcome");
                assertTrue(welcome.getBoolean("recovered"));
                assertEquals(0, welcome.getJsonArray("history").size());
            }
        }
    }

    @Test
    void sinceBeyondTheNewestSeqIsNotRecovered() {
        try (ChatClient ann = join("ann")) {
            sayMany(ann, 3);
            try (ChatClient bob = connect()) {
                bob.send(joinSince("bob", 99));
                JsonObject welcome = bob.next("welcome");
                assertFalse(welcome.getBoolean("recovered"));
                assertEquals(range(1, 3), seqs(welcome.getJsonArray("history")));
            }
        }
    }

    @Test
    void moreMissedThanTheRecoveryCapGivesTheNewestFiftyAndRecoveredFalse() {
        try (ChatClient ann = join("ann")) {
            sayMany(ann, 1002);
            try (ChatClient bob = connect()) {
                bob.send(joinSince("bob", 1)); // 1001 missed, cap 1000
                JsonObject welcome = bob.next("welcome");
                assertFalse(welcome.getBoolean("recovered"));
                assertEquals(range(953, 1002), seqs(welcome.getJsonArray("history")));
            }
            try (ChatClient cat = connect()) {
                cat.send(joinSince("cat", 2)); // exactly 1000 missed
                JsonObject welcome = cat.next("welcome");
                assertTrue(welcome.getBoolean("recovered"));
                assertEquals(range(3, 1002), seqs(welcome.getJsonArray("history")));
            }
        }
    }

    @Test
    void membersReceiveEveryMessageInSeqOrderWhileOthersTalk() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            for (int i = 0; i < 20; i++) {
                ann.say("a" + i);
                bob.say("b" + i);
            }
            for (ChatClient c : List.of(ann, bob)) {
                List<Long> got = new ArrayList<>();
                while (got.size() < 40) {
                    got.add(c.nextOf("message").getJsonNumber("seq").longValue());
                }
                assertEquals(range(1, 40), got);
            }
        }
    }

    // ---- presence ----

    @Test
    void aNormalCloseIsAnnouncedWithLeftOnce() {
        try (ChatClient ann = join("ann")) {
            ChatClient bob = join("bob");
            ann.next("joined");
            bob.closeNormally();
            JsonObject left = ann.next("left");
            assertEquals(room, left.getString("room"));
            assertEquals("bob", left.getString("user"));
            assertEquals(1, left.getInt("count"));
            assertTrue(TIMESTAMP.matcher(left.getString("ts")).matches());
            ann.assertNothingPending();
        }
    }

    @Test
    void aClientThatVanishesWithoutACloseFrameIsAnnouncedWithLeft() {
        try (ChatClient ann = join("ann")) {
            ChatClient bob = join("bob");
            ann.next("joined");
            bob.abort();
            // over HTTP a servlet container notices a vanished stream only when a write to it
            // fails, a heartbeat or two later; the idle timeout (60 s) bounds it in any case
            Duration notice = chatUri("lobby").getScheme().startsWith("ws") ? ChatClient.TIMEOUT : Duration.ofSeconds(70);
            JsonObject left = ann.poll(notice).orElseThrow(() -> new AssertionError("no left within " + notice));
            assertEquals("left", left.getString("type"), left.toString());
            assertEquals("bob", left.getString("user"));
            assertEquals(1, left.getInt("count"));
            ann.assertNothingPending();
        }
    }

    @Test
    void aDepartedNameIsFreeAgainAndTheRoomCountFollows() {
        try (ChatClient ann = join("ann")) {
            ChatClient bob = join("bob");
            ann.next("joined");
            bob.closeNormally();
            ann.next("left");
            try (ChatClient bob2 = join("bob")) {
                assertEquals(2, ann.next("joined").getInt("count"));
                bob2.send(frame("rooms"));
                for (JsonValue r : bob2.next("rooms").getJsonArray("rooms")) {
                    if (r.asJsonObject().getString("room").equals(room)) {
                        assertEquals(2, r.asJsonObject().getInt("count"));
                    }
                }
            }
        }
    }

    @Test
    void aConnectionThatNeverJoinedIsNotAnnounced() {
        try (ChatClient ann = join("ann")) {
            ChatClient lurker = connect();
            lurker.closeNormally();
            ann.assertNothingPending();
        }
    }

    /** Parley's additions, "Large rooms": above the limit, presence is coalesced and names come in pages. */
    @Test
    void aRoomAboveThePresenceLimitCoalescesPresenceAndPagesItsNames() {
        int limit = presenceLimit();
        Assumptions.assumeTrue(limit > 0, "the presence limit of this server is not known");
        List<ChatClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < limit; i++) {
                members.add(join(String.format("u%02d", i)));
            }
            ChatClient first = members.get(0);
            try (ChatClient big = connect()) {
                big.send(joinFrame("v"));
                JsonObject welcome = big.next("welcome");
                assertEquals(limit + 1, welcome.getInt("count"));
                assertEquals(limit + 1, welcome.getJsonArray("users").size(), "a page holds them all");
                assertFalse(welcome.getBoolean("users_more"));
                // up to the limit each join is version 1's joined; v's, above it, a presence frame
                // (in a cluster the nodes' events may come in another order than the joins)
                java.util.Set<String> joined = new java.util.TreeSet<>();
                JsonObject presence = null;
                while (joined.size() < limit - 1 || presence == null) {
                    JsonObject frame = first.next();
                    switch (frame.getString("type")) {
                        case "joined" -> joined.add(frame.getString("user"));
                        case "presence" -> presence = frame;
                        default -> throw new AssertionError("unexpected " + frame);
                    }
                }
                assertEquals(limit - 1, joined.size());
                assertEquals(room, presence.getString("room"));
                assertEquals(limit + 1, presence.getInt("count"));
                assertEquals(List.of("v"), presence.getJsonArray("joined").getValuesAs(jakarta.json.JsonString::getString));
                assertEquals(0, presence.getJsonArray("left").size());
                assertEquals(0, presence.getInt("more"));
                assertTrue(TIMESTAMP.matcher(presence.getString("ts")).matches());

                big.send(Json.createObjectBuilder().add("type", "members").add("after", "u04").add("limit", 3).build());
                JsonObject page = big.nextOf("members");
                assertEquals(room, page.getString("room"));
                assertEquals(List.of("u05", "u06", "u07"), page.getJsonArray("users").getValuesAs(jakarta.json.JsonString::getString));
                assertEquals(limit + 1, page.getInt("count"));
                assertTrue(page.getBoolean("more"));
                big.send(Json.createObjectBuilder().add("type", "members").add("after", "u").add("limit", 500).build());
                JsonObject rest = big.nextOf("members");
                assertEquals(limit + 1, rest.getJsonArray("users").size());
                assertEquals("v", rest.getJsonArray("users").getString(limit), "sorted, on every node");
                assertFalse(rest.getBoolean("more"));
                big.send(Json.createObjectBuilder().add("type", "members").add("limit", 0).build());
                // v hears its own join's presence frame too, at a moment of the room's second
                assertEquals("bad-json", big.nextOf("error").getString("code"));
            }
            JsonObject left = first.nextOf("left");
            assertEquals("v", left.getString("user"), "back at the limit: version 1's left");
            assertEquals(limit, left.getInt("count"));
        } finally {
            members.forEach(ChatClient::close);
        }
    }

    // ---- hostile input (PROTOCOL.md, Parley's additions: "Strings and names") ----

    @Test
    void aTextThatIsNotValidUnicodeIsBadTextAndNothingIsStoredOrSent() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.next("joined");
            ann.send("{\"type\":\"message\",\"text\":\"\\ud800\",\"cid\":\"lone\"}");
            assertEquals("lone", ann.nextError("bad-text").getString("cid"));
            ann.send("{\"type\":\"direct\",\"to\":\"bob\",\"text\":\"x\\udc00\",\"cid\":\"d\"}");
            assertEquals("d", ann.nextError("bad-text").getString("cid"));
            ann.say("fine", "ok");
            assertEquals(1, ann.next("ack").getInt("seq"), "the refused text took no seq");
            assertEquals("fine", ann.next("message").getString("text"));
            JsonObject atBob = bob.next("message");
            assertEquals(1, atBob.getInt("seq"));
            assertEquals("fine", atBob.getString("text"));
            try (ChatClient carol = ChatClient.connect(uri())) {
                carol.send(joinFrame("carol"));
                JsonArray history = carol.next("welcome").getJsonArray("history");
                assertEquals(List.of(1L), seqs(history), "only the valid message is stored");
            }
        }
    }

    @Test
    void aNameOrCidOrPingThatIsNotValidUnicodeIsRefusedAndTheConnectionStays() {
        try (ChatClient ann = connect()) {
            ann.send("{\"type\":\"join\",\"user\":\"ann\\ud800\"}");
            ann.nextError("bad-name");
            ann.send("{\"type\":\"ping\",\"x\":[\"\\udfff\"]}");
            ann.nextError("bad-json");
            ann.send("{\"type\":\"ping\",\"\\ud800\":1}");
            ann.nextError("bad-json");
            ann.send(joinFrame("ann"));
            ann.next("welcome");
            ann.send("{\"type\":\"message\",\"text\":\"hi\",\"cid\":\"\\ud800\"}");
            JsonObject error = ann.nextError("bad-json");
            assertFalse(error.containsKey("cid"), "a cid that is not valid Unicode is not echoed");
            ann.send("{\"type\":\"direct\",\"to\":\"\\ud800\",\"text\":\"hi\",\"cid\":\"d\"}");
            assertEquals("d", ann.nextError("no-such-user").getString("cid"));
            ann.send("{\"type\":\"\\ud800\"}");
            ann.nextError("unknown-type");
            ann.say("still here");
            assertEquals("still here", ann.next("message").getString("text"));
        }
    }

    @Test
    void jsonBeyondTheParsersLimitsIsBadJsonAndTheConnectionStays() {
        try (ChatClient ann = join("ann")) {
            ann.send("{\"type\":\"ping\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
            ann.nextError("bad-json");
            ann.send("[".repeat(15000));
            ann.nextError("bad-json");
            ann.send("{\"type\":\"ping\",\"n\":1" + "0".repeat(2000) + "}");
            ann.nextError("bad-json");
            ann.send("{\"type\":\"history\",\"before\":1e999999999}");
            ann.nextError("bad-json");
            ann.say("still here");
            assertEquals("still here", ann.next("message").getString("text"));
        }
    }

    @Test
    void namesWithInvisibleOrDirectionChangingCharactersAreBadNames() {
        try (ChatClient ann = connect()) {
            for (String spoof : List.of("ad\u202Emin", "ann\u200B", "\u2066bob\u2069", "\uFEFFbob", "\u3164", "a\u2060b")) {
                ann.send(joinFrame(spoof));
                ann.nextError("bad-name");
            }
            ann.send(joinFrame("ann"));
            ann.next("welcome");
        }
    }

    @Test
    void twoSpellingsOfOneNameAreOneName() {
        try (ChatClient rene = join("Ren\u00e9"); ChatClient other = connect()) {
            other.send(joinFrame("Rene\u0301"));
            other.nextError("name-taken");
            rene.send(Json.createObjectBuilder().add("type", "direct").add("to", "Rene\u0301").add("text", "me").build());
            JsonObject direct = rene.next("direct");
            assertEquals("Ren\u00e9", direct.getString("to"));
        }
    }

    // ---- who may connect (Parley's additions: "Origins and connection limits") ----

    @Test
    void aPageFromAnotherSiteIsClosedWith1008AndNeverWelcomed() {
        try (ChatClient evil = ChatClient.connect(uri(), Map.of("Origin", "http://evil.example.net"))) {
            ChatClient.Closed closed = evil.awaitClose();
            assertEquals(1008, closed.code());
            assertEquals("origin not allowed", closed.reason());
        }
        try (ChatClient ann = join("ann")) {
            ann.assertNothingPending(); // the refused connection never was in the room
        }
    }

    @Test
    void aPageFromTheHostTheSocketIsOnIsLetIn() {
        URI uri = uri();
        String origin = "http://" + uri.getHost() + ":" + uri.getPort();
        try (ChatClient ann = ChatClient.connect(uri, Map.of("Origin", origin))) {
            ann.send(joinFrame("ann"));
            assertEquals("ann", ann.next("welcome").getString("user"));
        }
    }

    @Test
    void connectionsBeyondTheLimitPerAddressAreToldToComeBackLaterAndClosedWith1013() {
        int limit = perAddressLimit();
        Assumptions.assumeTrue(limit > 0, "the limit per address of this server is not known");
        List<ChatClient> held = new ArrayList<>();
        try {
            // each connection answers a ping before the next opens, unless it was refused: then
            // what comes is the reconnect frame, or nothing before the close
            // (others may still be closing from earlier tests: the refusal may come a little early)
            ChatClient refused = null;
            List<JsonObject> beforeClose = new ArrayList<>();
            while (refused == null && held.size() <= limit) {
                ChatClient client = ChatClient.connect(uri());
                held.add(client);
                Optional<JsonObject> first = client.sendUnlessClosed("{\"type\":\"ping\"}")
                        ? client.nextUnlessClosed() : Optional.empty();
                if (first.isEmpty() || !"pong".equals(first.get().getString("type", null))) {
                    refused = client;
                    first.ifPresent(beforeClose::add);
                }
            }
            assertTrue(refused != null, "all " + held.size() + " connections from one address were let in");
            assertTrue(held.size() > limit / 2, "refused already at connection " + held.size());
            assertEquals(new ChatClient.Closed(1013, "try again later"), refused.awaitClose());
            beforeClose.addAll(refused.pending());
            RetryHint.lastBeforeClose(beforeClose, 5000, 10_000); // come back in 5 to 10 s
        } finally {
            held.forEach(ChatClient::close);
        }
    }
}
