package dev.parley.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long an event that was not delivered waits before its next attempt (SERVER-API.md:
 * the first within 5 seconds, none more than 10 minutes apart): 1 s after the first
 * failure, doubling, at most {@link #MAX}; each pause a random 80 to 100 % of that, so
 * that rooms that failed together do not all come back in the same second.
 */
final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofMinutes(10);

    private Backoff() {
    }

    /** The pause after {@code failures} failed attempts (1 for the first). */
    static Duration after(int failures) {
        long millis = FIRST.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        millis = Math.min(millis, MAX.toMillis());
        return Duration.ofMillis(millis - (long) (millis * 0.2 * ThreadLocalRandom.current().nextDouble()));
    }
}
