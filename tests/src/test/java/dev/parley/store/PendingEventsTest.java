package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the sending node knows of the waiting webhook events: heads by due time, gaps, late rows, counts. */
class PendingEventsTest {
    private static final long GAP_MILLIS = 30_000;

    private final PendingEvents pending = new PendingEvents(GAP_MILLIS, 4);

    private static PendingEvents.Row row(long id, String room) {
        return new PendingEvents.Row(id, room, 10, 0, 1000 + id, 1000 + id);
    }

    private List<Long> due(long now, Set<String> busy, int max) {
        return pending.due(now, busy, max).stream().map(PendingEvents.Row::id).toList();
    }

    @Test
    void eachRoomsOldestIsDueOnceItsTimeComesSoonestFirstBusyRoomsLeftOut() {
        pending.add(row(1, "a"), 0);
        pending.add(row(2, "b"), 0);
        pending.add(row(3, "a"), 0);
        pending.add(row(4, "c"), 0);
        assertEquals(List.of(), due(1000, Set.of(), 10), "nothing due before its time");
        assertEquals(List.of(1L, 2L), due(1002, Set.of(), 10));
        assertEquals(List.of(1L, 2L, 4L), due(2000, Set.of(), 10), "one a room: 3 waits for 1");
        assertEquals(List.of(2L, 4L), due(2000, Set.of("a"), 10));
        assertEquals(List.of(1L), due(2000, Set.of(), 1));
        assertEquals(List.of(1L, 2L, 4L), due(2000, Set.of(), 10), "due hands nothing out: asked again, the same");

        pending.remove("a", 1);
        assertEquals(List.of(2L, 3L, 4L), due(2000, Set.of(), 10));
        assertEquals(3, pending.events());
        assertEquals(30, pending.bytes());
        assertEquals(Map.of("a", 1L, "b", 1L, "c", 1L), pending.rooms());
        pending.remove("a", 3);
        pending.remove("b", 2);
        pending.remove("b", 2); // again: nothing
        assertEquals(Map.of("c", 1L), pending.rooms());
        assertEquals(1, pending.events());
    }

    @Test
    void aFailedHeadWaitsForItsTimeWithOneAttemptMoreAndHoldsItsRoomOnly() {
        pending.add(row(1, "a"), 0);
        pending.add(row(2, "a"), 0);
        pending.add(row(3, "b"), 0);
        pending.failed("a", 1, 5000);
        pending.failed("a", 2, 9000); // not the head: nothing
        assertEquals(List.of(3L), due(4999, Set.of(), 10));
        List<PendingEvents.Row> due = pending.due(5000, Set.of(), 10);
        assertEquals(List.of(3L, 1L), due.stream().map(PendingEvents.Row::id).toList(), "soonest due first");
        assertEquals(1, due.get(1).attempts());
        assertEquals(5000, due.get(1).nextAt());
    }

    @Test
    void idsSkippedOverAreReadAgainUntilTheyFillOrTheirTimePasses() {
        pending.add(row(1, "a"), 0);
        pending.add(row(2, "a"), 0);
        pending.add(row(6, "a"), 0); // 3..5 not committed yet
        assertEquals(List.of(new PendingEvents.Gap(3, 5, GAP_MILLIS)), pending.gaps(0));
        assertEquals(6, pending.highest());

        pending.add(row(4, "a"), 10); // a late one: in its place in the room
        pending.add(row(4, "a"), 10); // read again: known
        pending.add(row(6, "a"), 10); // read again: known
        assertEquals(List.of(new PendingEvents.Gap(3, 3, GAP_MILLIS), new PendingEvents.Gap(5, 5, GAP_MILLIS)),
                pending.gaps(10));
        assertEquals(4, pending.events());
        for (long id : List.of(1L, 2L, 4L, 6L)) {
            assertEquals(List.of(id), due(10_000, Set.of(), 10));
            pending.remove("a", id);
        }
        assertEquals(List.of(), pending.gaps(GAP_MILLIS + 1), "forgotten once their time passed");
    }

    @Test
    void aLateRowThatIsARoomsOldestBecomesItsHead() {
        pending.add(row(1, "b"), 0);
        pending.add(row(3, "a"), 0);
        pending.add(row(2, "a"), 0);
        assertEquals(List.of(1L, 2L), due(10_000, Set.of(), 10));
    }

    @Test
    void theGapsKeptAreBoundedTheOldestForgotten() {
        for (long id = 1; id <= 20; id += 2) {
            pending.add(row(id, "a"), 0);
        }
        assertEquals(List.of(12L, 14L, 16L, 18L), pending.gaps(0).stream().map(PendingEvents.Gap::from).toList());
        pending.add(row(2, "a"), 0); // its gap forgotten: taken as a row read again
        assertEquals(10, pending.events());
    }

    @Test
    void everyIdOfTheTableTellsWhichRowsCameTooLateForTheirGap() {
        pending.add(row(1, "a"), 0);
        pending.add(row(5, "a"), 0);
        List<Long> unknown = pending.unknown(List.of(1L, 2L, 5L, 7L));
        assertEquals(List.of(2L), unknown, "7 is past the highest: the next read takes it");
        pending.addLate(row(2, "a"));
        assertEquals(List.of(1L), due(10_000, Set.of(), 10));
        pending.remove("a", 1);
        assertEquals(List.of(2L), due(10_000, Set.of(), 10));
        assertEquals(List.of(), pending.unknown(List.of(2L, 5L)));
    }
}
