package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import dev.parley.support.Rooms;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What every HistoryStore does; a subclass says which store, on which database. The log's rules: {@link RoomLogContract}. */
public abstract class HistoryStoreContract extends WebhookOutboxContract {

    protected static ChatMessage message(String room, long seq) {
        return new ChatMessage(room, seq, "ann", "text " + seq + " ünï 😀 \u0000 nul", Instant.ofEpochMilli(1_700_000_000_000L + seq));
    }

    /** Appends the messages that get seqs from..to, and checks that they got those. */
    protected static void append(HistoryStore store, String room, long from, long to) throws Exception {
        List<CompletableFuture<ChatMessage>> stored = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            ChatMessage m = message(room, seq);
            stored.add(store.append(room, m.user(), m.text(), m.ts()).toCompletableFuture());
        }
        for (int i = 0; i < stored.size(); i++) {
            assertEquals(message(room, from + i), stored.get(i).get(30, TimeUnit.SECONDS), "the store's seq, in append order");
        }
    }

    protected static List<Long> seqs(List<Logged> messages) {
        return messages.stream().map(Logged::seq).collect(Collectors.toList());
    }

    protected static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    @Test
    void anUnknownRoomIsEmpty() {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        assertEquals(0, store.lastSeq(room));
        assertEquals(List.of(), store.before(room, Long.MAX_VALUE, 50));
        assertEquals(Optional.of(List.of()), store.after(room, 0, 1000));
        assertEquals(Optional.empty(), store.after(room, 5, 1000));
    }

    /** The server API's list: rooms with history, by name, a page at a time after a name. */
    @Test
    void theRoomsWithHistoryAreListedByNameAPageAfterAName() throws Exception {
        HistoryStore store = open(0);
        String prefix = Rooms.fresh();
        append(store, prefix + "-c", 1, 3);
        append(store, prefix + "-a", 1, 1);
        append(store, prefix + "-b", 1, 2);
        store.markClosed(prefix + "-0", true); // a room with no history: not listed
        assertEquals(List.of(new HistoryStore.RoomLast(prefix + "-a", 1), new HistoryStore.RoomLast(prefix + "-b", 2)),
                store.rooms(prefix, 2));
        assertEquals(new HistoryStore.RoomLast(prefix + "-c", 3), store.rooms(prefix + "-b", 2).get(0));
    }

    @Test
    void storedMessagesComeBackExactlyOldestFirstPageByPage() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        append(store, room, 1, 120);
        assertEquals(120, store.lastSeq(room));
        assertEquals(range(71, 120), seqs(store.before(room, Long.MAX_VALUE, 50)));
        assertEquals(range(41, 70), seqs(store.before(room, 71, 30)));
        assertEquals(range(1, 10), seqs(store.before(room, 11, 100)));
        assertEquals(List.of(), store.before(room, 1, 100));
        assertEquals(message(room, 77), store.before(room, 78, 1).get(0), "room, seq, user, text and ts as appended");
    }

    @Test
    void theStoreGivesEachRoomItsNextSeqAndTheMessageAsStored() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        append(store, room, 1, 3);
        ChatMessage fourth = store.append(room, "bob", "hi", Instant.ofEpochMilli(1_800_000_000_000L))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(new ChatMessage(room, 4, "bob", "hi", Instant.ofEpochMilli(1_800_000_000_000L)), fourth);
        assertEquals(4, store.lastSeq(room));
        assertEquals(fourth, store.before(room, Long.MAX_VALUE, 1).get(0));
    }

    @Test
    void followingGivesTheOldestAfterASeqAPageAtATime() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        append(store, room, 1, 30);
        assertEquals(range(11, 20), seqs(store.following(room, 10, 10)));
        assertEquals(range(26, 30), seqs(store.following(room, 25, 10)));
        assertEquals(List.of(), seqs(store.following(room, 30, 10)));
        assertEquals(List.of(), seqs(store.following(Rooms.fresh(), 0, 10)));
    }

    @Test
    void afterGivesEverythingMissedOnlyWhenAllOfItIsThereAndWithinTheCap() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        append(store, room, 1, 250);
        assertEquals(range(151, 250), seqs(store.after(room, 150, 1000).orElseThrow()));
        assertEquals(range(1, 250), seqs(store.after(room, 0, 1000).orElseThrow()));
        assertEquals(Optional.empty(), store.after(room, 200, 49), "over the cap");
        assertEquals(range(201, 250), seqs(store.after(room, 200, 50).orElseThrow()));
        assertEquals(Optional.of(List.of()), store.after(room, 250, 1000));
        assertEquals(Optional.empty(), store.after(room, 251, 1000), "beyond the newest: another history");
    }

    @Test
    void keepBoundsEachRoomToItsNewestMessages() throws Exception {
        HistoryStore store = open(100);
        String room = Rooms.fresh();
        String other = Rooms.fresh();
        append(store, room, 1, 250);
        append(store, other, 1, 5);
        assertEquals(250, store.lastSeq(room));
        assertEquals(range(151, 160), seqs(store.before(room, 161, 50)), "nothing before the oldest kept");
        assertEquals(Optional.empty(), store.after(room, 149, 1000), "seq 150 is gone");
        assertEquals(range(151, 250), seqs(store.after(room, 150, 1000).orElseThrow()));
        assertEquals(range(1, 5), seqs(store.before(other, Long.MAX_VALUE, 50)));
    }

    @Test
    void aClosedRoomStaysClosedUntilReopenedAndKeepsItsSeq() throws Exception {
        HistoryStore store = open(0);
        String base = Rooms.fresh();
        String talked = base + "a"; // a sorts before b in any collation
        String silent = base + "b";
        append(store, talked, 1, 3);
        assertFalse(store.closed(talked));
        store.markClosed(silent, true);
        store.markClosed(talked, true);
        assertTrue(store.closed(talked) && store.closed(silent));
        List<String> closed = store.closedRooms(Integer.MAX_VALUE);
        assertEquals(List.of(talked, silent), closed.stream().filter(r -> r.startsWith(base)).toList(), "sorted");
        assertEquals(1, store.closedRooms(1).size());
        assertEquals(3, store.lastSeq(talked));
        assertEquals(0, store.lastSeq(silent));
        store.markClosed(talked, false);
        assertFalse(store.closed(talked));
        assertTrue(store.closed(silent));
        assertEquals(List.of(silent), store.closedRooms(Integer.MAX_VALUE).stream().filter(r -> r.startsWith(base)).toList());
        append(store, talked, 4, 5);
        append(store, silent, 1, 1);
    }

    @Test
    void roomsAppendedConcurrentlyKeepTheirOwnSeqs() throws Exception {
        HistoryStore store = open(0);
        int roomCount = 8;
        int each = 400;
        ExecutorService pool = Executors.newFixedThreadPool(roomCount);
        try {
            List<String> rooms = new ArrayList<>();
            List<Future<?>> appending = new ArrayList<>();
            for (int r = 0; r < roomCount; r++) {
                String room = Rooms.fresh();
                rooms.add(room);
                appending.add(pool.submit(() -> {
                    append(store, room, 1, each);
                    return null;
                }));
            }
            for (Future<?> f : appending) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (String room : rooms) {
                assertEquals(each, store.lastSeq(room));
                assertEquals(range(1, each), seqs(store.after(room, 0, 1000).orElseThrow()));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
