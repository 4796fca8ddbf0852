package dev.parley.support;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Parley in cluster mode for one test class: {@code size} standalone nodes, each its own
 * process, sharing one fresh PostgreSQL database and one Redis (the test's, or the
 * machine's at 127.0.0.1:6379), under a cluster name of their own so that clusters
 * sharing a Redis never see each other. Node {@code i} (from 1) has PARLEY_NODE_ID
 * {@code node-i}. The nodes start together and are awaited one by one.
 */
public final class ParleyCluster implements BeforeAllCallback, AfterAllCallback {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int size;
    private final String redisUrl; // null: the machine's
    private final Map<String, String> settings;
    private final String clusterName = "t" + Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    private final List<ParleyNode> nodes = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private TestDatabase database;
    private int databasePort; // 0: PostgreSQL's own

    /** The nodes reach PostgreSQL through {@code port} on loopback (a {@link TcpProxy}), not directly. */
    public ParleyCluster databaseThrough(int port) {
        this.databasePort = port;
        return this;
    }
    private String redis;

    /** {@code size} nodes on the machine's Redis. */
    public ParleyCluster(int size) {
        this(size, null, Map.of());
    }

    /** @param settings PARLEY_* variables for every node, over the cluster's own */
    public ParleyCluster(int size, Map<String, String> settings) {
        this(size, null, settings);
    }

    /**
     * @param redisUrl the Redis the nodes share ({@code redis://host:port}), or null for the machine's
     * @param settings PARLEY_* variables for every node, over the cluster's own
     */
    public ParleyCluster(int size, String redisUrl, Map<String, String> settings) {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster of " + size);
        }
        this.size = size;
        this.redisUrl = redisUrl;
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Makes the database, then starts every node and waits until each listens. */
    public void start() {
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("cluster " + clusterName + " is running");
        }
        redis = redisUrl != null ? redisUrl : RedisServer.machineRedisUrl();
        database = TestDatabase.create();
        try {
            for (int i = 1; i <= size; i++) {
                Map<String, String> node = new HashMap<>();
                node.put("PARLEY_STORE", "jdbc");
                node.put("PARLEY_JDBC_URL", databasePort == 0 ? database.jdbcUrl()
                        : database.jdbcUrl().replace("//127.0.0.1:5432/", "//127.0.0.1:" + databasePort + "/"));
                node.put("PARLEY_JDBC_USER", database.user());
                node.put("PARLEY_REDIS_URL", redis);
                node.put("PARLEY_NODE_ID", "node-" + i);
                node.put("PARLEY_CLUSTER_NAME", clusterName);
                node.putAll(settings);
                nodes.add(new ParleyNode("node-" + i, node));
            }
            nodes.forEach(ParleyNode::launch);
            nodes.forEach(ParleyNode::awaitListening);
        } catch (RuntimeException | Error failed) {
            stop();
            throw failed;
        }
    }

    /** Stops every node (SIGTERM to all, each killed after 30 s) and drops the database. */
    public void stop() {
        nodes.forEach(ParleyNode::terminate);
        AssertionError failed = null;
        for (ParleyNode node : nodes) {
            try {
                node.stop();
            } catch (AssertionError e) {
                failed = failed == null ? e : failed;
            }
        }
        nodes.clear();
        if (database != null) {
            database.drop();
            database = null;
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Node {@code i}, counted from 1: {@code node(1)} is node-1. */
    public ParleyNode node(int i) {
        if (i < 1 || i > nodes.size()) {
            throw new IndexOutOfBoundsException("no node " + i + " in a cluster of " + nodes.size());
        }
        return nodes.get(i - 1);
    }

    public List<ParleyNode> nodes() {
        return List.copyOf(nodes);
    }

    /** The room on the next live node, round robin, so that clients spread over the cluster. */
    public URI chatUri(String room) {
        List<ParleyNode> live = nodes.stream().filter(ParleyNode::isAlive).toList();
        if (live.isEmpty()) {
            throw new IllegalStateException("no node of cluster " + clusterName + " is running");
        }
        return live.get(Math.floorMod(next.getAndIncrement(), live.size())).chatUri(room);
    }

    /** PARLEY_CLUSTER_NAME of its nodes. */
    public String clusterName() {
        return clusterName;
    }

    public String redisUrl() {
        return redis;
    }

    public String jdbcUrl() {
        return database.jdbcUrl();
    }
}
