package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.metrics.Meters;
import dev.parley.protocol.Logged;
import dev.parley.store.Append;
import dev.parley.store.StoreException;
import dev.parley.support.Poll;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link WelcomeReads}: the joins of a room that overlap share one store read, each getting what the store would have said. */
class WelcomeReadsTest {
    private static final String ROOM = "storm";
    private final GatedStore store = new GatedStore();
    private final WelcomeReads reads = new WelcomeReads(store, Meters.none());
    private final ExecutorService joins = Executors.newCachedThreadPool();

    @BeforeEach
    void tenMessages() throws Exception {
        for (int i = 1; i <= 10; i++) {
            store.append(ROOM, Append.message("ada", "m" + i, null, 0, Instant.now())).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        joins.shutdownNow();
    }

    private static List<Long> seqs(Optional<List<Logged>> frames) {
        return frames.map(list -> list.stream().map(Logged::seq).toList()).orElse(null);
    }

    /** Waits (up to 10 s) until {@code count} joins wait for the next recovery read. */
    private void waitForWaiting(int count) {
        assertEquals(count, Poll.until(() -> reads.waiting(ROOM), waiting -> waiting >= count, Duration.ofSeconds(10)));
    }

    @Test
    void joinsThatComeWhileARoomsReadIsUnderWayShareTheNextOneAndEachGetsItsOwnPart() throws Exception {
        CountDownLatch reading = store.closeAfterRead();
        CompletableFuture<Optional<List<Logged>>> first = CompletableFuture.supplyAsync(() -> reads.after(ROOM, 4, 1000), joins);
        assertTrue(reading.await(10, TimeUnit.SECONDS), "the first join reads");
        List<CompletableFuture<Optional<List<Logged>>>> storm = new ArrayList<>();
        long[] sinces = new long[100];
        for (int i = 0; i < sinces.length; i++) {
            long since = i % 12; // 10 is the newest; 11 is past it
            sinces[i] = since;
            storm.add(CompletableFuture.supplyAsync(() -> reads.after(ROOM, since, 1000), joins));
        }
        waitForWaiting(sinces.length);
        store.open();

        assertEquals(List.of(5L, 6L, 7L, 8L, 9L, 10L), seqs(first.get(10, TimeUnit.SECONDS)));
        for (int i = 0; i < sinces.length; i++) {
            assertEquals(seqs(store.after(ROOM, sinces[i], 1000)), seqs(storm.get(i).get(10, TimeUnit.SECONDS)),
                    "since " + sinces[i]);
        }
        assertEquals(2 + sinces.length, store.reads(), "one read for the first, one for the 100 that came meanwhile"
                + " (and the test's own " + sinces.length + ")");
    }

    @Test
    void thoseARecoveryFromTheLowestSinceCannotAnswerReadForThemselves() {
        // a cap of 5: from 2 there are 8 missed, too many; from 6, 4
        CountDownLatch reading = store.closeAfterRead();
        CompletableFuture<Optional<List<Logged>>> holder = CompletableFuture.supplyAsync(() -> reads.after(ROOM, 9, 5), joins);
        try {
            assertTrue(reading.await(10, TimeUnit.SECONDS));
            CompletableFuture<Optional<List<Logged>>> low = CompletableFuture.supplyAsync(() -> reads.after(ROOM, 2, 5), joins);
            CompletableFuture<Optional<List<Logged>>> high = CompletableFuture.supplyAsync(() -> reads.after(ROOM, 6, 5), joins);
            waitForWaiting(2);
            store.open();
            assertEquals(List.of(10L), seqs(holder.get(10, TimeUnit.SECONDS)));
            assertEquals(null, seqs(low.get(10, TimeUnit.SECONDS)), "not recoverable: more than the cap");
            assertEquals(List.of(7L, 8L, 9L, 10L), seqs(high.get(10, TimeUnit.SECONDS)));
            assertEquals(3, store.reads(), "the holder's, the shared one from 2, and 6's own");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theNewestMessagesAreReadOnceForTheJoinsThatWaitedAndAFailureReachesEachOfThem() throws Exception {
        CountDownLatch reading = store.closeAfterRead();
        CompletableFuture<List<Logged>> first = CompletableFuture.supplyAsync(() -> reads.newest(ROOM, 3), joins);
        assertTrue(reading.await(10, TimeUnit.SECONDS));
        List<CompletableFuture<List<Logged>>> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(CompletableFuture.supplyAsync(() -> reads.newest(ROOM, 3), joins));
        }
        assertEquals(20, Poll.until(() -> reads.waitingNewest(ROOM, 3), waiting -> waiting >= 20, Duration.ofSeconds(10)));
        store.failing(true);
        store.open();
        assertEquals(List.of(8L, 9L, 10L), first.get(10, TimeUnit.SECONDS).stream().map(Logged::seq).toList());
        for (CompletableFuture<List<Logged>> other : others) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> other.get(10, TimeUnit.SECONDS));
            assertInstanceOf(StoreException.class, failed.getCause());
        }
        assertEquals(2, store.reads());
    }
}
