package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.OpenApi;
import dev.parley.support.Poll;
import dev.parley.support.Rooms;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The server API (SERVER-API.md and docs/SERVER-API.md's additions), one case a rule,
 * against any running Parley whose PARLEY_API_KEY is {@link #KEY}: every answer is held to
 * what the rule says and to docs/openapi.yaml. Members are real WebSocket clients.
 */
public abstract class ApiCases {
    public static final String KEY = "api-key-for-the-suites-0123456789abcdef";

    /** The chat's URL for {@code room}. */
    protected abstract URI chatUri(String room);

    /** The application's own URL for {@code path} ("api/v1/rooms"). */
    protected abstract URI appUri(String path);

    protected final String room = Rooms.fresh();

    protected HttpResponse<String> call(String method, String path, String body, String... headers) {
        return call(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * Sends a request (with the key, unless {@code headers} say otherwise) and holds the
     * exchange to docs/openapi.yaml, where the document has the path.
     */
    protected HttpResponse<String> call(String method, String path, byte[] body, String... headers) {
        String[] all = headers.length > 0 ? headers : new String[] {"Authorization", "Bearer " + KEY};
        URI uri = appUri("api/v1" + path);
        HttpResponse<String> response = Http.send(method, uri, body, all);
        if (OpenApi.describes(uri)) {
            OpenApi.check(method, uri, body == null ? null : new String(body, StandardCharsets.UTF_8), response);
        }
        return response;
    }

    private HttpResponse<String> get(String path) {
        return call("GET", path, (String) null);
    }

    private HttpResponse<String> publish(String room, Consumer<JsonObjectBuilder> body) {
        JsonObjectBuilder json = Json.createObjectBuilder();
        body.accept(json);
        return call("POST", "/rooms/" + room + "/messages", json.build().toString());
    }

    private HttpResponse<String> publish(String user, String text) {
        return publish(room, b -> b.add("user", user).add("text", text));
    }

    protected static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** The answer has this status and, for an error, this code. */
    protected static void assertAnswer(int status, String code, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response::body);
        if (code != null) {
            assertEquals(code, json(response).getString("code"), response::body);
            assertFalse(json(response).getString("message").isBlank());
        }
        if (status != 204) {
            String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase().replace(" ", "");
            assertEquals("application/json;charset=utf-8", type);
        }
    }

    private ChatClient member(String user) {
        return ChatClient.join(chatUri(room), user);
    }

    // ---- the key ----

    @Test
    void everyRequestNeedsTheKeyAndItIsCheckedBeforeAnythingElse() {
        for (String[] wrong : List.of(new String[] {"X-Nothing", "1"}, new String[] {"Authorization", "Bearer " + KEY + "x"},
                new String[] {"Authorization", "Bearer " + KEY.substring(1)}, new String[] {"Authorization", "Basic " + KEY},
                new String[] {"Authorization", KEY})) {
            HttpResponse<String> refused = call("GET", "/rooms", (String) null, wrong);
            assertAnswer(401, "unauthorized", refused);
            assertEquals("Bearer", refused.headers().firstValue("WWW-Authenticate").orElse(""));
        }
        String[] wrong = {"Authorization", "Bearer not-the-key-0123456789abcdef-0123456789"};
        assertAnswer(401, "unauthorized", call("GET", "/no/such/thing", (String) null, wrong));
        assertAnswer(401, "unauthorized", call("POST", "/rooms/BAD!/messages", "{", wrong));
        assertAnswer(401, "unauthorized", call("POST", "/rooms/" + room + "/messages", new byte[70 * 1024], wrong));
        assertAnswer(200, null, get("/rooms"));
        assertAnswer(200, null, call("GET", "/rooms", (String) null, "Authorization", "bearer " + KEY));
    }

    // ---- publishing ----

    @Test
    void aPublishedMessageTakesTheRoomsNextSeqAndReachesItAsIfTheUserSentIt() {
        try (ChatClient ada = member("ada")) {
            long before = ada.say("first").nextOf("message").getJsonNumber("seq").longValue();
            HttpResponse<String> published = publish("deploy-bot", "Deploy finished");
            assertAnswer(201, null, published);
            long seq = json(published).getJsonNumber("seq").longValue();
            assertEquals(before + 1, seq);
            JsonObject message = ada.nextOf("message");
            assertEquals(seq, message.getJsonNumber("seq").longValue());
            assertEquals("deploy-bot", message.getString("user"));
            assertEquals("Deploy finished", message.getString("text"));
            assertEquals(json(published).getString("ts"), message.getString("ts"));
            assertEquals(seq + 1, ada.say("after").nextOf("message").getJsonNumber("seq").longValue());
        }
        try (ChatClient late = ChatClient.connect(chatUri(room))) {
            late.send(Json.createObjectBuilder().add("type", "join").add("user", "bob").add("since", 1).build());
            assertEquals(List.of("deploy-bot: Deploy finished", "ada: after"), late.next("welcome")
                    .getJsonArray("history").getValuesAs(JsonObject.class).stream()
                    .map(m -> m.getString("user") + ": " + m.getString("text")).toList(), "recovered like any message");
        }
    }

    @Test
    void theSameIdempotencyKeyInTheRoomPublishesOnceAndAnswers200WithTheFirst() {
        try (ChatClient ada = member("ada")) {
            HttpResponse<String> first = publish(room, b -> b.add("user", "bot").add("text", "once").add("idempotency_key", "k-1"));
            assertAnswer(201, null, first);
            HttpResponse<String> again = publish(room, b -> b.add("user", "other").add("text", "different")
                    .add("idempotency_key", "k-1"));
            assertAnswer(200, null, again);
            assertEquals(json(first), json(again), "the first message's seq and ts");
            assertEquals(201, publish(Rooms.fresh(), b -> b.add("user", "bot").add("text", "once")
                    .add("idempotency_key", "k-1")).statusCode(), "another room");
            assertEquals("once", ada.nextOf("message").getString("text"));
            publish("bot", "marker");
            assertEquals("marker", ada.nextOf("message").getString("text"), "the repeat reached nobody");
        }
    }

    @Test
    void aPublishedReplyCarriesReplyToAndMustNameAMessage() {
        long seq = json(publish("ada", "question")).getJsonNumber("seq").longValue();
        HttpResponse<String> reply = publish(room, b -> b.add("user", "bot").add("text", "answer").add("reply_to", seq));
        assertAnswer(201, null, reply);
        JsonObject stored = json(get("/rooms/" + room + "/messages")).getJsonArray("messages").getJsonObject(1);
        assertEquals(seq, stored.getJsonNumber("reply_to").longValue());
        assertAnswer(404, "no-such-message", publish(room, b -> b.add("user", "bot").add("text", "x").add("reply_to", 999)));
        assertAnswer(404, "no-such-message", publish(room, b -> b.add("user", "bot").add("text", "x").add("reply_to", 0)));
    }

    @Test
    void aPublishIsCheckedByTheWiresRules() {
        assertAnswer(400, "bad-room", publish("Not-A-Room", b -> b.add("user", "bot").add("text", "x")));
        assertAnswer(400, "bad-name", publish(room, b -> b.add("text", "x")));
        assertAnswer(400, "bad-name", publish(room, b -> b.add("user", "   ").add("text", "x")));
        assertAnswer(400, "bad-name", publish(room, b -> b.add("user", "a\u0007b").add("text", "x")));
        assertAnswer(400, "bad-text", publish(room, b -> b.add("user", "bot")));
        assertAnswer(400, "bad-text", publish(room, b -> b.add("user", "bot").add("text", " \n ")));
        assertAnswer(400, "too-long", publish(room, b -> b.add("user", "bot").add("text", "x".repeat(4001))));
        assertAnswer(400, "bad-json", publish(room, b -> b.add("user", "bot").add("text", 5)));
        assertAnswer(400, "bad-json", publish(room, b -> b.add("user", 5).add("text", "x")));
        assertAnswer(400, "bad-json", publish(room, b -> b.add("user", "bot").add("text", "x").add("reply_to", "1")));
        assertAnswer(400, "bad-json", publish(room, b -> b.add("user", "bot").add("text", "x")
                .add("idempotency_key", "k".repeat(65))));
        assertAnswer(400, "bad-json", publish(room, b -> b.add("user", "bot").add("text", "x").add("idempotency_key", "")));
        String path = "/rooms/" + room + "/messages";
        for (String body : List.of("", "not json", "[1]", "{\"user\":", "\"text\"", "[".repeat(20_000))) {
            assertAnswer(400, "bad-json", call("POST", path, body));
        }
        assertAnswer(400, "bad-json", call("POST", path, new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}));
        assertAnswer(413, "too-big", call("POST", path, "{\"user\":\"bot\",\"text\":\"" + "x".repeat(64 * 1024) + "\"}"));
        assertAnswer(201, null, publish(room, b -> b.add("user", "  bot ").add("text", "fine").add("unknown", true)
                .addNull("reply_to").addNull("idempotency_key")));
        assertEquals(List.of("bot: fine"), json(get("/rooms/" + room + "/messages")).getJsonArray("messages")
                .getValuesAs(JsonObject.class).stream().map(m -> m.getString("user") + ": " + m.getString("text")).toList(),
                "only the valid one was stored, its name trimmed");
    }

    // ---- reading ----

    @Test
    void historyAnswersExactlyTheFramesAHistoryReplyHolds() {
        try (ChatClient ada = member("ada")) {
            for (int i = 1; i <= 5; i++) {
                publish("bot", "m" + i);
            }
            ada.send(Json.createObjectBuilder().add("type", "react").add("ref", 2).add("emoji", "👍").add("on", true)
                    .add("cid", "r1").build());
            ada.awaitAck("r1");
            ada.send(Json.createObjectBuilder().add("type", "history").add("before", 7).add("limit", 5).build());
            JsonObject history = ada.nextOf("history");
            HttpResponse<String> answer = get("/rooms/" + room + "/messages?before=7&limit=5");
            assertAnswer(200, null, answer);
            assertEquals(room, json(answer).getString("room"));
            assertEquals(history.getJsonArray("messages"), json(answer).getJsonArray("messages"));
            assertEquals(6, json(get("/rooms/" + room + "/messages")).getJsonArray("messages").size(),
                    "five messages and the reaction, newest 50 by default");
        }
        String path = "/rooms/" + room + "/messages?";
        for (String query : List.of("limit=0", "limit=101", "limit=x", "before=-1", "before=1.5", "limit=%25")) {
            assertAnswer(400, "bad-json", get(path + query));
        }
        assertEquals(List.of(), json(get("/rooms/" + Rooms.fresh() + "/messages")).getJsonArray("messages"));
        assertAnswer(400, "bad-room", get("/rooms/-x/messages"));
    }

    @Test
    void membersAreTheRoomsUsersSortedWithTheirCount() {
        assertEquals(Json.createObjectBuilder().add("room", room).add("users", JsonValue.EMPTY_JSON_ARRAY).add("count", 0)
                .build(), json(get("/rooms/" + room + "/members")));
        try (ChatClient bob = member("bob"); ChatClient ada = member("ada")) {
            HttpResponse<String> members = get("/rooms/" + room + "/members");
            assertAnswer(200, null, members);
            assertEquals(Json.createObjectBuilder().add("room", room).add("users", Json.createArrayBuilder().add("ada")
                    .add("bob")).add("count", 2).build(), json(members));
        }
    }

    @Test
    void roomsAreThoseWithMembersOrHistorySortedByNameWithCountAndLast() {
        String prefix = Rooms.fresh();
        String talked = prefix + "-a";
        String occupied = prefix + "-b";
        publish(talked, b -> b.add("user", "bot").add("text", "one"));
        publish(talked, b -> b.add("user", "bot").add("text", "two"));
        try (ChatClient ada = ChatClient.join(chatUri(occupied), "ada")) {
            HttpResponse<String> rooms = get("/rooms?after=" + prefix);
            assertAnswer(200, null, rooms);
            List<JsonObject> listed = json(rooms).getJsonArray("rooms").getValuesAs(JsonObject.class);
            assertEquals(List.of(Json.createObjectBuilder().add("room", talked).add("count", 0).add("last", 2).build(),
                    Json.createObjectBuilder().add("room", occupied).add("count", 1).add("last", 0).build()),
                    listed.subList(0, 2));
            List<String> names = listed.stream().map(r -> r.getString("room")).toList();
            assertEquals(names.stream().sorted().toList(), names, "sorted by name");
        }
    }

    // ---- removing ----

    @Test
    void deletingAMessageSendsTheRoomADeleteByApi() {
        try (ChatClient ada = member("ada")) {
            long seq = ada.say("regrettable").nextOf("message").getJsonNumber("seq").longValue();
            assertAnswer(204, null, call("DELETE", "/rooms/" + room + "/messages/" + seq, (String) null));
            JsonObject delete = ada.nextOf("delete");
            assertEquals(seq, delete.getJsonNumber("ref").longValue());
            assertEquals("api", delete.getString("user"));
            assertAnswer(404, "no-such-message", call("DELETE", "/rooms/" + room + "/messages/" + seq, (String) null));
            assertAnswer(404, "no-such-message", call("DELETE", "/rooms/" + room + "/messages/999", (String) null));
            assertAnswer(404, "not-found", call("DELETE", "/rooms/" + room + "/messages/abc", (String) null));
            assertAnswer(404, "not-found", call("DELETE", "/rooms/" + room + "/messages/0", (String) null));
            assertTrue(json(get("/rooms/" + room + "/messages")).getJsonArray("messages").getJsonObject(0)
                    .getBoolean("deleted"));
        }
    }

    @Test
    void disconnectClosesTheUsersConnectionsWith1008AndTheRoomHearsLeft() {
        try (ChatClient bob = member("bob"); ChatClient ada = member("ada lovelace")) {
            bob.nextOf("joined");
            assertAnswer(204, null, call("POST", "/rooms/" + room + "/members/"
                    + URLEncoder.encode("ada lovelace", StandardCharsets.UTF_8).replace("+", "%20") + "/disconnect",
                    (String) null));
            assertEquals(new ChatClient.Closed(1008, "removed by an administrator"), ada.awaitClose());
            assertEquals("ada lovelace", bob.nextOf("left").getString("user"));
            assertAnswer(404, "not-found", call("POST", "/rooms/" + room + "/members/ada%20lovelace/disconnect",
                    (String) null));
            assertAnswer(400, "bad-name", call("POST", "/rooms/" + room + "/members/%20/disconnect", (String) null));
            // not UTF-8: Payara's and GlassFish's Grizzly refuse the path with a bare 400 before Parley sees it
            assertEquals(400, Http.send("POST", appUri("api/v1/rooms/" + room + "/members/%FF/disconnect"), null,
                    "Authorization", "Bearer " + KEY).statusCode());
        }
    }

    @Test
    void aBanClosesTheUsersConnectionsRefusesItsJoinsAndIsListedUntilLifted() {
        try (ChatClient ada = member("ada")) {
            HttpResponse<String> banned = call("POST", "/rooms/" + room + "/bans", "{\"user\":\"ada\"}");
            assertAnswer(201, null, banned);
            assertEquals(Json.createObjectBuilder().add("room", room).add("user", "ada").addNull("until").build(),
                    json(banned));
            assertEquals("forbidden", ada.nextOf("error").getString("code"));
            assertEquals(new ChatClient.Closed(1008, "banned"), ada.awaitClose());
        }
        try (ChatClient again = ChatClient.connect(chatUri(room))) {
            again.send(Json.createObjectBuilder().add("type", "join").add("user", "ada").build());
            assertEquals("forbidden", again.nextOf("error").getString("code"));
        }
        assertEquals(List.of("ada"), json(get("/rooms/" + room + "/bans")).getJsonArray("bans")
                .getValuesAs(JsonObject.class).stream().map(b -> b.getString("user")).toList());
        assertAnswer(204, null, call("DELETE", "/rooms/" + room + "/bans/ada", (String) null));
        assertEquals(0, json(get("/rooms/" + room + "/bans")).getJsonArray("bans").size());
        // in a cluster the members' node lifts it when the broker brings the news: a join may be early
        try (ChatClient back = Poll.until(this::joinOrNull, client -> client != null, Duration.ofSeconds(10))) {
            assertTrue(back != null, "ada may join again");
            assertEquals("back", back.say("back").nextOf("message").getString("text"));
        }
        HttpResponse<String> timed = call("POST", "/rooms/" + room + "/bans", "{\"user\":\"bob\",\"seconds\":60}");
        assertAnswer(201, null, timed);
        Instant until = Instant.parse(json(timed).getString("until"));
        assertTrue(Duration.between(Instant.now(), until).getSeconds() > 30, until::toString);
        assertAnswer(400, "bad-json", call("POST", "/rooms/" + room + "/bans", "{\"user\":\"bob\",\"seconds\":0}"));
        assertAnswer(400, "bad-json", call("POST", "/rooms/" + room + "/bans", "{\"user\":\"bob\",\"seconds\":\"60\"}"));
        assertAnswer(400, "bad-name", call("POST", "/rooms/" + room + "/bans", "{\"seconds\":60}"));
    }

    /** ada in the room, or null (closed) if the join was refused. */
    private ChatClient joinOrNull() {
        ChatClient client = ChatClient.connect(chatUri(room));
        client.send(Json.createObjectBuilder().add("type", "join").add("user", "ada").build());
        JsonObject answer = client.next();
        if (answer.getString("type").equals("welcome")) {
            return client;
        }
        client.close();
        return null;
    }

    // ---- paths and methods ----

    @Test
    void aPathThatNamesNothingIs404AndAMethodItDoesNotTake405WithAllow() {
        for (String path : List.of("", "/", "/nothing", "/rooms/" + room, "/rooms/" + room + "/other",
                "/rooms/" + room + "/messages/1/more", "/rooms/" + room + "/members/ada")) {
            assertAnswer(404, "not-found", get(path));
        }
        HttpResponse<String> put = call("PUT", "/rooms", "{}");
        assertAnswer(405, "not-found", put);
        assertEquals("GET", put.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> get = get("/rooms/" + room + "/messages/1");
        assertAnswer(405, "not-found", get);
        assertEquals("DELETE", get.headers().firstValue("Allow").orElse(""));
        assertEquals("GET, POST", call("PATCH", "/rooms/" + room + "/messages", "{}").headers().firstValue("Allow")
                .orElse(""));
    }
}
