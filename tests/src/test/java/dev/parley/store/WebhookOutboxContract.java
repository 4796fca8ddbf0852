package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.OutboundEncoder;
import dev.parley.support.Rooms;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The webhook events every store keeps once it records them (SERVER-API.md, "Webhooks"):
 * one per stored entry and per note, in the room's order, each room's oldest due first,
 * until delivered. Every store runs these through {@link HistoryStoreContract}.
 */
public abstract class WebhookOutboxContract extends RoomLogContract {
    private static final OutboundEncoder ENCODER = new OutboundEncoder();

    private static JsonObject json(WebhookOutbox.Event event) {
        return Json.createReader(new StringReader(event.body())).readObject();
    }

    /** The room's oldest due event, or null: the outbox may hold other tests' rooms. */
    private static WebhookOutbox.Event head(WebhookOutbox outbox, String room, Instant now) {
        return outbox.due(now, Set.of(), 10_000).stream().filter(e -> e.room().equals(room)).findFirst().orElse(null);
    }

    @Test
    void eachStoredEntryAndNoteWaitsAsAnEventInTheRoomsOrderUntilDelivered() throws Exception {
        HistoryStore store = open(0);
        store.recordWebhooks();
        WebhookOutbox outbox = store.webhooks();
        String room = Rooms.fresh();
        Instant now = Instant.now();
        store.note(room, ENCODER.encode(new Outbound.Joined(room, "ann", 1, now)));
        stored(store, room, Append.message("ann", "hello", "c1", 0, now));
        run(store, room, Append.message("ann", "hello", "c1", 0, now)); // a duplicate: no event
        run(store, room, Append.edit("bob", 1, "not bob's", null, now)); // refused: no event
        stored(store, room, Append.react("bob", 1, "👍", true, null, now));
        store.note(room, ENCODER.encode(new Outbound.Left(room, "ann", 1, now)));
        stored(store, room, Append.published("bot", "bye", "k", 0, now)); // after the note: it is in

        List<String> seen = new java.util.ArrayList<>();
        List<String> ids = new java.util.ArrayList<>();
        for (WebhookOutbox.Event event = head(outbox, room, Instant.now()); event != null;
             event = head(outbox, room, Instant.now())) {
            JsonObject json = json(event);
            seen.add(json.getString("type") + (json.containsKey("seq") ? " " + json.getInt("seq") : ""));
            ids.add(json.getString("id"));
            assertEquals(room, json.getString("room"));
            outbox.delivered(event);
        }
        assertEquals(List.of("joined", "message 1", "react 2", "left", "message 3"), seen);
        assertEquals(5, Set.copyOf(ids).size(), "every event its own id");
    }

    /** A message's event is its frame, byte for byte, after its own id, in one commit or several. */
    @Test
    void aPlainMessagesEventIsItsFrameAfterAnId() throws Exception {
        HistoryStore store = open(0);
        store.recordWebhooks();
        WebhookOutbox outbox = store.webhooks();
        String room = Rooms.fresh();
        Instant now = Instant.now();
        List<java.util.concurrent.CompletableFuture<ChatMessage>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) { // not waited for one by one: some share a commit
            sent.add(store.append(room, "ann", "quote \" back\\slash é " + i, now).toCompletableFuture());
        }
        List<String> expected = new java.util.ArrayList<>();
        for (var message : sent) {
            expected.add(ENCODER.encode(message.get(10, java.util.concurrent.TimeUnit.SECONDS)));
        }
        List<String> seen = new java.util.ArrayList<>();
        for (WebhookOutbox.Event event = head(outbox, room, Instant.now()); event != null;
             event = head(outbox, room, Instant.now())) {
            String id = json(event).getString("id");
            String prefix = "{\"id\":\"" + id + "\",";
            assertTrue(event.body().startsWith(prefix), event.body());
            seen.add("{" + event.body().substring(prefix.length()));
            outbox.delivered(event);
        }
        assertEquals(expected, seen);
    }

    @Test
    void aFailedEventWaitsForItsTimeAndHoldsBackItsRoomOnly() throws Exception {
        HistoryStore store = open(0);
        store.recordWebhooks();
        WebhookOutbox outbox = store.webhooks();
        String slow = Rooms.fresh();
        String other = Rooms.fresh();
        Instant now = Instant.now();
        stored(store, slow, Append.message("ann", "first", null, 0, now));
        stored(store, slow, Append.message("ann", "second", null, 0, now));
        stored(store, other, Append.message("bob", "elsewhere", null, 0, now));
        WebhookOutbox.Event first = head(outbox, slow, Instant.now());
        String id = json(first).getString("id");
        outbox.failed(first, Instant.now().plusSeconds(60));
        assertEquals(null, head(outbox, slow, Instant.now()), "not due before its time, nor the one after it");
        assertTrue(head(outbox, other, Instant.now()) != null, "another room goes on");
        assertTrue(outbox.due(Instant.now(), Set.of(other), 10_000).stream().noneMatch(e -> e.room().equals(other)),
                "a busy room's oldest is on its way");
        WebhookOutbox.Event again = head(outbox, slow, Instant.now().plusSeconds(61));
        assertEquals(id, json(again).getString("id"), "the same event, the same id");
        assertEquals(1, again.attempts());
        assertTrue(outbox.backlog().events() >= 3);
        outbox.delivered(again);
        assertEquals("second", json(head(outbox, slow, Instant.now())).getString("text"));
        assertNotEquals(0, outbox.backlog().bytes());
    }
}
