package dev.parley.support;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** For state that is read, not pushed (an HTTP answer, a scrape, a health report): read until it passes, within a deadline. */
public final class Poll {
    private static final long EVERY_MILLIS = 50;

    private Poll() {
    }

    /**
     * Reads every {@value #EVERY_MILLIS} ms until a reading passes {@code done}, for
     * {@code wait} at most; returns the first reading that passes, or the last one, for the
     * caller to assert on.
     */
    public static <T> T until(Supplier<T> read, Predicate<T> done, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            T reading = read.get();
            if (done.test(reading) || System.nanoTime() > deadline) {
                return reading;
            }
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
