package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A room above PARLEY_PRESENCE_LIMIT (docs/PROTOCOL.md, "Large rooms"): coalesced
 * {@code presence}, a welcome with a page of names, {@code members} for the rest; and
 * version 1's frames again once it is small.
 */
class LargeRoomTest {
    private final ChatFixture chat = new ChatFixture(Map.of("PARLEY_PRESENCE_LIMIT", "2"));

    @AfterEach
    void stop() {
        chat.close();
    }

    private static JsonObject json(String frame) {
        return Json.createReader(new StringReader(frame)).readObject();
    }

    private static List<String> names(JsonObject frame, String member) {
        List<String> names = new ArrayList<>();
        frame.getJsonArray(member).forEach(v -> names.add(((JsonString) v).getString()));
        return names;
    }

    @Test
    void aboveTheLimitPresenceIsOneFrameASecondAndBelowItVersionOnesFramesAgain() throws Exception {
        ChatFixture.Client ann = chat.member("lobby", "ann");
        chat.member("lobby", "bob");
        assertTrue(ann.peer().next().startsWith("{\"type\":\"joined\",\"room\":\"lobby\",\"user\":\"bob\",\"count\":2"));

        JsonObject cyWelcome = json(chat.open("lobby").join("cy"));
        assertEquals(List.of("ann", "bob", "cy"), names(cyWelcome, "users"));
        assertEquals(3, cyWelcome.getInt("count"), "a large room's welcome says its count");
        assertFalse(cyWelcome.getBoolean("users_more"));
        JsonObject first = json(ann.peer().next());
        assertEquals("presence", first.getString("type"), "the first change goes out at once");
        assertEquals(3, first.getInt("count"));
        assertEquals(List.of("cy"), names(first, "joined"));
        assertEquals(List.of(), names(first, "left"));
        assertEquals(0, first.getInt("more"));

        ChatFixture.Client dan = chat.member("lobby", "dan");
        chat.member("lobby", "eve");
        dan.connection().closed(null); // came and went within the second
        long sent = System.nanoTime();
        JsonObject second = json(ann.peer().next());
        long waited = (System.nanoTime() - sent) / 1_000_000;
        assertEquals("presence", second.getString("type"), "no joined or left in a large room");
        assertEquals(List.of("eve"), names(second, "joined"));
        assertEquals(List.of(), names(second, "left"), "dan came and went: in neither list");
        assertEquals(4, second.getInt("count"));
        assertTrue(waited >= Room.PRESENCE_INTERVAL_MILLIS / 2, "coalesced for about a second, not " + waited + " ms");

        // eve goes while the room is large (coalesced), then cy takes it to the limit: what waits goes first
        chat.registry.active("lobby").connections("eve").get(0).closed(null);
        chat.registry.active("lobby").connections("cy").get(0).closed(null);
        JsonObject third = json(ann.peer().next());
        assertEquals("presence", third.getString("type"));
        assertEquals(List.of("eve"), names(third, "left"));
        assertEquals(3, third.getInt("count"));
        assertTrue(ann.peer().next().startsWith("{\"type\":\"left\",\"room\":\"lobby\",\"user\":\"cy\",\"count\":2"),
                "at the limit, version 1's left");
    }

    @Test
    void aLargeRoomsWelcomeNamesTheFirstHundredAndMembersPagesTheRest() throws Exception {
        for (int i = 0; i < 150; i++) {
            chat.member("lobby", String.format("u%03d", i));
        }
        ChatFixture.Client zed = chat.open("lobby");
        JsonObject welcome = json(zed.join("zed"));
        List<String> page = names(welcome, "users");
        assertEquals(100, page.size());
        assertEquals("u000", page.get(0));
        assertEquals("u099", page.get(99));
        assertEquals(151, welcome.getInt("count"));
        assertTrue(welcome.getBoolean("users_more"));

        zed.send("{\"type\":\"members\",\"after\":\"u099\",\"limit\":500}");
        JsonObject rest = json(zed.peer().nextBut("presence"));
        assertEquals("members", rest.getString("type"));
        assertEquals("lobby", rest.getString("room"));
        List<String> tail = names(rest, "users");
        assertEquals(51, tail.size());
        assertEquals("u100", tail.get(0));
        assertEquals("zed", tail.get(50));
        assertEquals(151, rest.getInt("count"));
        assertFalse(rest.getBoolean("more"));

        zed.send("{\"type\":\"members\",\"limit\":2}");
        JsonObject head = json(zed.peer().nextBut("presence"));
        assertEquals(List.of("u000", "u001"), names(head, "users"));
        assertTrue(head.getBoolean("more"));

        zed.send("{\"type\":\"members\",\"after\":\"u0995\",\"limit\":1}");
        assertEquals(List.of("u100"), names(json(zed.peer().nextBut("presence")), "users"), "after need not be a name");

        zed.send("{\"type\":\"members\",\"limit\":501}");
        assertTrue(zed.peer().nextBut("presence").startsWith("{\"type\":\"error\",\"code\":\"bad-json\""));
        zed.send("{\"type\":\"members\",\"after\":5}");
        assertTrue(zed.peer().nextBut("presence").startsWith("{\"type\":\"error\",\"code\":\"bad-json\""));
    }
}
