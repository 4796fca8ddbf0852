package dev.parley.room;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs its tasks one at a time, in the order they were given, on a shared pool: each
 * room has one, so a room's deliveries keep their order while rooms run side by side.
 * A task that throws is logged and the next one runs.
 *
 * <p>A caller may offer to run a task itself ({@link #runHereOrExecute}): when nothing of
 * this executor runs or waits, the task runs on the calling thread at once, which saves
 * the pool's hand-off (a wake-up and two context switches); otherwise it queues as
 * {@link #execute} does. Either way the tasks keep their order and run one at a time.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = Logger.getLogger(SerialExecutor.class.getName());

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(); // guarded by this
    private boolean running; // guarded by this: a drain is scheduled or in progress

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        schedule();
    }

    /**
     * Runs {@code task} on this thread if nothing of this executor runs or waits, else
     * queues it after what waits. Tasks given while it runs go to the pool after it.
     */
    void runHereOrExecute(Runnable task) {
        synchronized (this) {
            if (running) {
                tasks.add(task);
                return;
            }
            running = true;
        }
        run(task);
        synchronized (this) {
            if (tasks.isEmpty()) {
                running = false;
                return;
            }
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException shuttingDown) { // the node is stopping: nothing more runs
            LOG.log(Level.FINE, "not run: the delivery pool is shut down");
            synchronized (this) {
                tasks.clear();
                running = false;
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            }
            run(task);
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "A room task failed", e);
        }
    }
}
