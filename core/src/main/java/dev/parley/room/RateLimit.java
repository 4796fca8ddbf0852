package dev.parley.room;

import dev.parley.config.ParleyConfig;
import java.util.function.LongSupplier;

/**
 * One connection's allowance of frames: a token bucket that refills at {@code rate} frames
 * per second and holds {@link ParleyConfig#BURST_SECONDS} seconds' worth. A frame beyond
 * the allowance is refused ({@code rate-limited}) and still counted, as debt; a connection
 * that keeps sending until its debt exceeds another full bucket is flooding.
 */
final class RateLimit {
    enum Verdict { ACCEPT, REFUSE, FLOODING }

    private static final RateLimit NONE = new RateLimit(0, () -> 0);

    private final LongSupplier clock;
    private final double perNano;
    private final double burst;
    private double tokens;   // guarded by this
    private long refilledAt; // guarded by this

    RateLimit(int rate, LongSupplier nanoClock) {
        this.clock = nanoClock;
        this.perNano = rate / 1e9;
        this.burst = (double) rate * ParleyConfig.BURST_SECONDS;
        this.tokens = burst;
        this.refilledAt = nanoClock.getAsLong();
    }

    /** A bucket for one connection; rate 0 means unlimited. */
    static RateLimit of(int rate) {
        return rate == 0 ? NONE : new RateLimit(rate, System::nanoTime);
    }

    Verdict take() {
        if (perNano == 0) {
            return Verdict.ACCEPT;
        }
        synchronized (this) {
            long now = clock.getAsLong();
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
            tokens -= 1;
            if (tokens >= 0) {
                return Verdict.ACCEPT;
            }
            return tokens < -burst ? Verdict.FLOODING : Verdict.REFUSE;
        }
    }
}
