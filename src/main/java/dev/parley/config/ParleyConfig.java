package dev.parley.config;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Parley's settings. Each is an environment variable ({@code PARLEY_PORT}) with a
 * system-property twin ({@code parley.port}); the system property wins when both are set.
 *
 * @param host          bind address of the standalone server
 * @param port          port of the standalone server; 0 picks a free one
 * @param maxFrameBytes largest text frame accepted, in UTF-8 bytes; larger ones close with 1009
 * @param idleTimeout   a connection that sends no frame for this long is closed
 * @param sendQueue     frames queued for one connection before it is closed as a slow consumer
 * @param recoveryCap   most messages a reconnecting client gets back with {@code since}
 * @param rateLimit     frames per second one connection may send on average, in bursts of
 *                      {@link #BURST_SECONDS} seconds' worth; 0 for no limit
 * @param store         where history is kept
 */
public record ParleyConfig(String host, int port, int maxFrameBytes, Duration idleTimeout, int sendQueue,
                           int recoveryCap, int rateLimit, StoreConfig store) {

    public static final int MIN_RECOVERY_CAP = 1000;
    public static final int BURST_SECONDS = 5;

    public static ParleyConfig defaults() {
        return from(name -> null, name -> null);
    }

    /** From this process's environment and system properties. */
    public static ParleyConfig fromEnvironment() {
        Map<String, String> env = System.getenv();
        return from(env::get, System::getProperty);
    }

    /**
     * @param env        environment variable by name
     * @param properties system property by name
     * @throws ConfigException naming the first setting that is unparsable or out of range
     */
    public static ParleyConfig from(UnaryOperator<String> env, UnaryOperator<String> properties) {
        Settings s = new Settings(env, properties);
        return new ParleyConfig(
                s.text("PARLEY_HOST", "0.0.0.0"),
                s.integer("PARLEY_PORT", 8080, 0, 65535),
                s.integer("PARLEY_MAX_FRAME", 16384, 1024, 16 * 1024 * 1024),
                Duration.ofSeconds(s.integer("PARLEY_IDLE_TIMEOUT", 60, 1, 86400)),
                s.integer("PARLEY_SEND_QUEUE", 1000, 1, 1_000_000),
                s.integer("PARLEY_RECOVERY_CAP", MIN_RECOVERY_CAP, MIN_RECOVERY_CAP, 1_000_000),
                s.integer("PARLEY_RATE_LIMIT", 20, 0, 100_000),
                StoreConfig.from(s));
    }

    /** One line for the start-up log. */
    public String describeLimits() {
        return "max frame " + maxFrameBytes + " B, idle timeout " + idleTimeout.toSeconds() + " s, send queue "
                + sendQueue + " frames, recovery cap " + recoveryCap + ", rate limit "
                + (rateLimit == 0 ? "off" : rateLimit + " frames/s");
    }
}
