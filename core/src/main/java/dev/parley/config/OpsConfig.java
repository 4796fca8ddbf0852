package dev.parley.config;

import java.time.Duration;

/**
 * Operating a node: its stop, and who may read its metrics and use its admin view.
 *
 * @param shutdownGrace {@code PARLEY_SHUTDOWN_GRACE}: standalone, a stopping node with connections reports
 *                      not ready for this long before it closes them with 1001, so that a load balancer
 *                      has stopped sending it new ones
 * @param metricsToken  {@code PARLEY_METRICS_TOKEN}: if set, {@code /metrics} answers only a request with
 *                      {@code Authorization: Bearer <token>}; unset, anyone who reaches it may scrape
 * @param adminToken    {@code PARLEY_ADMIN_TOKEN}: the admin view's token; unset, the admin view is off
 * @param shutdownSpread {@code PARLEY_SHUTDOWN_SPREAD}: a node that stops tells its members to come back
 *                      over 500 ms plus this long, each at a random point of it (their {@code reconnect}
 *                      frame); {@link Duration#ZERO} when unset: a second per 2,000 connections the node then
 *                      holds, at least a second
 */
public record OpsConfig(Duration shutdownGrace, String metricsToken, String adminToken, Duration shutdownSpread) {
    /** Shorter tokens are refused at start-up: a guessable token is worse than none. */
    static final int MIN_TOKEN = 16;

    public OpsConfig(Duration shutdownGrace, String metricsToken, String adminToken) {
        this(shutdownGrace, metricsToken, adminToken, Duration.ZERO);
    }

    static OpsConfig from(Settings s) {
        return new OpsConfig(Duration.ofSeconds(s.integer("PARLEY_SHUTDOWN_GRACE", 5, 0, 300)),
                token(s, "PARLEY_METRICS_TOKEN"), token(s, "PARLEY_ADMIN_TOKEN"),
                Duration.ofMillis(s.integer("PARLEY_SHUTDOWN_SPREAD", 0, 1, 3_600_000)));
    }

    private static String token(Settings s, String variable) {
        String token = s.optional(variable);
        if (token == null || token.isEmpty()) {
            return null;
        }
        if (token.length() < MIN_TOKEN || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ConfigException(variable + " must be at least " + MIN_TOKEN
                    + " printable ASCII characters without spaces (openssl rand -hex 24 makes one)");
        }
        return token;
    }

    @Override
    public String toString() { // never the tokens themselves
        return "OpsConfig[shutdownGrace=" + shutdownGrace + ", metricsToken=" + (metricsToken == null ? "unset" : "set")
                + ", adminToken=" + (adminToken == null ? "unset" : "set") + ", shutdownSpread=" + shutdownSpread + "]";
    }
}
