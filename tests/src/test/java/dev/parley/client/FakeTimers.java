package dev.parley.client;

import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** The client's thread and clock, moved by hand: tasks run on {@link #run}, timers when {@link #advance} passes them. */
final class FakeTimers implements Timers {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();   // close() gives its task from another thread
    private final PriorityQueue<Scheduled> timers = new PriorityQueue<>();
    private long now = 1_000_000;
    private long order;

    private final class Scheduled implements Comparable<Scheduled>, Timer {
        final long at;
        final long n = order++;
        final Runnable task;
        boolean cancelled;

        Scheduled(long at, Runnable task) {
            this.at = at;
            this.task = task;
        }

        @Override
        public int compareTo(Scheduled o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(n, o.n);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public Timer schedule(Runnable task, long delayMillis) {
        Scheduled s = new Scheduled(now + delayMillis, task);
        timers.add(s);
        return s;
    }

    @Override
    public long nowMillis() {
        return now;
    }

    /** Runs the tasks given so far and those they give. */
    void run() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
        }
    }

    /** Moves the clock on, running every timer due on the way, in order. */
    void advance(long millis) {
        long until = now + millis;
        run();
        for (Scheduled next; (next = timers.peek()) != null && next.at <= until; ) {
            timers.poll();
            now = next.at;
            if (!next.cancelled) {
                next.task.run();
            }
            run();
        }
        now = until;
    }

    /** Timers that would still run. */
    long pending() {
        return timers.stream().filter(s -> !s.cancelled).count();
    }
}
