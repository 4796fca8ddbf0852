package dev.parley.room;

import static dev.parley.room.RateLimit.Verdict.ACCEPT;
import static dev.parley.room.RateLimit.Verdict.FLOODING;
import static dev.parley.room.RateLimit.Verdict.REFUSE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket against a clock the test moves. */
class RateLimitTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(42 * SECOND);
    private final RateLimit limit = new RateLimit(2, now::get); // 2/s, burst 10

    private void take(int times, RateLimit.Verdict expected) {
        for (int i = 0; i < times; i++) {
            assertEquals(expected, limit.take(), "frame " + (i + 1));
        }
    }

    @Test
    void aFullBucketLetsABurstOfFiveSecondsWorthThrough() {
        take(10, ACCEPT);
        take(1, REFUSE);
    }

    @Test
    void theBucketRefillsAtTheRateUpToTheBurst() {
        take(10, ACCEPT);
        now.addAndGet(SECOND);
        take(2, ACCEPT);
        take(1, REFUSE);
        now.addAndGet(60 * SECOND); // a long pause refills only up to the burst
        take(10, ACCEPT);
    }

    @Test
    void refusedFramesAreDebtAndAnotherFullBucketOfThemIsFlooding() {
        take(10, ACCEPT);
        take(10, REFUSE);
        take(1, FLOODING);
    }

    @Test
    void debtIsPaidBackBeforeFramesPassAgain() {
        take(10, ACCEPT);
        take(4, REFUSE); // 4 in debt
        now.addAndGet(2 * SECOND); // +4: back to zero
        take(1, REFUSE);
        now.addAndGet(SECOND);
        take(1, ACCEPT);
    }

    @Test
    void rateZeroIsNoLimit() {
        RateLimit none = RateLimit.of(0);
        for (int i = 0; i < 100_000; i++) {
            assertEquals(ACCEPT, none.take());
        }
    }
}
