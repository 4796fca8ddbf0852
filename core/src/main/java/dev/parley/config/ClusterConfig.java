package dev.parley.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Cluster mode: nodes sharing one database and one Redis are one chat.
 *
 * @param redisUrl    {@code PARLEY_REDIS_URL}: redis://[user:password@]host:port[/db], rediss:// for TLS;
 *                    null (unset) for one node alone
 * @param nodeId      {@code PARLEY_NODE_ID}: this node's name in the cluster; by default host name, pid and a
 *                    random part
 * @param presenceTtl {@code PARLEY_PRESENCE_TTL}: a node that has not said it is alive for this long is gone,
 *                    and its members leave
 * @param name        {@code PARLEY_CLUSTER_NAME}: the prefix of the cluster's Redis keys and channels, so
 *                    that two deployments can share one Redis
 */
public record ClusterConfig(String redisUrl, String nodeId, Duration presenceTtl, String name) {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public boolean enabled() {
        return redisUrl != null;
    }

    static ClusterConfig from(Settings s) {
        String url = s.optional("PARLEY_REDIS_URL");
        if (url != null && url.isBlank()) {
            url = null;
        }
        if (url != null && !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
            throw new ConfigException("PARLEY_REDIS_URL must start with redis:// or rediss://");
        }
        String nodeId = s.text("PARLEY_NODE_ID", defaultNodeId());
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new ConfigException("PARLEY_NODE_ID must be 1 to 64 of A-Z a-z 0-9 . _ -, not \"" + nodeId + "\"");
        }
        String name = s.text("PARLEY_CLUSTER_NAME", "parley");
        if (!NODE_ID.matcher(name).matches()) {
            throw new ConfigException("PARLEY_CLUSTER_NAME must be 1 to 64 of A-Z a-z 0-9 . _ -, not \"" + name + "\"");
        }
        return new ClusterConfig(url == null ? null : url.strip(), nodeId,
                Duration.ofSeconds(s.integer("PARLEY_PRESENCE_TTL", 15, 2, 3600)), name);
    }

    /** host-pid-random: unique even for two nodes started on one host with one pid (containers). */
    static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | RuntimeException e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9.-]", "").replaceAll("^(.{0,40}).*$", "$1");
        long pid = ProcessHandle.current().pid();
        String random = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0x100000));
        return (host.isEmpty() ? "node" : host) + "-" + pid + "-" + random;
    }

    /** The URL without its password, for logs. */
    public String describeUrl() {
        return redisUrl == null ? null : redisUrl.replaceAll("//([^@/]*):[^@/]*@", "//$1:***@");
    }
}
