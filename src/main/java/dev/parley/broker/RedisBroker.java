package dev.parley.broker;

import dev.parley.config.ClusterConfig;
import dev.parley.protocol.Outbound;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import dev.parley.metrics.Meters;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A cluster through Redis (Lettuce: one shared connection for commands, one for
 * subscriptions, both reconnecting by themselves).
 *
 * <p>Keys, under the cluster's name {@code P}: {@code P:members:<room>} (hash: user to
 * the nodes holding it, one entry per connection, space separated: one node, once, unless
 * identity lets a user hold several connections), {@code P:rooms} (hash: room to member
 * count), {@code P:resume:<room>} (hash: user to the key that takes its name back, gone
 * with the user), {@code P:node:<id>} (set of "room\nuser" the node holds), {@code P:nodes}
 * (sorted set: node to the time its liveness runs out, Redis' own clock). Claims,
 * releases and the reaping of a dead node are Lua scripts ({@link RedisScripts}), so
 * each is atomic. Events go out on {@code P:room:<room>}.
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
    /** Lettuce logs every reconnect attempt; Parley says once that Redis went and once that it came back. */
    private static final Logger LETTUCE_RECONNECTS = Logger.getLogger("io.lettuce.core.protocol.ConnectionWatchdog");
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ClusterConfig config;
    private final String prefix;
    private final String node;
    private final ClientResources resources;
    private final RedisClient client;
    // null until the first connection is made (Redis may be away at start-up); then kept, Lettuce reconnects them
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile RedisCommands<String, String> redis;
    private volatile StatefulRedisPubSubConnection<String, String> subscriptions;
    private volatile ScheduledExecutorService heartbeat; // null until the constructor has made it
    /** What this node holds, "room\nuser" to its connections: the truth Redis is repaired to when it is back. */
    private final Map<String, Integer> held = new ConcurrentHashMap<>();
    private final boolean sharedNames;
    /** Rooms unsubscribed while Redis was away: Lettuce subscribes its channels again on reconnect, back() undoes that. */
    private final Set<String> leftWhileAway = ConcurrentHashMap.newKeySet();
    private volatile Listener listener;
    private volatile Forwarded forwarded;
    /** Forwarded requests of this node waiting for their answers, by correlation number; bounded. */
    private final Map<Long, CompletableFuture<Integer>> forwarding = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong correlations = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean away;
    private final Meters meters;
    private volatile boolean closing;
    private Set<String> nodes = Set.of(); // heartbeat thread only: the live nodes at the last heartbeat

    /**
     * Connects to Redis and joins the cluster; if Redis cannot be reached now, starts away
     * (one WARNING line; joins answer {@code unavailable}) and keeps trying on the
     * heartbeat's schedule.
     *
     * @param sharedNames identity on: a user may hold several connections in a room, on any nodes
     */
    public RedisBroker(ClusterConfig config, boolean sharedNames, Meters meters) {
        this.config = config;
        this.sharedNames = sharedNames;
        this.meters = meters;
        this.prefix = config.name();
        this.node = config.nodeId();
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
                ScheduledExecutorService beats = heartbeat;
                if (beats != null && away) {
                    beats.execute(RedisBroker.this::beat); // back at once (a restarted Redis has forgotten this node)
                }
            }
        });
        if (connect()) {
            beat();
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "parley-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(500, config.presenceTtl().toMillis() / 5);
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /** Makes the two connections, once; false (and away) if Redis cannot be reached now. */
    private boolean connect() {
        StatefulRedisConnection<String, String> made = null;
        try {
            made = client.connect();
            StatefulRedisPubSubConnection<String, String> events = client.connectPubSub();
            events.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String payload) {
                    received(channel, payload);
                }

                @Override
                public void subscribed(String channel, long count) {
                    Listener to = listener;
                    if (to != null && !channel.equals(nodeChannel(node))) { // also after a reconnect: what was published meanwhile is gone, the store has it
                        to.resync(channel.substring(channelPrefix().length()));
                    }
                }
            });
            subscriptions = events;
            events.sync().subscribe(nodeChannel(node)); // forwarded requests of the HTTP transport (Lettuce renews it)
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

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    // ---- presence ----

    @Override
    public Claim claim(String room, String user) {
        return claim(room, user, null, null);
    }

    @Override
    public Claim claim(String room, String user, String key, String presented) {
        List<Object> answer = call(() -> redis.eval(RedisScripts.CLAIM, ScriptOutputType.MULTI, new String[0], prefix,
                room, user, node, sharedNames ? "1" : "0", key == null ? "" : key, presented == null ? "" : presented));
        if (((Number) answer.get(0)).intValue() == 0) {
            return Claim.TAKEN;
        }
        held.merge(entry(room, user), 1, Integer::sum);
        List<String> users = new ArrayList<>(answer.size() - 4);
        for (int i = 4; i < answer.size(); i++) {
            users.add(String.valueOf(answer.get(i)));
        }
        users.sort(null);
        return new Claim(false, users, ((Number) answer.get(1)).intValue(), ((Number) answer.get(2)).intValue() == 1,
                ((Number) answer.get(3)).intValue() == 1);
    }

    @Override
    public CompletionStage<Integer> release(String room, String user) {
        held.computeIfPresent(entry(room, user), (entry, connections) -> connections > 1 ? connections - 1 : null);
        if (away) {
            return CompletableFuture.failedStage(new BrokerException("Redis is away", null));
        }
        return connection.async()
                .<Long>eval(RedisScripts.RELEASE, ScriptOutputType.INTEGER, new String[0], prefix, room, user, node)
                .thenApply(Long::intValue);
    }

    @Override
    public boolean heldElsewhere(String room, String user) {
        String holders = call(() -> redis.hget(prefix + ":members:" + room, user));
        if (holders != null) {
            for (String holder : holders.split(" ")) {
                if (!holder.equals(node)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public List<Outbound.RoomCount> occupancy() {
        Map<String, String> rooms = call(() -> redis.hgetall(prefix + ":rooms"));
        List<Outbound.RoomCount> counts = new ArrayList<>(rooms.size());
        new TreeMap<>(rooms).forEach((room, count) -> counts.add(new Outbound.RoomCount(room, Integer.parseInt(count))));
        return counts;
    }

    // ---- events ----

    @Override
    public void subscribe(String room) {
        leftWhileAway.remove(room);
        call(() -> {
            try {
                subscriptions.async().subscribe(channelPrefix() + room).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return null;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new BrokerException("cannot subscribe to " + room + ": " + rootMessage(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerException("interrupted", e);
            }
        });
    }

    @Override
    public void unsubscribe(String room) {
        if (away) {
            leftWhileAway.add(room);
        } else {
            subscriptions.async().unsubscribe(channelPrefix() + room);
        }
    }

    @Override
    public boolean available() {
        return !away;
    }

    @Override
    public void publish(String room, Event event) {
        if (away) {
            meters.publishFailed();
            return; // the others read it from the store when Redis is back
        }
        connection.async().publish(channelPrefix() + room, BrokerWire.write(node, event))
                .exceptionally(failure -> {
                    meters.publishFailed();
                    LOG.log(Level.FINE, "publish to {0} failed: {1}", new Object[] {room, failure.getMessage()});
                    return null;
                });
    }

    // ---- forwarded requests of the HTTP transport ----

    /** At most this many forwarded requests of this node wait for answers; beyond it a request fails at once. */
    private static final int MAX_FORWARDING = 10_000;
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public void answerForwarded(Forwarded answerer) {
        this.forwarded = answerer;
    }

    /**
     * Publishes the request on the holding node's channel: {@code q <n> <from> <kind>
     * <connection> <room>}, a line break, the frame. Nobody listening there: 404 at once.
     */
    @Override
    public CompletionStage<Integer> forward(String to, Forward request) {
        CompletableFuture<Integer> answer = new CompletableFuture<>();
        if (away || forwarding.size() >= MAX_FORWARDING) {
            answer.completeExceptionally(new BrokerException("cannot forward now: Redis is away or too many requests wait", null));
            return answer;
        }
        long n = correlations.incrementAndGet();
        forwarding.put(n, answer);
        answer.orTimeout(FORWARD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((status, e) -> forwarding.remove(n));
        String payload = "q " + n + " " + node + " " + request.kind() + " " + request.connection() + " " + request.room()
                + "\n" + request.frame();
        connection.async().publish(nodeChannel(to), payload).whenComplete((listeners, e) -> {
            if (e != null) {
                answer.completeExceptionally(e);
            } else if (listeners == 0) {
                answer.complete(404); // no such node (any more)
            }
        });
        return answer;
    }

    /** A request another node forwarded here, answered on its channel; or the answer to one of ours. */
    private void forwardedHere(String payload) {
        int line = payload.indexOf('\n');
        String[] head = (line < 0 ? payload : payload.substring(0, line)).split(" ");
        if (head.length == 3 && head[0].equals("r")) {
            CompletableFuture<Integer> answer = forwarding.remove(Long.parseLong(head[1]));
            if (answer != null) {
                answer.complete(Integer.parseInt(head[2]));
            }
            return;
        }
        Forwarded answerer = forwarded;
        if (head.length != 6 || !head[0].equals("q") || head[3].length() != 1 || line < 0 || answerer == null) {
            throw new IllegalArgumentException("not a forwarded request");
        }
        int status = answerer.answer(new Forward(head[3].charAt(0), head[4], head[5], payload.substring(line + 1)));
        connection.async().publish(nodeChannel(head[2]), "r " + head[1] + " " + status);
    }

    private String nodeChannel(String id) {
        return prefix + ":node:" + id;
    }

    private void received(String channel, String payload) {
        if (channel.equals(nodeChannel(node))) {
            try {
                forwardedHere(payload);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Ignoring a forwarded request that is not Parley's", e);
            }
            return;
        }
        Listener to = listener;
        if (to == null || !channel.startsWith(channelPrefix())) {
            return;
        }
        try {
            BrokerWire.Received received = BrokerWire.read(payload);
            if (!received.origin().equals(node)) { // this node delivered its own already
                to.event(channel.substring(channelPrefix().length()), received.event());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Ignoring an event on " + channel + " that is not Parley's", e);
        }
    }

    private String channelPrefix() {
        return prefix + ":room:";
    }

    // ---- liveness ----

    /**
     * Renews this node, reaps the dead ones, and when a node has died (whoever reaped
     * it) has every room read the store: the dead node may have committed messages it
     * never published.
     */
    private void beat() {
        if (connection == null && !connect()) {
            return; // away since start-up: tried again at the next heartbeat
        }
        try {
            List<Object> answer = redis.eval(RedisScripts.HEARTBEAT, ScriptOutputType.MULTI, new String[0], prefix, node,
                    String.valueOf(config.presenceTtl().toMillis()));
            if (away) {
                if (!subscriptions.isOpen()) {
                    return; // back only when events flow again too
                }
                back();
            }
            long now = ((Number) answer.get(0)).longValue();
            Set<String> alive = new java.util.HashSet<>();
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
            Listener to = listener;
            if (someoneDied && to != null) {
                to.resync(null);
            }
        } catch (RuntimeException e) {
            goneAway(rootMessage(e));
        }
    }

    /** Redis went (a heartbeat failed, or a connection was lost): said once, until it is back. */
    private synchronized void goneAway(String why) {
        if (!away && !closing) {
            away = true;
            LOG.warning(() -> "Redis at " + config.describeUrl() + " is not answering (" + why
                    + "): joins get \"unavailable\"; messages are stored and delivered on this node, and reach the"
                    + " other nodes when it is back");
        }
    }

    /** Redis answers again: this node's members written again, every room reads what it missed. */
    private void back() {
        List<String> args = new ArrayList<>(held.size() + 4);
        args.add(prefix);
        args.add(node);
        args.add(String.valueOf(config.presenceTtl().toMillis()));
        args.add(sharedNames ? "1" : "0");
        held.forEach((entry, connections) -> args.add(entry + "\n" + connections));
        List<Object> removed = redis.eval(RedisScripts.RESTORE, ScriptOutputType.MULTI, new String[0], args.toArray(new String[0]));
        for (String room : leftWhileAway) { // still away: no room subscribes meanwhile
            leftWhileAway.remove(room);
            subscriptions.async().unsubscribe(channelPrefix() + room);
        }
        away = false;
        LOG.info(() -> "Redis at " + config.describeUrl() + " is back: presence restored, rooms catching up from the store");
        tellLeft(removed);
        Listener to = listener;
        if (to != null) {
            to.back();
        }
    }

    private void reap(String dead) {
        List<Object> removed = redis.eval(RedisScripts.REAP, ScriptOutputType.MULTI, new String[0], prefix, dead);
        if (!removed.isEmpty()) {
            meters.presenceExpired();
            LOG.info(() -> "Node " + dead + " stopped answering; its " + removed.size() / 3 + " member(s) left");
        }
        tellLeft(removed);
    }

    private void tellLeft(List<Object> removed) {
        Listener to = listener;
        for (int i = 0; to != null && i + 2 < removed.size(); i += 3) {
            to.left(String.valueOf(removed.get(i)), String.valueOf(removed.get(i + 1)),
                    ((Number) removed.get(i + 2)).intValue());
        }
    }

    // ---- plumbing ----

    /** A call that needs an answer: at once a BrokerException while Redis is away, else the answer or one. */
    private <T> T call(java.util.function.Supplier<T> command) {
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

    private static String entry(String room, String user) {
        return room + "\n" + user;
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public String describe() {
        return "node " + node + " of \"" + prefix + "\" through Redis at " + config.describeUrl() + ", presence TTL "
                + config.presenceTtl().toSeconds() + " s";
    }

    /** Leaves the cluster: this node's members are gone at once for the others, not after the TTL. */
    @Override
    public void close() {
        closing = true;
        heartbeat.shutdownNow();
        try {
            if (!away) {
                held.clear();
                tellLeft(redis.eval(RedisScripts.LEAVE, ScriptOutputType.MULTI, new String[0], prefix, node));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "leaving the cluster failed", e);
        } finally {
            if (connection != null) {
                subscriptions.close();
                connection.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
