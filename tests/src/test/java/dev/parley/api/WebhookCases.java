package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.OpenApi;
import dev.parley.support.Rooms;
import dev.parley.support.WebhookReceiver;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks (SERVER-API.md), against any running Parley whose PARLEY_WEBHOOK_URL is
 * {@link #receiver()}'s and PARLEY_WEBHOOK_SECRET is {@link #SECRET}: every event signed,
 * in the room's order, with the wire frame's members and an id of its own; a receiver that
 * fails gets the same event again and the room waits for it. Each case has a room of its
 * own, and reads only that room's events.
 */
public abstract class WebhookCases {
    public static final String SECRET = "webhook-secret-for-the-suites-0123456789";

    protected abstract URI chatUri(String room);

    /** The application's own URL for {@code path} ("api/v1/rooms"). */
    protected abstract URI appUri(String path);

    protected abstract WebhookReceiver receiver();

    protected final String room = Rooms.fresh();

    private static JsonObject withoutId(JsonObject event) {
        JsonObjectBuilder copy = Json.createObjectBuilder(event);
        copy.remove("id");
        return copy.build();
    }

    @BeforeEach
    void answerEveryEvent() {
        receiver().answer(event -> WebhookReceiver.Answer.OK);
    }

    @Test
    void everyEventOfTheRoomArrivesSignedInOrderWithTheWireFramesMembersAndAnIdOfItsOwn() {
        JsonObject message;
        JsonObject edit;
        JsonObject react;
        JsonObject delete;
        String published;
        try (ChatClient ada = ChatClient.join(chatUri(room), "ada")) {
            try (ChatClient bob = ChatClient.join(chatUri(room), "bob")) {
                ada.nextOf("joined");
                message = bob.say("hello", "m1").nextOf("message");
                ada.send(Json.createObjectBuilder().add("type", "react").add("ref", 1).add("emoji", "👍").add("on", true)
                        .add("cid", "r1").build());
                react = ada.nextOf("react");
                bob.send(Json.createObjectBuilder().add("type", "edit").add("ref", 1).add("text", "hello!")
                        .add("cid", "e1").build());
                edit = bob.nextOf("edit");
            }
            ada.nextOf("left");
            assertEquals(204, Http.send("DELETE", appUri("api/v1/rooms/" + room + "/messages/1"), null,
                    "Authorization", "Bearer " + ApiCases.KEY).statusCode());
            delete = ada.nextOf("delete");
            published = Http.send("POST", appUri("api/v1/rooms/" + room + "/messages"),
                    "{\"user\":\"bot\",\"text\":\"from the app\"}".getBytes(StandardCharsets.UTF_8),
                    "Authorization", "Bearer " + ApiCases.KEY).body();
            assertEquals("from the app", ada.nextOf("message").getString("text"));
        }

        List<WebhookReceiver.Delivery> events = receiver().delivered(room, 9, Duration.ofSeconds(60));
        assertEquals(List.of("joined ada", "joined bob", "message bob", "react ada", "edit bob", "left bob",
                "delete api", "message bot", "left ada"),
                events.stream().map(e -> e.type() + " " + e.event().getString("user")).toList());
        Set<String> ids = new HashSet<>();
        for (WebhookReceiver.Delivery event : events) {
            assertTrue(event.signed(), () -> "signature " + event.signature() + " of " + event.body());
            OpenApi.checkWebhookEvent(event.body());
            assertTrue(ids.add(event.id()), "ids are unique");
            assertEquals(room, event.room());
            assertTrue(Duration.between(Instant.parse(event.event().getString("ts")), Instant.now()).abs()
                    .compareTo(Duration.ofMinutes(5)) < 0);
        }
        assertEquals(withoutId(events.get(2).event()), message, "a message event is the message frame and its id");
        assertEquals(withoutId(events.get(3).event()), react);
        assertEquals(withoutId(events.get(4).event()), edit);
        assertEquals(withoutId(events.get(6).event()), delete);
        assertEquals(1, events.get(0).event().getInt("count"), "ada was the first");
        assertEquals(2, events.get(1).event().getInt("count"));
        assertEquals(1, events.get(5).event().getInt("count"), "bob left one behind");
        assertEquals(Json.createReader(new java.io.StringReader(published)).readObject().getInt("seq"),
                events.get(7).event().getInt("seq"), "the API's message, with the seq its answer gave");
        assertEquals(0, events.get(8).event().getInt("count"));
    }

    @Test
    void anEventTheReceiverRefusesComesAgainWithItsIdAndTheRoomWaitsForIt() {
        Set<String> refused = new HashSet<>();
        receiver().answer(event -> event.getString("room").equals(room) && event.containsKey("text")
                && event.getString("text").equals("first") && refused.add(event.getString("id"))
                ? WebhookReceiver.Answer.status(500) : WebhookReceiver.Answer.OK);
        try (ChatClient ada = ChatClient.join(chatUri(room), "ada")) {
            ada.say("first", "c1").awaitAck("c1");
            ada.say("second", "c2").awaitAck("c2");
        }
        WebhookReceiver.Delivery joined = receiver().next(room);
        assertEquals("joined", joined.type());
        WebhookReceiver.Delivery first = receiver().next(room);
        assertEquals(500, first.answered());
        WebhookReceiver.Delivery again = receiver().next(room);
        assertEquals(first.id(), again.id(), "the same event again, before the one after it");
        assertEquals(first.body(), again.body());
        assertEquals(204, again.answered());
        assertEquals("second", receiver().next(room).event().getString("text"));
    }
}
