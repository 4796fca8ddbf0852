package dev.parley.broker;

import dev.parley.broker.Broker.Listener;
import dev.parley.metrics.Meters;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The events of a {@link RedisBroker}: what this node publishes on {@code P:room:<room>}
 * ({@link BrokerWire}), what it receives there from the others, and what its
 * {@link Listener} hears (the events, and from the heartbeat: who left, what to read
 * again from the store, that Redis is back).
 */
final class RedisEvents {
    private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());

    private final RedisLink link;
    private final String node;
    private final String channelPrefix;
    private final Meters meters;
    /** Rooms unsubscribed while Redis was away: Lettuce subscribes its channels again on reconnect, back() undoes that. */
    private final Set<String> leftWhileAway = ConcurrentHashMap.newKeySet();
    private volatile Listener listener;

    RedisEvents(RedisLink link, String prefix, String node, Meters meters) {
        this.link = link;
        this.node = node;
        this.channelPrefix = prefix + ":room:";
        this.meters = meters;
    }

    void listen(Listener listener) {
        this.listener = listener;
    }

    /** As {@link Broker#subscribe}. */
    void subscribe(String room) {
        leftWhileAway.remove(room);
        link.call(() -> {
            try {
                link.subscriptions().subscribe(channelPrefix + room)
                        .get(RedisLink.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (ExecutionException | TimeoutException e) {
                throw new BrokerException("cannot subscribe to " + room + ": " + RedisLink.rootMessage(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerException("interrupted", e);
            }
        });
    }

    /** As {@link Broker#unsubscribe}. */
    void unsubscribe(String room) {
        if (link.away()) {
            leftWhileAway.add(room);
        } else {
            link.subscriptions().unsubscribe(channelPrefix + room);
        }
    }

    /** Redis is back, and Lettuce subscribed every channel again: those of rooms left meanwhile are dropped. */
    void unsubscribeLeftWhileAway() {
        for (String room : leftWhileAway) { // still away: no room subscribes meanwhile
            leftWhileAway.remove(room);
            link.subscriptions().unsubscribe(channelPrefix + room);
        }
    }

    /** As {@link Broker#publish}. */
    void publish(String room, Event event) {
        if (link.away()) {
            meters.publishFailed();
            return; // the others read it from the store when Redis is back
        }
        link.async().publish(channelPrefix + room, BrokerWire.write(node, event))
                .exceptionally(failure -> {
                    meters.publishFailed();
                    LOG.log(Level.FINE, "publish to {0} failed: {1}", new Object[] {room, failure.getMessage()});
                    return null;
                });
    }

    /** A message on a channel of a room. */
    void received(String channel, String payload) {
        Listener to = listener;
        if (to == null || !channel.startsWith(channelPrefix)) {
            return;
        }
        try {
            BrokerWire.Received received = BrokerWire.read(payload);
            if (!received.origin().equals(node)) { // this node delivered its own already
                to.event(channel.substring(channelPrefix.length()), received.event());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Ignoring an event on " + channel + " that is not Parley's", e);
        }
    }

    /** A room's channel was subscribed, also after a reconnect: what was published meanwhile is gone, the store has it. */
    void subscribed(String channel) {
        Listener to = listener;
        if (to != null) {
            to.resync(channel.substring(channelPrefix.length()));
        }
    }

    /** Some node died: every room reads the store, since it may have committed messages it never published. */
    void tellResync() {
        Listener to = listener;
        if (to != null) {
            to.resync(null);
        }
    }

    /** Tells the rooms who left with a node: {room, user, count, ...}, as the scripts answer. */
    void tellLeft(List<Object> removed) {
        Listener to = listener;
        for (int i = 0; to != null && i + 2 < removed.size(); i += 3) {
            to.left(String.valueOf(removed.get(i)), String.valueOf(removed.get(i + 1)),
                    ((Number) removed.get(i + 2)).intValue());
        }
    }

    /** Redis is back: every room reads what it missed, and tells the others how far it got. */
    void tellBack() {
        Listener to = listener;
        if (to != null) {
            to.back();
        }
    }
}
