package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The memory store's webhook backlog keeps the oldest and counts what it could not keep. */
class MemoryWebhooksTest {

    @Test
    void aFullRoomKeepsItsOldestEventsAndCountsTheOthersDropped() {
        MemoryWebhooks outbox = new MemoryWebhooks();
        Instant now = Instant.now();
        for (int i = 0; i < WebhookOutbox.MAX_ROOM_EVENTS + 5; i++) {
            outbox.add("busy", "{\"n\":" + i + "}", now);
        }
        outbox.add("quiet", "{\"n\":0}", now);
        assertEquals(5, outbox.dropped());
        assertEquals(WebhookOutbox.MAX_ROOM_EVENTS + 1, outbox.backlog().events());
        assertEquals("{\"n\":0}", outbox.due(now, Set.of("quiet"), 10).get(0).body(), "the oldest is kept, and goes first");
        assertEquals(Long.valueOf(WebhookOutbox.MAX_ROOM_EVENTS), outbox.backlog().rooms().get("busy"));
    }

    @Test
    void theBacklogInAllIsBoundedToo() {
        MemoryWebhooks outbox = new MemoryWebhooks();
        Instant now = Instant.now();
        for (int room = 0; room < WebhookOutbox.MAX_EVENTS / 1000 + 1; room++) {
            for (int i = 0; i < 1000; i++) {
                outbox.add("r" + room, "{}", now);
            }
        }
        assertEquals(WebhookOutbox.MAX_EVENTS, outbox.backlog().events());
        assertEquals(1000, outbox.dropped());
    }
}
