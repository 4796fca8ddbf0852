package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.Outbound;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A large room's coalesced presence: what one frame says after any run of changes. */
class PresenceBatchTest {
    private final PresenceBatch batch = new PresenceBatch();
    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

    @Test
    void namesThatCameAndWentAreListedSortedWithTheNewestCount() {
        assertFalse(batch.waiting());
        batch.joined("cy", 301);
        batch.joined("ann", 302);
        batch.left("bob", 301);
        assertTrue(batch.waiting());
        assertEquals(new Outbound.Presence("lobby", 301, List.of("ann", "cy"), List.of("bob"), 0, NOW),
                batch.take("lobby", NOW));
        assertFalse(batch.waiting(), "empty again");
    }

    @Test
    void aNameThatCameAndWentOrWentAndCameBackIsInNeitherList() {
        batch.joined("cy", 301);
        batch.left("cy", 300);
        batch.left("bob", 299);
        batch.joined("bob", 300);
        assertTrue(batch.waiting(), "the count is still news to say, or not: the room decides");
        assertEquals(new Outbound.Presence("lobby", 300, List.of(), List.of(), 0, NOW), batch.take("lobby", NOW));
    }

    @Test
    void pastFiftyNamesEachChangeIsOnlyCounted() {
        for (int i = 0; i < 120; i++) {
            batch.joined(String.format("u%03d", i), 300 + i);
        }
        batch.left("old", 419);
        batch.joined("u000", 419); // listed already: not twice, not counted
        Outbound.Presence frame = batch.take("lobby", NOW);
        assertEquals(PresenceBatch.LISTED, frame.joined().size());
        assertEquals("u000", frame.joined().get(0));
        assertEquals("u049", frame.joined().get(49), "the first fifty that came");
        assertEquals(List.of("old"), frame.left());
        assertEquals(70, frame.more());
        assertEquals(419, frame.count());
    }

    @Test
    void namesAreInCodePointOrderAsRedisSortsThem() {
        batch.joined("\uFB01x", 1);   // U+FB01: after every surrogate pair in UTF-16 order, before them by code point
        batch.joined("\uD83D\uDE00", 2); // U+1F600
        batch.joined("Zed", 3);
        assertEquals(List.of("Zed", "\uFB01x", "\uD83D\uDE00"), batch.take("lobby", NOW).joined());
    }
}
