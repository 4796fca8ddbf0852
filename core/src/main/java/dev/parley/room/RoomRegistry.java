package dev.parley.room;

import static dev.parley.protocol.ErrorCode.BAD_ROOM;

import dev.parley.broker.Broker;
import dev.parley.broker.Event;
import dev.parley.config.ParleyConfig;
import dev.parley.identity.Tokens;
import dev.parley.metrics.Monitoring;
import dev.parley.protocol.Frame;
import dev.parley.protocol.Outbound;
import dev.parley.store.HistoryStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The rooms and connections of this node. The endpoint opens a {@link Connection} here
 * and hands it its frames; the connection decides what each does and its {@link Room}
 * delivers. This bean keeps the map of rooms and connections, the idle and token sweep,
 * shutdown and the broker's listener; what connections and rooms share is the
 * {@link Chat} it makes, and they see the registry only as {@link Rooms}.
 */
@ApplicationScoped
public class RoomRegistry implements Rooms, Broker.Listener {
    private static final Logger LOG = Logger.getLogger(RoomRegistry.class.getName());
    /** The start-up line in an application server; the standalone runner prints its own, with its address. */
    public static final Logger STARTUP = Logger.getLogger("dev.parley.startup");
    private static final Pattern ROOM_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private Chat chat;
    private Admission admission;
    private RetryHints retryHints;
    private MeterRegistry gauges;
    private volatile boolean shuttingDown;

    protected RoomRegistry() {
        // for the CDI proxy
    }

    @Inject
    public RoomRegistry(ParleyConfig config, HistoryStore store, Broker broker, Monitoring monitoring, Tokens tokens) {
        this(Chat.of(config, store, broker, monitoring.meters(), tokens), monitoring.registry());
    }

    /** A registry over {@code chat}, its gauges in {@code gauges}: what a test makes without a container. */
    RoomRegistry(Chat chat, MeterRegistry gauges) {
        this.chat = chat;
        this.gauges = gauges;
        this.admission = new Admission(chat.config());
        this.retryHints = new RetryHints(chat.config().ops());
    }

    /**
     * Starts the idle check (Parley's own, so that every container closes a silent
     * connection alike: 1000 "idle timeout" after PARLEY_IDLE_TIMEOUT without a frame),
     * which with identity on also closes the members whose token expired; listens to the
     * broker; and registers the gauges.
     */
    @PostConstruct
    void start() {
        long timeout = chat.config().idleTimeout().toNanos();
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), Math.min(TimeUnit.SECONDS.toNanos(1), timeout / 10));
        chat.threads().every(() -> sweep(timeout), period);
        chat.broker().listen(this);
        CloseReasons.ALL.forEach(chat.meters()::declare);
        for (String transport : List.of("websocket", "sse")) {
            Gauge.builder("parley.connections", connections, open -> open.stream()
                    .filter(connection -> connection.transport().equals(transport)).count())
                    .tag("transport", transport).description("Chat connections open on this node")
                    .register(gauges);
        }
        Gauge.builder("parley.rooms", rooms, Map::size).description("Rooms with members on this node")
                .register(gauges);
        Gauge.builder("parley.members", this, RoomRegistry::members).description("Members of rooms on this node")
                .register(gauges);
    }

    /** Members of this node's rooms now (a connection still joining is not one yet). */
    int members() {
        int members = 0;
        for (Room room : rooms.values()) {
            members += room.memberCount();
        }
        return members;
    }

    private void sweep(long timeout) {
        try {
            long now = System.nanoTime();
            Instant wallClock = chat.tokens().enabled() ? Instant.now() : null;
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
        STARTUP.info(() -> "Parley ready (chat at /chat/{room}); store: " + chat.store().describe() + "; cluster: "
                + chat.broker().describe() + "; identity: " + chat.tokens().describe() + "; "
                + chat.config().describeLimits());
    }

    // ---- connection lifecycle, called by the transports ----

    /** A new connection to {@code roomName}; the transport hands it the connection's frames. */
    public Connection open(Peer peer, Handshake handshake, String roomName) {
        Connection connection = new Connection(chat, this, peer, roomName, handshake.lastSeen());
        CloseReason refused;
        if (shuttingDown) {
            chat.meters().closed(CloseReasons.SHUTTING_DOWN);
            connection.outbox().closeNow(CloseReasons.SHUTTING_DOWN, encoded(retryHints.shuttingDown()));
        } else if ((refused = admission.admit(connection, handshake)) != null) {
            LOG.log(Level.FINE, "{0} refused: {1}", new Object[] {connection, refused.getReasonPhrase()});
            chat.meters().closed(refused);
            if (refused == CloseReasons.TRY_AGAIN_LATER) {
                connection.outbox().closeNow(refused, encoded(retryHints.busy()));
            } else {
                connection.outbox().closeNow(refused);
            }
        } else if (!validRoomName(roomName)) {
            admission.release(connection);
            chat.meters().error(BAD_ROOM);
            connection.outbox().offer(Frame.of(chat.encoder().encode(
                    new Outbound.Error(BAD_ROOM, "A room name matches [a-z0-9][a-z0-9_-]{0,63}.", null))));
            chat.meters().closed(CloseReasons.BAD_ROOM);
            connection.outbox().closeWhenDrained(CloseReasons.BAD_ROOM);
        } else {
            connections.add(connection);
        }
        return connection;
    }

    /** Whether {@code name} may name a room. */
    public static boolean validRoomName(String name) {
        return ROOM_NAME.matcher(name).matches();
    }

    /**
     * Closes every connection with 1001, each after what is queued for it and a
     * {@code reconnect} frame that spreads their return ({@link RetryHints}); once (the
     * standalone server calls it before CDI does).
     */
    @PreDestroy
    public synchronized void shutdown() {
        if (shuttingDown) {
            return;
        }
        retryHints.stopping(connections.size());
        shuttingDown = true;
        chat.threads().shutdown();
        LOG.info(() -> "Parley stopping: closing " + connections.size() + " connection(s) with 1001");
        for (Connection connection : connections) {
            chat.meters().closed(CloseReasons.SHUTTING_DOWN);
            connection.outbox().closeWhenDrained(CloseReasons.SHUTTING_DOWN, encoded(retryHints.shuttingDown()));
        }
    }

    private Frame encoded(Outbound frame) {
        return Frame.of(chat.encoder().encode(frame));
    }

    /** Chat connections open on this node now. */
    public int connectionCount() {
        return connections.size();
    }

    /** The settings; public for the endpoint, which takes them from here so as to inject only normal-scoped beans. */
    public ParleyConfig config() {
        return chat.config();
    }

    Chat chat() {
        return chat;
    }

    /** The rooms with members on this node now. */
    Collection<Room> all() {
        return rooms.values();
    }

    // ---- Rooms ----

    @Override
    public Room enter(String name, Connection connection) {
        while (true) {
            Room made = new Room(name, chat, this);
            Room room = rooms.putIfAbsent(name, made);
            if (room == null) {
                room = made;
                try {
                    room.start();
                } catch (RuntimeException e) {
                    rooms.remove(name, room);
                    chat.broker().unsubscribe(name);
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

    @Override
    public Room active(String name) {
        return rooms.get(name);
    }

    @Override
    public void retire(Room room) {
        if (rooms.remove(room.name(), room)) {
            chat.broker().unsubscribe(room.name());
        }
    }

    @Override
    public void forget(Connection connection) {
        if (connections.remove(connection)) {
            admission.release(connection);
        }
    }

    @Override
    public boolean shuttingDown() {
        return shuttingDown;
    }

    @Override
    public Outbound.Reconnect shutdownHint() {
        return retryHints.shuttingDown();
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
            String frame = chat.encoder().encode(new Outbound.Left(room, user, count, Instant.now()));
            chat.broker().publish(room, new Event(Event.Kind.LEFT, count, user, frame));
            chat.store().note(room, frame);
        }
    }
}
