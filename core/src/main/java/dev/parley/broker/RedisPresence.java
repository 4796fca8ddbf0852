package dev.parley.broker;

import dev.parley.broker.Broker.Claim;
import dev.parley.broker.Broker.Names;
import dev.parley.config.ClusterConfig;
import dev.parley.protocol.Outbound;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in which room, across the nodes of a {@link RedisBroker}: the claims and releases
 * of this node's connections (each a Lua script, {@link RedisScripts}), and what this node
 * holds, which Redis is repaired to when it is back ({@link #restore}) and which goes when
 * the node leaves ({@link #leave}).
 */
final class RedisPresence {
    private final RedisLink link;
    private final ClusterConfig config;
    private final String prefix;
    private final String node;
    private final boolean sharedNames;
    /** What this node holds, "room\nuser" to its connections: the truth Redis is repaired to when it is back. */
    private final Map<String, Integer> held = new ConcurrentHashMap<>();

    /** @param sharedNames identity on: a user may hold several connections in a room, on any nodes */
    RedisPresence(RedisLink link, ClusterConfig config, boolean sharedNames) {
        this.link = link;
        this.config = config;
        this.prefix = config.name();
        this.node = config.nodeId();
        this.sharedNames = sharedNames;
    }

    /** As {@link Broker#claim(String, String, String, String)}. */
    Claim claim(String room, String user, String key, String presented, int names) {
        List<Object> answer = link.call(() -> link.sync().eval(RedisScripts.CLAIM, ScriptOutputType.MULTI, new String[0],
                prefix, room, user, node, sharedNames ? "1" : "0", key == null ? "" : key,
                presented == null ? "" : presented, String.valueOf(names == Integer.MAX_VALUE ? -1 : names)));
        if (((Number) answer.get(0)).intValue() == 0) {
            return Claim.TAKEN;
        }
        held.merge(entry(room, user), 1, Integer::sum);
        List<String> users = new ArrayList<>(answer.size() - 4);
        for (int i = 4; i < answer.size(); i++) {
            users.add(String.valueOf(answer.get(i)));
        }
        return new Claim(false, users, ((Number) answer.get(1)).intValue(), ((Number) answer.get(2)).intValue() == 1,
                ((Number) answer.get(3)).intValue() == 1);
    }

    /** As {@link Broker#release}. */
    CompletionStage<Integer> release(String room, String user) {
        held.computeIfPresent(entry(room, user), (entry, connections) -> connections > 1 ? connections - 1 : null);
        if (link.away()) {
            return CompletableFuture.failedStage(new BrokerException("Redis is away", null));
        }
        return link.async()
                .<Long>eval(RedisScripts.RELEASE, ScriptOutputType.INTEGER, new String[0], prefix, room, user, node)
                .thenApply(Long::intValue);
    }

    /** As {@link Broker#heldElsewhere}. */
    boolean heldElsewhere(String room, String user) {
        String holders = link.call(() -> link.sync().hget(prefix + ":members:" + room, user));
        if (holders != null) {
            for (String holder : holders.split(" ")) {
                if (!holder.equals(node)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** As {@link Broker#members(String)}: the room's sorted set of names. */
    List<String> members(String room) {
        List<Object> answer = link.call(() -> link.sync().eval(RedisScripts.NAMES, ScriptOutputType.MULTI,
                new String[0], prefix, room, "", "-1"));
        return answer.stream().skip(1).map(String::valueOf).toList();
    }

    /** As {@link Broker#members(String, String, int)}: a page of the sorted set, and the count. */
    Names members(String room, String after, int limit) {
        List<Object> answer = link.call(() -> link.sync().eval(RedisScripts.NAMES, ScriptOutputType.MULTI,
                new String[0], prefix, room, after == null ? "" : after, String.valueOf(limit + 1)));
        List<String> page = answer.stream().skip(1).map(String::valueOf).toList();
        boolean more = page.size() > limit;
        return new Names(more ? page.subList(0, limit) : page, ((Number) answer.get(0)).intValue(), more);
    }

    /** As {@link Broker#occupancy}. */
    List<Outbound.RoomCount> occupancy() {
        Map<String, String> rooms = link.call(() -> link.sync().hgetall(prefix + ":rooms"));
        List<Outbound.RoomCount> counts = new ArrayList<>(rooms.size());
        new TreeMap<>(rooms).forEach((room, count) -> counts.add(new Outbound.RoomCount(room, Integer.parseInt(count))));
        return counts;
    }

    /**
     * Redis answers again: writes this node (its liveness) and what it holds again, and
     * removes what Redis has of it that it no longer holds. Returns what was removed:
     * {room, user, count, ...} of the users who left.
     */
    List<Object> restore() {
        List<String> args = new ArrayList<>(held.size() + 4);
        args.add(prefix);
        args.add(node);
        args.add(String.valueOf(config.presenceTtl().toMillis()));
        args.add(sharedNames ? "1" : "0");
        held.forEach((entry, connections) -> args.add(entry + "\n" + connections));
        return link.sync().eval(RedisScripts.RESTORE, ScriptOutputType.MULTI, new String[0], args.toArray(new String[0]));
    }

    /** This node leaves the cluster: everything it holds goes. Returns what was removed, as {@link #restore}. */
    List<Object> leave() {
        held.clear();
        return link.sync().eval(RedisScripts.LEAVE, ScriptOutputType.MULTI, new String[0], prefix, node);
    }

    private static String entry(String room, String user) {
        return room + "\n" + user;
    }
}
