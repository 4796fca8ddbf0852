package dev.parley.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.broker.LocalBroker;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import dev.parley.store.Append;
import dev.parley.store.Appended;
import dev.parley.store.HistoryStore;
import dev.parley.support.Poll;
import dev.parley.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Readiness from the store's last answer, a store that hangs, and draining; with a store that fails on demand. */
class HealthTest {
    /** A store that only answers checks: failing, or hanging until released, when told to. */
    private static final class FlakyStore implements HistoryStore {
        volatile boolean down;
        volatile CountDownLatch hang;

        @Override
        public long lastSeq(String room) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RoomLast> rooms(String after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Appended> append(String room, Append entry) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Logged> before(String room, long before, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Logged> following(String room, long since, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<List<Logged>> after(String room, long since, int max) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long readPosition(String room, String user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean markRead(String room, String user, long seq) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ReadState readState(String room, String user) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sanction(String room, String user, dev.parley.store.Sanction.Kind kind, Instant until) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<dev.parley.store.Sanction> sanctions(String room, Instant now) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean closed(String room) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void markClosed(String room, boolean closed) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> closedRooms(int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean shareable() {
            return false;
        }

        @Override
        public String describe() {
            return "flaky";
        }

        @Override
        public void check() {
            CountDownLatch latch = hang;
            if (latch != null) {
                try {
                    latch.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (down) {
                throw new StoreException("connection refused");
            }
        }
    }

    private final FlakyStore store = new FlakyStore();
    private final Health health = new Health(store, new LocalBroker());

    @AfterEach
    void stop() {
        CountDownLatch latch = store.hang;
        if (latch != null) {
            latch.countDown();
        }
        health.stop();
    }

    private static void await(BooleanSupplier condition, String what) {
        assertTrue(Poll.until(condition::getAsBoolean, Boolean::booleanValue, Duration.ofSeconds(10)), what);
    }

    @Test
    void readyFollowsTheStoresAnswersAndSaysWhy() {
        health.start();
        assertTrue(health.ready().up(), "checked at start: " + health.ready());
        store.down = true;
        await(() -> !health.ready().up(), "down after the next check");
        assertEquals(new Health.Check("store", false, "connection refused"), health.ready().checks().get(0));
        assertTrue(health.ready().json().contains("\"detail\":\"connection refused\""), health.ready().json());
        assertTrue(health.live().up(), "a node whose database is down is still alive");
        store.down = false;
        await(() -> health.ready().up(), "up again after the next check");
    }

    @Test
    void aStoreThatDoesNotAnswerCountsAsDown() {
        health.start();
        store.hang = new CountDownLatch(1);
        await(() -> !health.ready().up(), "down once the check has hung for " + Health.STORE_TIMEOUT_MILLIS + " ms");
        assertTrue(health.ready().checks().get(0).detail().startsWith("no answer for"), health.ready().toString());
    }

    @Test
    void aDrainingNodeIsNotReady() {
        health.start();
        health.drain();
        Health.Report report = health.ready();
        assertFalse(report.up());
        assertEquals(new Health.Check("accepting", false, "shutting down"), report.checks().get(report.checks().size() - 1));
    }
}
