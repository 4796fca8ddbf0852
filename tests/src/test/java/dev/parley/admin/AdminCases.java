package dev.parley.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.Rooms;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admin API against any running Parley whose PARLEY_ADMIN_TOKEN is {@link #TOKEN}:
 * its token, this node's rooms, and moderation on a live chat.
 */
public abstract class AdminCases {
    public static final String TOKEN = "admin-token-for-the-suites-0123";

    protected abstract URI chatUri(String room);

    /** The application's own URL for {@code path} ("admin/api/rooms"). */
    protected abstract URI appUri(String path);

    private HttpResponse<String> get(String what, String token) {
        return token == null ? Http.get(appUri("admin/api/" + what))
                : Http.get(appUri("admin/api/" + what), "Authorization", "Bearer " + token);
    }

    private HttpResponse<String> post(String what, String body) {
        return Http.post(appUri("admin/api/" + what), body, "Authorization", "Bearer " + TOKEN);
    }

    private static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static String request(String room, String user) {
        var request = Json.createObjectBuilder().add("room", room);
        if (user != null) {
            request.add("user", user);
        }
        return request.build().toString();
    }

    /** The members this node's admin view lists for the room, or null if it lists no such room. */
    private List<String> membersListed(String room) {
        HttpResponse<String> rooms = get("rooms", TOKEN);
        assertEquals(200, rooms.statusCode(), rooms.body());
        return json(rooms).getJsonArray("rooms").getValuesAs(JsonObject.class).stream()
                .filter(r -> r.getString("name").equals(room)).findFirst()
                .map(r -> r.getJsonArray("members").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList())
                .orElse(null);
    }

    @Test
    void thePageIsServedWithTheWebClientsHeaders() {
        HttpResponse<String> page = Http.get(appUri("admin/"));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Parley admin</title>"), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertEquals(200, Http.get(appUri("admin/admin.js")).statusCode());
    }

    @Test
    void everyRequestNeedsTheToken() {
        assertEquals(401, get("rooms", null).statusCode());
        assertEquals(401, get("rooms", TOKEN + "x").statusCode());
        assertEquals(401, get("stats", "").statusCode());
        assertEquals(401, Http.post(appUri("admin/api/close-room"), request("lobby", null)).statusCode());
        assertEquals(200, get("rooms", TOKEN).statusCode());
    }

    /** The view names the history store in use, so that a memory store where a database was meant shows. */
    @Test
    void theRoomsNameTheStoreInUse() {
        String store = json(get("rooms", TOKEN)).getString("store");
        assertTrue(store.startsWith("jdbc, ") || store.equals("memory"), store);
    }

    @Test
    void theStatsCarryOneSampleASecond() {
        HttpResponse<String> answer = Http.awaitGet(appUri("admin/api/stats"), Duration.ofSeconds(5),
                r -> r.statusCode() == 200 && !json(r).getJsonArray("t").isEmpty(), "Authorization", "Bearer " + TOKEN);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonObject stats = json(answer);
        int samples = stats.getJsonArray("t").size();
        assertTrue(samples >= 1 && samples <= 900, samples + " samples");
        for (String series : List.of("connections", "messages", "deliveries", "p99")) {
            assertEquals(samples, stats.getJsonArray(series).size(), series);
        }
    }

    @Test
    void aDisconnectedMemberIsClosedWith1008AndTheOthersHearItLeft() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(chatUri(room), "ann");
             ChatClient bob = ChatClient.join(chatUri(room), "bob")) {
            ann.nextOf("joined");
            assertEquals(List.of("ann", "bob"), membersListed(room));

            HttpResponse<String> done = post("disconnect", request(room, "bob"));
            assertEquals(200, done.statusCode(), done.body());
            assertEquals("bob", json(done).getString("disconnected"));
            ChatClient.Closed closed = bob.awaitClose();
            assertEquals(new ChatClient.Closed(1008, "removed by an administrator"), closed);
            assertEquals("bob", ann.nextOf("left").getString("user"));
            assertEquals(List.of("ann"), membersListed(room));

            HttpResponse<String> nobody = post("disconnect", request(room, "bob"));
            assertEquals(404, nobody.statusCode(), nobody.body());
        }
    }

    @Test
    void aClosedRoomLosesItsMembersAndRefusesJoinsUntilItIsReopened() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(chatUri(room), "ann")) {
            ann.say("before", "b").awaitAck("b");
            HttpResponse<String> closed = post("close-room", request(room, null));
            assertEquals(200, closed.statusCode(), closed.body());
            assertEquals(new ChatClient.Closed(1008, "room closed"), ann.awaitClose());
        }
        assertTrue(json(get("rooms", TOKEN)).getJsonArray("closed").getValuesAs(JsonString.class).stream()
                .anyMatch(name -> name.getString().equals(room)), "listed as closed");
        try (ChatClient bob = ChatClient.connect(chatUri(room))) {
            bob.send(Json.createObjectBuilder().add("type", "join").add("user", "bob").build());
            assertTrue(bob.nextError("bad-room").getString("message").contains("closed"));
            assertEquals(new ChatClient.Closed(1008, "room closed"), bob.awaitClose());
        }

        assertEquals(200, post("reopen-room", request(room, null)).statusCode());
        try (ChatClient cyd = ChatClient.connect(chatUri(room))) {
            cyd.send(Json.createObjectBuilder().add("type", "join").add("user", "cyd").build());
            JsonObject welcome = cyd.next("welcome");
            assertEquals("before", welcome.getJsonArray("history").getJsonObject(0).getString("text"), "history kept");
        }
        assertFalse(json(get("rooms", TOKEN)).getJsonArray("closed").getValuesAs(JsonString.class).stream()
                .anyMatch(name -> name.getString().equals(room)), "no longer closed");
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() {
        assertEquals(400, post("disconnect", "{not json").statusCode());
        assertEquals(400, post("disconnect", "[1,2]").statusCode());
        assertEquals(400, post("disconnect", request("Not A Room", "bob")).statusCode());
        assertEquals(400, post("disconnect", "{\"room\":\"lobby\",\"user\":7}").statusCode());
        assertEquals(400, post("close-room", "").statusCode());
        assertEquals(405, get("disconnect", TOKEN).statusCode());
        assertEquals(405, post("rooms", "{}").statusCode());
        assertEquals(404, get("nothing-here", TOKEN).statusCode());
        HttpResponse<String> big = post("close-room", "{\"room\":\"" + "a".repeat(70_000) + "\"}");
        assertTrue(big.statusCode() == 400 || big.statusCode() == 413, big.statusCode() + " for a body beyond the limit");
    }
}
