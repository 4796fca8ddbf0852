package dev.parley.room;

import dev.parley.config.OpsConfig;
import dev.parley.protocol.Outbound;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a client this node closes with 1001 or 1013 should come back: the {@code after} of
 * the {@code {"type":"reconnect","after":MS}} frame sent before the close (PROTOCOL.md,
 * Closing). A node at its limit asks for 5 to 10 s. A stopping node spreads its members over
 * 500 ms plus its spread ({@code PARLEY_SHUTDOWN_SPREAD}, by default a second per 2,000
 * connections it holds as it stops, at least a second), each at a random point of it, so that
 * the restarted node, or the other nodes of a cluster, are not all asked at once.
 */
final class RetryHints {
    static final long BUSY_MILLIS = 5000;
    static final long SHUTDOWN_MILLIS = 500;
    static final long MIN_SPREAD_MILLIS = 1000;
    /** The default spread: a second per this many connections. */
    static final int CONNECTIONS_PER_SECOND = 2000;

    private final long configuredSpread; // 0: by the node's connections
    private volatile long spread = MIN_SPREAD_MILLIS;

    RetryHints(OpsConfig ops) {
        this.configuredSpread = ops.shutdownSpread().toMillis();
    }

    /** The spread over {@code connections} when none is configured: a second per 2,000, at least a second. */
    static long defaultSpread(int connections) {
        return Math.max(MIN_SPREAD_MILLIS, connections * 1000L / CONNECTIONS_PER_SECOND);
    }

    /** The node starts to stop, holding {@code connections}: the spread from now on; returns it. */
    long stopping(int connections) {
        spread = configuredSpread > 0 ? configuredSpread : defaultSpread(connections);
        return spread;
    }

    /** For a connection closed with 1013: 5 s plus a random share of 5 s more. */
    Outbound.Reconnect busy() {
        return new Outbound.Reconnect(BUSY_MILLIS + ThreadLocalRandom.current().nextLong(BUSY_MILLIS));
    }

    /** For a connection closed with 1001: 500 ms plus a random point of the spread. */
    Outbound.Reconnect shuttingDown() {
        return new Outbound.Reconnect(SHUTDOWN_MILLIS + ThreadLocalRandom.current().nextLong(spread));
    }
}
