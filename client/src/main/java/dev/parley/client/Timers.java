package dev.parley.client;

import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client's one thread and its clock: everything a client decides runs here, one task at
 * a time, so that it needs no locks and its listener hears events in order. Tests run a
 * client on fake timers (a queue of tasks and a clock they move by hand).
 */
interface Timers extends Executor {

    /** A task that runs later, unless cancelled first. */
    interface Timer {
        void cancel();
    }

    Timer schedule(Runnable task, long delayMillis);

    long nowMillis();

    /** Over a scheduled executor's thread. Once it is shut down, tasks given to it are dropped. */
    static Timers of(ScheduledExecutorService executor) {
        return new Timers() {
            @Override
            public void execute(Runnable task) {
                try {
                    executor.execute(task);
                } catch (RejectedExecutionException closed) {
                    // the client was closed: nothing it hears matters now
                }
            }

            @Override
            public Timer schedule(Runnable task, long delayMillis) {
                try {
                    Future<?> future = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                    return () -> future.cancel(false);
                } catch (RejectedExecutionException closed) {
                    return () -> { };
                }
            }

            @Override
            public long nowMillis() {
                return System.currentTimeMillis();
            }
        };
    }
}
