package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.parley.store.Sanction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A room's mutes and bans: per user and kind, expired at their time, lifted, bounded. */
class SanctionsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T18:00:00Z");

    @Test
    void aSanctionHoldsUntilItsTimeAndOnlyForItsUserAndKind() {
        Sanctions sanctions = new Sanctions();
        sanctions.load(List.of(new Sanction("ada", Sanction.Kind.MUTE, NOW.plusSeconds(60)),
                new Sanction("bob", Sanction.Kind.BAN, Instant.MAX)));
        assertEquals(NOW.plusSeconds(60), sanctions.until("ada", Sanction.Kind.MUTE, NOW));
        assertNull(sanctions.until("ada", Sanction.Kind.BAN, NOW));
        assertNull(sanctions.until("adam", Sanction.Kind.MUTE, NOW));
        assertEquals(Instant.MAX, sanctions.until("bob", Sanction.Kind.BAN, NOW.plusSeconds(1_000_000_000)));
        assertNull(sanctions.until("ada", Sanction.Kind.MUTE, NOW.plusSeconds(60)), "over at its time");
        assertNull(sanctions.until("ada", Sanction.Kind.MUTE, NOW), "and gone once found over");
    }

    @Test
    void aSanctionIsReplacedAndLifted() {
        Sanctions sanctions = new Sanctions();
        sanctions.put("ada", Sanction.Kind.MUTE, NOW.plusSeconds(60));
        sanctions.put("ada", Sanction.Kind.MUTE, NOW.plusSeconds(600));
        assertEquals(NOW.plusSeconds(600), sanctions.until("ada", Sanction.Kind.MUTE, NOW));
        sanctions.put("ada", Sanction.Kind.MUTE, null);
        assertNull(sanctions.until("ada", Sanction.Kind.MUTE, NOW));
    }

    @Test
    void aRoomHoldsAtMostItsBoundOfSanctions() {
        Sanctions sanctions = new Sanctions();
        Instant later = Instant.now().plusSeconds(3600);
        for (int i = 0; i < Sanction.MAX_PER_ROOM + 10; i++) {
            sanctions.put("u" + i, Sanction.Kind.BAN, later);
        }
        assertEquals(later, sanctions.until("u0", Sanction.Kind.BAN, Instant.now()));
        assertNull(sanctions.until("u" + (Sanction.MAX_PER_ROOM + 5), Sanction.Kind.BAN, Instant.now()),
                "past the bound, a new one is not held here (the store keeps it, and refuses past its own bound)");
    }
}
