package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    /** A pool that runs what it is given only when the test says so. */
    private static final class ManualPool implements java.util.concurrent.Executor {
        final ArrayDeque<Runnable> submitted = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            submitted.add(task);
        }

        void runAll() {
            while (!submitted.isEmpty()) {
                submitted.poll().run();
            }
        }
    }

    @Test
    void tasksRunInOrderAndOneDrainIsScheduledAtATime() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            serial.execute(() -> ran.add(n));
        }
        assertEquals(1, pool.submitted.size(), "one drain for the five");
        pool.runAll();
        assertEquals(List.of(0, 1, 2, 3, 4), ran);
        serial.execute(() -> ran.add(5));
        assertEquals(1, pool.submitted.size(), "a new drain once the last one ended");
        pool.runAll();
        assertEquals(List.of(0, 1, 2, 3, 4, 5), ran);
    }

    @Test
    void aTaskOfferedToRunHereRunsOnTheCallerWhenNothingRunsOrWaits() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new ArrayList<>();
        Thread caller = Thread.currentThread();
        serial.runHereOrExecute(() -> ran.add(Thread.currentThread() == caller ? "here" : "elsewhere"));
        assertEquals(List.of("here"), ran);
        assertEquals(0, pool.submitted.size(), "no hand-off");
    }

    @Test
    void aTaskOfferedToRunHereQueuesBehindWhatWaits() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> ran = new ArrayList<>();
        serial.execute(() -> ran.add(1));
        serial.runHereOrExecute(() -> ran.add(2));
        assertEquals(List.of(), ran, "not before the task that waits for the pool");
        assertEquals(1, pool.submitted.size());
        pool.runAll();
        assertEquals(List.of(1, 2), ran);
    }

    @Test
    void tasksGivenWhileOneRunsHereGoToThePoolAfterIt() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<Integer> ran = new ArrayList<>();
        serial.runHereOrExecute(() -> {
            ran.add(1);
            serial.execute(() -> ran.add(2));        // not run inside the first
            serial.runHereOrExecute(() -> ran.add(3)); // nor this one
            assertEquals(List.of(1), ran);
        });
        assertEquals(List.of(1), ran);
        assertEquals(1, pool.submitted.size(), "one drain for what came meanwhile");
        pool.runAll();
        assertEquals(List.of(1, 2, 3), ran);
        serial.runHereOrExecute(() -> ran.add(4));
        assertEquals(List.of(1, 2, 3, 4), ran, "idle again: runs here");
    }

    @Test
    void aFailingTaskRunHereIsLoggedAndTheExecutorGoesOn() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new ArrayList<>();
        serial.runHereOrExecute(() -> {
            throw new IllegalStateException("a test's failure, logged on purpose");
        });
        serial.runHereOrExecute(() -> ran.add("next"));
        assertEquals(List.of("next"), ran);
        assertEquals(0, pool.submitted.size());
    }

    @Test
    void aFailingTaskDoesNotStopTheNext() {
        ManualPool pool = new ManualPool();
        SerialExecutor serial = new SerialExecutor(pool);
        List<String> ran = new ArrayList<>();
        serial.execute(() -> {
            throw new IllegalStateException("a test's failure, logged on purpose");
        });
        serial.execute(() -> ran.add("next"));
        pool.runAll();
        assertEquals(List.of("next"), ran);
    }

    @Test
    void aPoolThatIsShutDownRunsNothingAndThrowsNothing() {
        SerialExecutor serial = new SerialExecutor(task -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        });
        List<String> ran = new ArrayList<>();
        serial.execute(() -> ran.add("first"));
        serial.execute(() -> ran.add("second")); // tried again, not stuck behind the first
        assertEquals(List.of(), ran);
    }

    /** Whether each task is run on the pool or on the thread that gave it, never two at once, each producer's in order. */
    @Test
    void neverTwoAtOnceOnARealPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            List<Integer> order = new ArrayList<>(); // only ever touched by one task at a time
            int tasks = 20_000;
            CountDownLatch done = new CountDownLatch(tasks);
            Thread[] producers = new Thread[4];
            for (int p = 0; p < producers.length; p++) {
                int producer = p;
                producers[p] = new Thread(() -> {
                    for (int i = 0; i < tasks / producers.length; i++) {
                        int n = producer * 1_000_000 + i;
                        Runnable task = () -> {
                            if (running.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            order.add(n);
                            running.decrementAndGet();
                            done.countDown();
                        };
                        if (i % 2 == 0) { // half offered to run on the producer's own thread
                            serial.runHereOrExecute(task);
                        } else {
                            serial.execute(task);
                        }
                    }
                });
                producers[p].start();
            }
            assertTrue(done.await(30, TimeUnit.SECONDS));
            assertEquals(0, overlaps.get());
            assertEquals(tasks, order.size());
            for (int p = 0; p < producers.length; p++) { // each producer's tasks in the order it gave them
                int producer = p;
                List<Integer> own = order.stream().filter(n -> n / 1_000_000 == producer).toList();
                for (int i = 0; i < own.size(); i++) {
                    assertEquals(producer * 1_000_000 + i, own.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
