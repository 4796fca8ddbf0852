package dev.parley.broker;

import dev.parley.config.ClusterConfig;
import dev.parley.metrics.Meters;
import dev.parley.protocol.Outbound;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A cluster through Redis, put together from one part per job: {@link RedisLink} (the
 * connections, and whether Redis answers), {@link RedisPresence} (claims, releases,
 * occupancy), {@link RedisEvents} (publishing, subscribing, what the {@link Listener}
 * hears), {@link RedisHeartbeat} (liveness, the reaper, Redis going and coming back) and
 * {@link RedisRelay} (the HTTP transport's forwarded requests). {@link RedisScripts} reads
 * the Lua scripts.
 *
 * <p>Keys, under the cluster's name {@code P}: {@code P:members:<room>} (hash: user to
 * the nodes holding it, one entry per connection, space separated: one node, once, unless
 * identity lets a user hold several connections), {@code P:rooms} (hash: room to member
 * count), {@code P:names:<room>} (sorted set of the same users, score 0: in code point
 * order, for pages of names), {@code P:resume:<room>} (hash: user to the key that takes its name back, gone
 * with the user), {@code P:node:<id>} (set of "room\nuser" the node holds), {@code P:nodes}
 * (sorted set: node to the time its liveness runs out, Redis' own clock). Claims,
 * releases and the reaping of a dead node are Lua scripts ({@link RedisScripts}), so
 * each is atomic. Events go out on {@code P:room:<room>}, forwarded requests on
 * {@code P:node:<id>}.
 *
 * <p>A heartbeat every fifth of PARLEY_PRESENCE_TTL renews this node's liveness and reaps
 * nodes whose liveness ran out: their members leave, and this node tells the rooms. A
 * heartbeat that fails marks Redis away (one log line): calls that need an answer fail
 * at once with {@link BrokerException} instead of waiting, and publishing stops, since
 * the store has everything. The first heartbeat that works again marks it back (one
 * line), writes this node's members again (Redis may have restarted empty, or missed
 * departures) and has every room read what it missed from the store.
 */
public final class RedisBroker implements Broker {
    private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());

    private final ClusterConfig config;
    private final String nodeChannel;
    private final RedisLink link;
    private final RedisPresence presence;
    private final RedisEvents events;
    private final RedisRelay relay;
    private final RedisHeartbeat heartbeat;

    /**
     * Connects to Redis and joins the cluster; if Redis cannot be reached now, starts away
     * (one WARNING line; joins answer {@code unavailable}) and keeps trying on the
     * heartbeat's schedule.
     *
     * @param sharedNames identity on: a user may hold several connections in a room, on any nodes
     */
    public RedisBroker(ClusterConfig config, boolean sharedNames, Meters meters) {
        this.config = config;
        this.nodeChannel = RedisRelay.channel(config.name(), config.nodeId());
        link = new RedisLink(config, nodeChannel, new Channels(), this::reconnected);
        presence = new RedisPresence(link, config, sharedNames);
        events = new RedisEvents(link, config.name(), config.nodeId(), meters);
        relay = new RedisRelay(link, config.name(), config.nodeId());
        heartbeat = new RedisHeartbeat(link, presence, events, config, meters);
        heartbeat.start();
    }

    /** Every channel's messages: this node's to the relay, the rooms' to the events. */
    private final class Channels extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String channel, String payload) {
            if (channel.equals(nodeChannel)) {
                relay.received(payload);
            } else {
                events.received(channel, payload);
            }
        }

        @Override
        public void subscribed(String channel, long count) {
            if (!channel.equals(nodeChannel)) {
                events.subscribed(channel);
            }
        }
    }

    /** The relay of this node, which shares the broker's connections: BrokerProducer makes it a bean. */
    Relay relay() {
        return relay;
    }

    private void reconnected() {
        heartbeat.reconnected();
    }

    @Override
    public void listen(Listener listener) {
        events.listen(listener);
    }

    @Override
    public Claim claim(String room, String user) {
        return claim(room, user, null, null);
    }

    @Override
    public Claim claim(String room, String user, String key, String presented) {
        return presence.claim(room, user, key, presented, Integer.MAX_VALUE);
    }

    @Override
    public Claim claim(String room, String user, String key, String presented, int names) {
        return presence.claim(room, user, key, presented, names);
    }

    @Override
    public CompletionStage<Integer> release(String room, String user) {
        return presence.release(room, user);
    }

    @Override
    public boolean heldElsewhere(String room, String user) {
        return presence.heldElsewhere(room, user);
    }

    @Override
    public List<String> members(String room) {
        return presence.members(room);
    }

    @Override
    public Names members(String room, String after, int limit) {
        return presence.members(room, after, limit);
    }

    @Override
    public List<Outbound.RoomCount> occupancy() {
        return presence.occupancy();
    }

    @Override
    public void subscribe(String room) {
        events.subscribe(room);
    }

    @Override
    public void unsubscribe(String room) {
        events.unsubscribe(room);
    }

    @Override
    public void publish(String room, Event event) {
        events.publish(room, event);
    }

    @Override
    public boolean available() {
        return !link.away();
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public String describe() {
        return "node " + config.nodeId() + " of \"" + config.name() + "\" through Redis at " + config.describeUrl()
                + ", presence TTL " + config.presenceTtl().toSeconds() + " s";
    }

    /** Leaves the cluster: this node's members are gone at once for the others, not after the TTL. */
    @Override
    public void close() {
        link.closing();
        heartbeat.stop();
        try {
            if (!link.away()) {
                events.tellLeft(presence.leave());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "leaving the cluster failed", e);
        } finally {
            link.close();
        }
    }
}
