package dev.parley.room;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chat's threads: the rooms' deliveries ({@code parley-delivery}, one per core, at
 * least two), the gap fills ({@code parley-fill}), the frames that wait for the store or
 * the broker ({@code parley-work}: joins and history requests, each waiting at most its
 * query's or Redis' timeout) and one timer. Daemons, so that a forgotten one never keeps
 * a JVM up.
 */
final class ChatThreads {
    /** Joins and history requests answered at once. */
    private static final int WORK_THREADS = 8;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(threads("parley-timer"));
    private final ExecutorService delivery = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), threads("parley-delivery"));
    private final ExecutorService fill = Executors.newFixedThreadPool(2, threads("parley-fill"));
    private final ExecutorService work = Executors.newFixedThreadPool(WORK_THREADS, threads("parley-work"));

    /** Where a room's tasks run, one at a time per room ({@link SerialExecutor}). */
    ExecutorService delivery() {
        return delivery;
    }

    /** Where gaps are read from the store. */
    ExecutorService fill() {
        return fill;
    }

    /** Where frames that may wait for the store or the broker are answered. */
    ExecutorService work() {
        return work;
    }

    void schedule(Runnable task, long delayMillis) {
        timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    void every(Runnable task, long periodNanos) {
        timer.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the timer, the fills and the work at once; the deliveries queued run out. */
    void shutdown() {
        timer.shutdownNow();
        delivery.shutdown();
        fill.shutdownNow();
        work.shutdownNow();
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
