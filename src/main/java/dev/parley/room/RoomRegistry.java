package dev.parley.room;

import static dev.parley.protocol.ErrorCode.BAD_ROOM;

import dev.parley.broker.Broker;
import dev.parley.broker.Event;
import dev.parley.config.ParleyConfig;
import dev.parley.identity.Tokens;
import dev.parley.metrics.Meters;
import dev.parley.metrics.Monitoring;
import dev.parley.protocol.InboundDecoder;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Outbound;
import dev.parley.protocol.OutboundEncoder;
import dev.parley.store.HistoryStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.websocket.CloseReason;
import io.micrometer.core.instrument.Gauge;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The rooms and connections of this node. The endpoint opens a {@link Connection} here
 * and hands it its frames; the connection decides what each does and its {@link Room}
 * delivers. This bean owns what they share: the store, the {@link Broker} (the other
 * nodes, or none), the codecs, the threads, the idle check and shutdown.
 */
@ApplicationScoped
public class RoomRegistry implements Broker.Listener {
    private static final Logger LOG = Logger.getLogger(RoomRegistry.class.getName());
    /** The start-up line in an application server; the standalone runner prints its own, with its address. */
    public static final Logger STARTUP = Logger.getLogger("dev.parley.startup");
    private static final Pattern ROOM_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** How many stored messages a plain welcome carries. */
    public static final int WELCOME_HISTORY = 50;
    /** Joins and history requests answered at once, each waiting for a query or Redis at most its timeout. */
    private static final int WORK_THREADS = 8;

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private InboundDecoder decoder;
    private final OutboundEncoder encoder = new OutboundEncoder();
    private ParleyConfig config;
    private HistoryStore store;
    private Broker broker;
    private Admission admission;
    private Meters meters;
    private Tokens tokens;
    private volatile boolean shuttingDown;
    private ScheduledExecutorService timer;
    private ExecutorService delivery;
    private ExecutorService fill;
    private ExecutorService work;

    protected RoomRegistry() {
        // for the CDI proxy
    }

    @Inject
    public RoomRegistry(ParleyConfig config, HistoryStore store, Broker broker, Monitoring monitoring, Tokens tokens) {
        this.config = config;
        this.tokens = tokens;
        this.decoder = new InboundDecoder(JsonProvider.provider(), tokens.enabled());
        this.store = store;
        this.broker = broker;
        this.admission = new Admission(config);
        this.meters = monitoring.meters();
    }

    /**
     * Starts the threads: the room deliveries' pool, the gap fills' pool, the pool for
     * frames that wait for the store or the broker (joins, history), and the timer
     * that runs the idle check (Parley's own, so that every container closes a silent
     * connection alike: 1000 "idle timeout" after PARLEY_IDLE_TIMEOUT without a frame)
     * and, with identity on, closes the members whose token expired.
     */
    @PostConstruct
    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(threads("parley-timer"));
        delivery = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                threads("parley-delivery"));
        fill = Executors.newFixedThreadPool(2, threads("parley-fill"));
        work = Executors.newFixedThreadPool(WORK_THREADS, threads("parley-work"));
        long timeout = config.idleTimeout().toNanos();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), Math.min(TimeUnit.SECONDS.toNanos(1), timeout / 10));
        timer.scheduleAtFixedRate(() -> sweep(timeout), period, period, TimeUnit.NANOSECONDS);
        broker.listen(this);
        CloseReasons.ALL.forEach(meters::declare);
        for (String transport : List.of("websocket", "sse")) {
            Gauge.builder("parley.connections", connections, open -> open.stream()
                    .filter(connection -> connection.transport().equals(transport)).count())
                    .tag("transport", transport).description("Chat connections open on this node")
                    .register(meters.registry());
        }
        Gauge.builder("parley.rooms", rooms, Map::size).description("Rooms with members on this node")
                .register(meters.registry());
        Gauge.builder("parley.members", this, RoomRegistry::members).description("Members of rooms on this node")
                .register(meters.registry());
    }

    /** Members of this node's rooms now (a connection still joining is not one yet). */
    int members() {
        int members = 0;
        for (Room room : rooms.values()) {
            members += room.memberCount();
        }
        return members;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private void sweep(long timeout) {
        try {
            long now = System.nanoTime();
            Instant wallClock = tokens.enabled() ? Instant.now() : null;
            for (Connection connection : connections) {
                if (connection.silentFor(now) > timeout) {
                    LOG.log(Level.FINE, "{0} idle", connection);
                    connection.depart(CloseReasons.IDLE);
                } else if (wallClock != null) {
                    connection.expireIfDue(wallClock);
                }
            }
        } catch (RuntimeException e) { // keep checking: a failure here must not end the schedule
            LOG.log(Level.WARNING, "idle check failed", e);
        }
    }

    /**
     * Opens the store when the application starts, not at the first message: a database
     * that cannot be reached then fails the deployment, with the store's message.
     */
    void openStoreAtStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        STARTUP.info(() -> "Parley ready (chat at /chat/{room}); store: " + store.describe() + "; cluster: "
                + broker.describe() + "; identity: " + tokens.describe() + "; " + config.describeLimits());
    }

    // ---- connection lifecycle, called by the endpoint ----

    /** A new connection to {@code roomName}; the endpoint hands it the connection's frames. */
    public Connection open(Peer peer, Handshake handshake, String roomName) {
        Connection connection = new Connection(this, peer, roomName, handshake.lastSeen());
        CloseReason refused;
        if (shuttingDown) {
            meters.closed(CloseReasons.SHUTTING_DOWN);
            connection.outbox().closeNow(CloseReasons.SHUTTING_DOWN);
        } else if ((refused = admission.admit(connection, handshake)) != null) {
            LOG.log(Level.FINE, "{0} refused: {1}", new Object[] {connection, refused.getReasonPhrase()});
            meters.closed(refused);
            connection.outbox().closeNow(refused);
        } else if (!ROOM_NAME.matcher(roomName).matches()) {
            admission.release(connection);
            meters.error(BAD_ROOM);
            connection.outbox().offer(Frame.of(encoder.encode(
                    new Outbound.Error(BAD_ROOM, "A room name matches [a-z0-9][a-z0-9_-]{0,63}.", null))));
            meters.closed(CloseReasons.BAD_ROOM);
            connection.outbox().closeWhenDrained(CloseReasons.BAD_ROOM);
        } else {
            connections.add(connection);
        }
        return connection;
    }

    /** Closes every connection with 1001; once (the standalone server calls it before CDI does). */
    @PreDestroy
    public synchronized void shutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        if (timer != null) {
            timer.shutdownNow();
            delivery.shutdown();
            fill.shutdownNow();
            work.shutdownNow();
        }
        LOG.info(() -> "Parley stopping: closing " + connections.size() + " connection(s) with 1001");
        for (Connection connection : connections) {
            meters.closed(CloseReasons.SHUTTING_DOWN);
            connection.outbox().closeWhenDrained(CloseReasons.SHUTTING_DOWN);
        }
    }

    /** Chat connections open on this node now. */
    public int connectionCount() {
        return connections.size();
    }

    // ---- moderation, for the admin view ----

    /** A room with members on this node, and their names. */
    public record RoomView(String name, List<String> members) {
    }

    /** Where {@link #disconnect} found the member. */
    public enum Found { HERE, ELSEWHERE, NOBODY }

    public static boolean validRoomName(String name) {
        return ROOM_NAME.matcher(name).matches();
    }

    /** This node's rooms with their members, by name. */
    public List<RoomView> roomsHere() {
        return rooms.values().stream().map(room -> new RoomView(room.name(), room.memberNames()))
                .filter(room -> !room.members().isEmpty()).sorted(Comparator.comparing(RoomView::name)).toList();
    }

    /**
     * {@code user}'s name in {@code room} was taken back by {@code by} (its claim took it
     * over): the user's other connections here close unheard, and in cluster mode the other
     * nodes close theirs.
     */
    void replaced(Room room, String user, Connection by) {
        room.replace(user, by);
        if (broker.clustered()) {
            broker.publish(room.name(), Event.of(Event.Kind.REPLACED, user, ""));
        }
    }

    /**
     * Closes {@code user}'s connection to {@code room} with 1008 "removed by an
     * administrator": here, or in cluster mode on the node that holds it (through the
     * broker). Its room hears {@code left} as for any departure.
     *
     * @throws dev.parley.broker.BrokerException if the cluster cannot tell where the member is
     */
    public Found disconnect(String room, String user) {
        Room active = rooms.get(room);
        if (active != null && active.kick(user)) {
            return Found.HERE;
        }
        if (broker.clustered() && broker.heldElsewhere(room, user)) {
            broker.publish(room, Event.of(Event.Kind.KICK, user, ""));
            return Found.ELSEWHERE;
        }
        return Found.NOBODY;
    }

    /**
     * Closes the room: marked in the store (so every node refuses joins when the room
     * starts there, also after a restart), its connections here closed with 1008 "room
     * closed", and the other nodes told to close theirs.
     *
     * @return the connections closed on this node
     * @throws dev.parley.store.StoreException if the store cannot mark it
     */
    public int closeRoom(String room) {
        store.markClosed(room, true);
        Room active = rooms.get(room);
        int closed = active == null ? 0 : active.closeAll();
        broker.publish(room, Event.of(Event.Kind.CLOSED, "", ""));
        LOG.info(() -> "Room " + room + " closed by an administrator (" + closed + " connection(s) here)");
        return closed;
    }

    /** Lets joins into a closed room again. */
    public void reopenRoom(String room) {
        store.markClosed(room, false);
        LOG.info(() -> "Room " + room + " reopened by an administrator");
    }

    /** The closed rooms, by name, at most a thousand. */
    public List<String> closedRooms() {
        return store.closedRooms(1000);
    }

    /** The rooms with at least one member, on every node, sorted by name, with their member counts. */
    public List<Outbound.RoomCount> occupancy() {
        return broker.occupancy();
    }

    // ---- rooms ----

    /**
     * The room a connection joins, started (subscribed, its position read) and holding the
     * connection. Throws the store's or the broker's exception when the room cannot start.
     */
    Room enter(String name, Connection connection) {
        while (true) {
            Room made = new Room(name, this);
            Room room = rooms.putIfAbsent(name, made);
            if (room == null) {
                room = made;
                try {
                    room.start();
                } catch (RuntimeException e) {
                    rooms.remove(name, room);
                    broker.unsubscribe(name);
                    throw e;
                }
            } else {
                room.awaitStart();
            }
            if (room.hold(connection)) {
                return room;
            }
            // emptied and retired meanwhile: take the new one
        }
    }

    /** The room of that name with members on this node now, or null. */
    Room active(String name) {
        return rooms.get(name);
    }

    /** An empty room leaves the registry. Called under the room's monitor. */
    void retire(Room room) {
        if (rooms.remove(room.name(), room)) {
            broker.unsubscribe(room.name());
        }
    }

    void forget(Connection connection) {
        if (connections.remove(connection)) {
            admission.release(connection);
        }
    }

    // ---- the broker's events ----

    @Override
    public void event(String room, Event event) {
        Room active = rooms.get(room);
        if (active != null) {
            active.event(event);
        }
    }

    @Override
    public void resync(String room) {
        if (room == null) {
            rooms.values().forEach(Room::resync);
        } else {
            Room active = rooms.get(room);
            if (active != null) {
                active.resync();
            }
        }
    }

    @Override
    public void back() {
        for (Room room : rooms.values()) {
            room.resync();
            room.tellTail();
        }
    }

    @Override
    public void left(String room, String user, int count) {
        Room active = rooms.get(room);
        if (active != null) {
            active.left(user, count);
        } else {
            broker.publish(room, Event.of(Event.Kind.LEFT, user,
                    encoder.encode(new Outbound.Left(room, user, count, Instant.now()))));
        }
    }

    // ---- what connections and rooms share ----

    /** The settings; public for the endpoint, which takes them from here so as to inject only normal-scoped beans. */
    public ParleyConfig config() {
        return config;
    }

    HistoryStore store() {
        return store;
    }

    Broker broker() {
        return broker;
    }

    Meters meters() {
        return meters;
    }

    Tokens tokens() {
        return tokens;
    }

    InboundDecoder decoder() {
        return decoder;
    }

    OutboundEncoder encoder() {
        return encoder;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    ExecutorService deliveryPool() {
        return delivery;
    }

    ExecutorService fillPool() {
        return fill;
    }

    /** Where frames that may wait for the store or the broker are answered (Connection). */
    ExecutorService workPool() {
        return work;
    }

    void schedule(Runnable task, long delayMillis) {
        timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }
}
