package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract on the in-memory store, and its bound on all rooms together. */
class MemoryHistoryStoreTest extends HistoryStoreContract {
    private static final long MIB = 1024 * 1024;

    @Override
    protected HistoryStore create(int keep) {
        return new MemoryHistoryStore(keep, 64 * MIB);
    }

    private static ChatMessage message(String room, long seq, int chars) {
        return new ChatMessage(room, seq, "ann", "x".repeat(chars), Instant.ofEpochMilli(1_700_000_000_000L + seq));
    }

    /** Appends seqs from..to with texts of {@code chars}, checking the bound after each. */
    private static void fill(MemoryHistoryStore store, long bound, String room, long from, long to, int chars)
            throws Exception {
        for (long seq = from; seq <= to; seq++) {
            ChatMessage m = message(room, seq, chars);
            assertEquals(m, store.append(room, m.user(), m.text(), m.ts()).toCompletableFuture().get(1, TimeUnit.SECONDS));
            assertTrue(store.weight() <= bound, "weight " + store.weight() + " above " + bound + " after " + room + " " + seq);
        }
    }

    /** What one room of {@code count} messages of {@code chars} weighs. */
    private static long roomWeight(String room, int count, int chars) throws Exception {
        MemoryHistoryStore probe = new MemoryHistoryStore(0, Long.MAX_VALUE);
        fill(probe, Long.MAX_VALUE, room, 1, count, chars);
        return probe.weight();
    }

    @Test
    void theWholeStoreStaysWithinItsBoundWhateverTheNumberOfRooms() throws Exception {
        long bound = 256 * 1024;
        MemoryHistoryStore store = new MemoryHistoryStore(100, bound);
        for (int r = 0; r < 500; r++) {
            fill(store, bound, "room-" + r, 1, 20, 200);
        }
        assertEquals(range(1, 20), seqs(store.before("room-499", Long.MAX_VALUE, 100)), "the newest room is whole");
        assertEquals(List.of(), store.before("room-0", Long.MAX_VALUE, 100), "the oldest lost its history");
        assertEquals(20, store.lastSeq("room-0"), "but not its seq");
    }

    @Test
    void theRoomUsedLongestAgoLosesItsHistoryFirst() throws Exception {
        long one = roomWeight("room-a", 10, 1000);
        long bound = 3 * one + one / 2;
        MemoryHistoryStore store = new MemoryHistoryStore(0, bound);
        for (String room : List.of("room-a", "room-b", "room-c")) {
            fill(store, bound, room, 1, 10, 1000);
        }
        assertEquals(10, store.before("room-a", Long.MAX_VALUE, 100).size(), "room-a read: now used more recently than b");

        fill(store, bound, "room-d", 1, 10, 1000);

        assertEquals(List.of(), store.before("room-b", Long.MAX_VALUE, 100), "room-b went first");
        for (String room : List.of("room-a", "room-c", "room-d")) {
            assertEquals(range(1, 10), seqs(store.before(room, Long.MAX_VALUE, 100)), room + " kept");
        }
    }

    @Test
    void aRoomWhoseHistoryWentGoesOnWithTheNextSeq() throws Exception {
        long one = roomWeight("room-a", 10, 1000);
        long bound = one + one / 2;
        MemoryHistoryStore store = new MemoryHistoryStore(0, bound);
        fill(store, bound, "room-a", 1, 10, 1000);
        fill(store, bound, "room-b", 1, 10, 1000);
        assertEquals(List.of(), store.before("room-a", Long.MAX_VALUE, 100), "room-a lost its history");

        assertEquals(10, store.lastSeq("room-a"));
        assertEquals(Optional.empty(), store.after("room-a", 5, 1000), "seqs 6..10 are gone");
        assertEquals(Optional.of(List.of()), store.after("room-a", 10, 1000), "nothing missed since 10");
        fill(store, bound, "room-a", 11, 11, 10); // seq 1 was used: the tombstone goes on from 10
        assertEquals(11, store.lastSeq("room-a"));
        assertEquals(List.of(11L), seqs(store.after("room-a", 10, 1000).orElseThrow()));
        assertEquals(Optional.empty(), store.after("room-a", 9, 1000));
    }

    @Test
    void aRoomAloneAboveTheBoundDropsItsOwnOldestMessages() throws Exception {
        long bound = 64 * 1024;
        MemoryHistoryStore store = new MemoryHistoryStore(0, bound);
        fill(store, bound, "room-a", 1, 1000, 100);

        List<Logged> kept = store.before("room-a", Long.MAX_VALUE, 1000);
        assertTrue(kept.size() > 100 && kept.size() < 1000, kept.size() + " kept");
        assertEquals(range(1001 - kept.size(), 1000), seqs(kept), "the newest, contiguous");
        assertEquals(1000, store.lastSeq("room-a"));
        assertEquals(Optional.empty(), store.after("room-a", 0, 1000));
    }

    @Test
    void aMessageHeavierThanTheBoundIsNotKeptButItsSeqIs() throws Exception {
        long bound = 4096;
        MemoryHistoryStore store = new MemoryHistoryStore(0, bound);
        fill(store, bound, "room-a", 1, 1, 10);
        fill(store, bound, "room-a", 2, 2, 4096);
        assertEquals(List.of(), store.before("room-a", Long.MAX_VALUE, 10));
        assertEquals(2, store.lastSeq("room-a"));
        fill(store, bound, "room-a", 3, 3, 10);
        assertEquals(List.of(3L), seqs(store.before("room-a", Long.MAX_VALUE, 10)));
    }

    @Test
    void tombstonesBeyondTheBoundGoOldestFirstAndThoseRoomsStartAgain() throws Exception {
        long bound = 64 * 1024;
        MemoryHistoryStore store = new MemoryHistoryStore(0, bound);
        for (int r = 0; r < 10_000; r++) {
            fill(store, bound, "room-" + r, 1, 3, 10);
        }
        assertEquals(3, store.lastSeq("room-9999"));
        assertEquals(3, store.lastSeq("room-9900"), "a recent room's seq is remembered");
        assertEquals(0, store.lastSeq("room-0"), "the oldest is forgotten entirely");
        fill(store, bound, "room-0", 1, 1, 10);
        assertEquals(1, store.lastSeq("room-0"));
    }

    @Test
    void aKeepSmallerThanTheFirstRingIsHeldToo() throws Exception {
        MemoryHistoryStore store = new MemoryHistoryStore(5, MIB);
        fill(store, MIB, "room-a", 1, 20, 10);
        assertEquals(range(16, 20), seqs(store.before("room-a", Long.MAX_VALUE, 100)));
    }

    @Test
    void twoHundredRoomsOfNinetyLargeMessagesStayWithinEightMegabytes() throws Exception {
        long bound = 8 * MIB;
        MemoryHistoryStore store = new MemoryHistoryStore(10_000, bound);
        for (int r = 0; r < 200; r++) {
            fill(store, bound, "room-" + r, 1, 90, 4000);
        }
        assertEquals(range(1, 90), seqs(store.before("room-199", Long.MAX_VALUE, 100)));
        assertEquals(List.of(), store.before("room-0", Long.MAX_VALUE, 100));
        assertEquals(90, store.lastSeq("room-0"));
    }
}
