package dev.parley.broker;

import dev.parley.config.ClusterConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connections of a {@link RedisBroker} (Lettuce: one shared connection for commands,
 * one for subscriptions, both reconnecting by themselves), and whether Redis answers: it
 * is away from the first failure (one log line) until the heartbeat finds it back, and
 * meanwhile a call that needs an answer fails at once with {@link BrokerException}.
 */
final class RedisLink {
    private static final Logger LOG = Logger.getLogger(RedisBroker.class.getName());
    /** Lettuce logs every reconnect attempt; Parley says once that Redis went and once that it came back. */
    private static final Logger LETTUCE_RECONNECTS = Logger.getLogger("io.lettuce.core.protocol.ConnectionWatchdog");
    /** How long a call waits for Redis, and the longest pause between reconnect attempts. */
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ClusterConfig config;
    private final String nodeChannel;
    private final RedisPubSubListener<String, String> channels;
    private final ClientResources resources;
    private final RedisClient client;
    // null until the first connection is made (Redis may be away at start-up); then kept, Lettuce reconnects them
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile RedisCommands<String, String> redis;
    private volatile StatefulRedisPubSubConnection<String, String> subscriptions;
    private volatile boolean away;
    private volatile boolean closing;

    /**
     * Sets the client up; {@link #connect} makes the connections.
     *
     * @param nodeChannel the channel subscribed as soon as the connections are made (the relay's)
     * @param channels    hears the messages of every channel subscribed
     * @param reconnected runs when a connection is made again (Lettuce reconnected it)
     */
    RedisLink(ClusterConfig config, String nodeChannel, RedisPubSubListener<String, String> channels,
            Runnable reconnected) {
        this.config = config;
        this.nodeChannel = nodeChannel;
        this.channels = channels;
        LETTUCE_RECONNECTS.setLevel(Level.WARNING);
        // a reconnect at most a second after the last try: a node notices Redis' return within about a second
        resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), TIMEOUT, 2, TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, RedisURI.create(config.redisUrl()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).keepAlive(true).build())
                .build());
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> lost) {
                goneAway("the connection was lost");
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> made, SocketAddress address) {
                reconnected.run();
            }
        });
    }

    /** Whether the connections were made (they may have been lost since: Lettuce makes them again). */
    boolean connected() {
        return connection != null;
    }

    /** Makes the two connections, once; false (and away) if Redis cannot be reached now. */
    boolean connect() {
        StatefulRedisConnection<String, String> made = null;
        try {
            made = client.connect();
            StatefulRedisPubSubConnection<String, String> events = client.connectPubSub();
            events.addListener(channels);
            subscriptions = events;
            events.sync().subscribe(nodeChannel); // forwarded requests of the HTTP transport (Lettuce renews it)
            redis = made.sync();
            connection = made; // last: the heartbeat takes a connection as the sign that both are made
            return true;
        } catch (RuntimeException e) {
            if (made != null) {
                made.closeAsync();
            }
            goneAway("cannot connect: " + rootMessage(e));
            return false;
        }
    }

    /** Commands that wait for their answer (for at most {@link #TIMEOUT}). */
    RedisCommands<String, String> sync() {
        return redis;
    }

    /** Commands that answer later. */
    RedisAsyncCommands<String, String> async() {
        return connection.async();
    }

    /** Subscribing and unsubscribing. */
    RedisPubSubAsyncCommands<String, String> subscriptions() {
        return subscriptions.async();
    }

    /** Whether events flow (the subscriptions' connection is up). */
    boolean subscribing() {
        return subscriptions.isOpen();
    }

    /** Whether Redis is away: a heartbeat failed, or a connection was lost, and no heartbeat has worked since. */
    boolean away() {
        return away;
    }

    /** Redis went (a heartbeat failed, or a connection was lost): said once, until it is back. */
    synchronized void goneAway(String why) {
        if (!away && !closing) {
            away = true;
            LOG.warning(() -> "Redis at " + config.describeUrl() + " is not answering (" + why
                    + "): joins get \"unavailable\"; messages are stored and delivered on this node, and reach the"
                    + " other nodes when it is back");
        }
    }

    /** A heartbeat worked again, and this node's members are written again. */
    void back() {
        away = false;
    }

    /** A call that needs an answer: at once a BrokerException while Redis is away, else the answer or one. */
    <T> T call(Supplier<T> command) {
        if (away) {
            throw new BrokerException("Redis is not answering", null);
        }
        try {
            return command.get();
        } catch (BrokerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BrokerException("Redis: " + rootMessage(e), e);
        }
    }

    /** The node is leaving: a connection lost from now on is not news. */
    void closing() {
        closing = true;
    }

    /** Closes the connections and the client. */
    void close() {
        if (connection != null) {
            subscriptions.close();
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
