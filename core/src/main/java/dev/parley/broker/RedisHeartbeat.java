package dev.parley.broker;

import dev.parley.config.ClusterConfig;
import dev.parley.metrics.Meters;
import io.lettuce.core.ScriptOutputType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The liveness of a {@link RedisBroker}'s node, and the reaper of the others: every fifth
 * of PARLEY_PRESENCE_TTL (on the {@code parley-heartbeat} thread) it renews this node,
 * reaps the nodes whose liveness ran out (their members leave, and this node tells the
 * rooms), and notices Redis going away and coming back.
 */
final class RedisHeartbeat {
    private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());

    private final RedisLink link;
    private final RedisPresence presence;
    private final RedisEvents events;
    private final ClusterConfig config;
    private final String prefix;
    private final String node;
    private final Meters meters;
    private volatile ScheduledExecutorService beats; // null until start() has made it
    private Set<String> nodes = Set.of(); // heartbeat thread only: the live nodes at the last heartbeat

    RedisHeartbeat(RedisLink link, RedisPresence presence, RedisEvents events, ClusterConfig config, Meters meters) {
        this.link = link;
        this.presence = presence;
        this.events = events;
        this.config = config;
        this.prefix = config.name();
        this.node = config.nodeId();
        this.meters = meters;
    }

    /** Connects and beats once, here; then beats on its own thread (which connects if Redis was away). */
    void start() {
        if (link.connect()) {
            beat();
        }
        ScheduledExecutorService made = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "parley-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        beats = made;
        long period = Math.max(500, config.presenceTtl().toMillis() / 5);
        made.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /** A connection was made again: if Redis was away, a beat at once (a restarted Redis has forgotten this node). */
    void reconnected() {
        ScheduledExecutorService to = beats;
        if (to != null && link.away()) {
            to.execute(this::beat);
        }
    }

    void stop() {
        beats.shutdownNow();
    }

    /**
     * Renews this node, reaps the dead ones, and when a node has died (whoever reaped
     * it) has every room read the store: the dead node may have committed messages it
     * never published.
     */
    private void beat() {
        if (!link.connected() && !link.connect()) {
            return; // away since start-up: tried again at the next heartbeat
        }
        try {
            List<Object> answer = link.sync().eval(RedisScripts.HEARTBEAT, ScriptOutputType.MULTI, new String[0], prefix,
                    node, String.valueOf(config.presenceTtl().toMillis()));
            if (link.away()) {
                if (!link.subscribing()) {
                    return; // back only when events flow again too
                }
                back();
            }
            long now = ((Number) answer.get(0)).longValue();
            Set<String> alive = new HashSet<>();
            for (int i = 1; i + 1 < answer.size(); i += 2) {
                String other = String.valueOf(answer.get(i));
                if (Double.parseDouble(String.valueOf(answer.get(i + 1))) > now || other.equals(node)) {
                    alive.add(other);
                } else {
                    reap(other);
                }
            }
            boolean someoneDied = !alive.containsAll(nodes);
            nodes = alive;
            if (someoneDied) {
                events.tellResync();
            }
        } catch (RuntimeException e) {
            link.goneAway(RedisLink.rootMessage(e));
        }
    }

    /** Redis answers again: this node's members written again, every room reads what it missed. */
    private void back() {
        List<Object> removed = presence.restore();
        events.unsubscribeLeftWhileAway();
        link.back();
        LOG.info(() -> "Redis at " + config.describeUrl() + " is back: presence restored, rooms catching up from the store");
        events.tellLeft(removed);
        events.tellBack();
    }

    private void reap(String dead) {
        List<Object> removed = link.sync().eval(RedisScripts.REAP, ScriptOutputType.MULTI, new String[0], prefix, dead);
        if (!removed.isEmpty()) {
            meters.presenceExpired();
            LOG.info(() -> "Node " + dead + " stopped answering; its " + removed.size() / 3 + " member(s) left");
        }
        events.tellLeft(removed);
    }
}
