package dev.parley.config;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Parley's settings. Each is an environment variable ({@code PARLEY_PORT}) with a
 * system-property twin ({@code parley.port}); the system property wins when both are set.
 *
 * @param host          bind address of the standalone server
 * @param port          port of the standalone server; 0 picks a free one
 * @param maxFrameBytes largest text frame accepted, in UTF-8 bytes; larger ones close with 1009
 * @param idleTimeout   a connection that sends no frame for this long is closed
 * @param sendQueue     frames queued for one connection before it is closed as a slow consumer
 * @param sendBuffer    bytes of frames queued for one connection (their size in memory) before it
 *                      is closed as a slow consumer
 * @param recoveryCap   most messages a reconnecting client gets back with {@code since}
 * @param rateLimit     frames per second one connection may send on average, in bursts of
 *                      {@link #BURST_SECONDS} seconds' worth; 0 for no limit
 * @param requestTimeout standalone: an HTTP request (a WebSocket handshake too) must arrive whole
 *                      within this, and an idle keep-alive connection is closed after it
 * @param allowedOrigins which browser pages may open a chat socket
 * @param maxConnections   chat connections this node holds at most; beyond it 1013
 * @param maxConnectionsPerIp chat connections from one address at most, 0 for no limit; beyond it 1013
 * @param store         where history is kept
 * @param cluster       the cluster this node belongs to, if any
 * @param jsonLogs      standalone: log records as JSON lines (PARLEY_LOG_FORMAT=json), for log shippers
 * @param ops           metrics, health and the admin view
 * @param identity      who users are: off, or tokens that name them
 * @param tls           standalone: the key and certificate for https and wss, or null for plain http
 * @param portableSends  WebSocket frames go out through the portable {@code RemoteEndpoint.Async} only
 *                      ({@code PARLEY_WEBSOCKET_SEND=portable}), never the container's fast path
 * @param trustedProxies whose {@code Forwarded} and {@code X-Forwarded-*} headers name the client
 *                      ({@link Forwarding}); none by default
 * @param api           the server API for the application behind Parley
 * @param presenceLimit  a room with more users than this (over every node) is large: its presence
 *                      is coalesced into {@code presence} frames and its {@code welcome} names a
 *                      page of its users (docs/PROTOCOL.md, "Large rooms"); 0 for never
 * @param ownWebSocket  standalone: Parley's own WebSocket on Grizzly serves {@code /chat/{room}}
 *                      ({@code PARLEY_WEBSOCKET_ENGINE=parley}, the default), not Tyrus ({@code tyrus})
 */
public record ParleyConfig(String host, int port, int maxFrameBytes, Duration idleTimeout, int sendQueue,
                           int sendBuffer, int recoveryCap, int rateLimit, Duration requestTimeout,
                           AllowedOrigins allowedOrigins, int maxConnections, int maxConnectionsPerIp,
                           StoreConfig store, ClusterConfig cluster, boolean jsonLogs, OpsConfig ops,
                           IdentityConfig identity, TlsConfig tls, boolean portableSends,
                           TrustedProxies trustedProxies, ApiConfig api, int presenceLimit, boolean ownWebSocket) {

    public static final int MIN_RECOVERY_CAP = 1000;
    public static final int DEFAULT_PRESENCE_LIMIT = 200;
    public static final int BURST_SECONDS = 5;
    public static final int DEFAULT_SEND_BUFFER = 1024 * 1024;
    /** Where the descriptor limit cannot be read (not a Unix JVM). */
    static final int FALLBACK_MAX_CONNECTIONS = 10_000;

    public static ParleyConfig defaults() {
        return from(name -> null, name -> null);
    }

    /** From this process's environment and system properties. */
    public static ParleyConfig fromEnvironment() {
        return fromEnvironment(new Properties());
    }

    /**
     * From this process's environment and system properties, over a deployment's own
     * settings ({@code PARLEY_*} names, as a WAR's {@code WEB-INF/classes/parley.properties}
     * has them): what the server's environment sets wins.
     */
    public static ParleyConfig fromEnvironment(Properties deployment) {
        Map<String, String> env = System.getenv();
        return from(name -> env.getOrDefault(name, deployment.getProperty(name)), System::getProperty);
    }

    /**
     * @param env        environment variable by name
     * @param properties system property by name
     * @throws ConfigException naming the first setting that is unparsable or out of range
     */
    public static ParleyConfig from(UnaryOperator<String> env, UnaryOperator<String> properties) {
        Settings s = new Settings(env, properties);
        StoreConfig store = StoreConfig.from(s);
        return new ParleyConfig(
                s.text("PARLEY_HOST", "0.0.0.0"),
                s.integer("PARLEY_PORT", 8080, 0, 65535),
                s.integer("PARLEY_MAX_FRAME", 16384, 1024, 16 * 1024 * 1024),
                Duration.ofSeconds(s.integer("PARLEY_IDLE_TIMEOUT", 60, 1, 86400)),
                s.integer("PARLEY_SEND_QUEUE", 1000, 1, 1_000_000),
                s.integer("PARLEY_SEND_BUFFER", DEFAULT_SEND_BUFFER, 16 * 1024, 1024 * 1024 * 1024),
                s.integer("PARLEY_RECOVERY_CAP", MIN_RECOVERY_CAP, MIN_RECOVERY_CAP, 1_000_000),
                s.integer("PARLEY_RATE_LIMIT", 20, 0, 100_000),
                Duration.ofSeconds(s.integer("PARLEY_REQUEST_TIMEOUT", 10, 1, 3600)),
                s.origins("PARLEY_ALLOWED_ORIGINS"),
                s.integer("PARLEY_MAX_CONNECTIONS", defaultMaxConnections(), 1, 10_000_000),
                s.integer("PARLEY_MAX_CONNECTIONS_PER_IP", 0, 0, 10_000_000),
                store,
                clusterOf(s, store),
                s.choice("PARLEY_LOG_FORMAT", "text", "text", "json").equals("json"),
                OpsConfig.from(s),
                IdentityConfig.from(s),
                TlsConfig.from(s),
                s.choice("PARLEY_WEBSOCKET_SEND", "fast", "fast", "portable").equals("portable"),
                s.trustedProxies("PARLEY_TRUSTED_PROXIES"),
                ApiConfig.from(s),
                s.integer("PARLEY_PRESENCE_LIMIT", DEFAULT_PRESENCE_LIMIT, 0, 10_000_000),
                s.choice("PARLEY_WEBSOCKET_ENGINE", "parley", "parley", "tyrus").equals("parley"));
    }

    /** Whether a room of {@code users} (over every node) is large. */
    public boolean large(int users) {
        return presenceLimit > 0 && users > presenceLimit;
    }

    /** Cluster mode's settings, checked against the store: the nodes must share a database. */
    private static ClusterConfig clusterOf(Settings s, StoreConfig store) {
        ClusterConfig cluster = ClusterConfig.from(s);
        if (cluster.enabled() && store.kind() == StoreConfig.Kind.MEMORY) {
            throw new ConfigException("Cluster mode (PARLEY_REDIS_URL) needs PARLEY_STORE=jdbc on a database"
                    + " the nodes share (PostgreSQL), not the memory store");
        }
        return cluster;
    }

    /**
     * What this process can hold: its descriptor limit less a tenth (at least 256) for
     * everything else a server opens (database connections, jars, logs, HTTP requests).
     */
    static int defaultMaxConnections() {
        long descriptors = descriptorLimit();
        if (descriptors > 0) {
            long reserve = Math.max(256, descriptors / 10);
            return (int) Math.max(1, Math.min(10_000_000, descriptors - reserve));
        }
        return FALLBACK_MAX_CONNECTIONS;
    }

    /**
     * This process's descriptor limit, or 0 where the JVM cannot tell. Read as the platform
     * MBean's attribute rather than through {@code com.sun.management}, which an
     * application server's module system may hide from a deployment (WildFly does).
     */
    public static long descriptorLimit() {
        try {
            Object limit = ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName("java.lang:type=OperatingSystem"), "MaxFileDescriptorCount");
            return limit instanceof Number ? ((Number) limit).longValue() : 0;
        } catch (JMException | RuntimeException e) {
            return 0;
        }
    }

    /** Who a request came from and where it was sent, by these settings' trusted proxies. */
    public Forwarding forwarding(String peer, String host, UnaryOperator<String> headers) {
        return Forwarding.of(trustedProxies, peer, host, headers);
    }

    /** One line for the start-up log. */
    public String describeLimits() {
        long descriptors = descriptorLimit();
        return "max frame " + maxFrameBytes + " B, idle timeout " + idleTimeout.toSeconds() + " s, send queue "
                + sendQueue + " frames or " + sendBuffer / 1024 + " KiB, recovery cap " + recoveryCap + ", rate limit "
                + (rateLimit == 0 ? "off" : rateLimit + " frames/s") + ", connections at most " + maxConnections
                + (descriptors > 0 ? " (this process may open " + descriptors + " descriptors)" : "")
                + (maxConnectionsPerIp == 0 ? "" : " (" + maxConnectionsPerIp + " per address)")
                + (presenceLimit == 0 ? ", presence per member" : ", presence coalesced above " + presenceLimit + " users")
                + ", origins: " + allowedOrigins;
    }
}
