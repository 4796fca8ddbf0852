package dev.parley.standalone;

import dev.parley.admin.AdminApi;
import dev.parley.api.ServerApi;
import dev.parley.config.ParleyConfig;
import dev.parley.endpoint.ChatEndpoint;
import dev.parley.ops.Health;
import dev.parley.ops.OpsPages;
import dev.parley.metrics.Meters;
import dev.parley.metrics.Monitoring;
import dev.parley.room.RoomRegistry;
import dev.parley.sse.SseTransport;
import dev.parley.standalone.grizzly.BrokenBody;
import dev.parley.standalone.grizzly.FrameGuard;
import dev.parley.standalone.grizzly.HandshakeCheck;
import dev.parley.standalone.grizzly.PastTheHttpCodec;
import dev.parley.standalone.grizzly.RequestDeadline;
import dev.parley.standalone.grizzly.WebSockets;
import dev.parley.standalone.http.Router;
import dev.parley.config.StoreConfig;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.HistoryStore;
import dev.parley.store.StoreException;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.ConnectionProbe;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.ssl.SSLEngineConfigurator;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * Parley without an application server: Weld for CDI, one Grizzly listener on
 * {@code host:port} serving the web client at {@code /} and the chat endpoint at
 * {@code /chat/{room}} through Tyrus.
 */
public final class StandaloneServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StandaloneServer.class.getName());
    private static final String CONTEXT_PATH = "/";
    private static final long SHUTDOWN_GRACE_MILLIS = 2000;

    private final DataFolderLock dataLock; // null unless the store is H2 in PARLEY_DATA
    private final HikariDataSource database; // null with the memory store
    private final WeldContainer cdi;
    private final HistoryStore store;
    private final RoomRegistry registry;
    private final Health health;
    private final Duration shutdownGrace;
    private final TyrusServerContainer websockets; // null with Parley's own WebSocket
    private final HttpServer http;
    private final NetworkListener listener;
    private final boolean secure;
    private final RequestDeadline requestDeadline;
    private Router router; // made with the listener
    private final Set<Connection<?>> sockets = ConcurrentHashMap.newKeySet();

    private StandaloneServer(ParleyConfig config, DataFolderLock dataLock) throws IOException {
        this.dataLock = dataLock;
        database = config.store().kind() == StoreConfig.Kind.JDBC ? connect(config.store()) : null;
        try {
            cdi = new Weld("parley-" + UUID.randomUUID())
                    .skipShutdownHook()
                    .addExtension(new StandaloneBeans(config, database))
                    .initialize();
        } catch (RuntimeException e) {
            closeDatabase();
            throw e;
        }
        requestDeadline = new RequestDeadline(config.requestTimeout());
        try {
            store = cdi.select(HistoryStore.class).get();
            store.describe(); // opens (and migrates) the database now, not at the first message
            registry = cdi.select(RoomRegistry.class).get();
            health = cdi.select(Health.class).get();
            shutdownGrace = config.ops().shutdownGrace();
            if (config.ownWebSocket()) {
                websockets = null;
            } else {
                websockets = new EngineContainer(config.maxFrameBytes());
                websockets.setDefaultMaxTextMessageBufferSize(config.maxFrameBytes());
                websockets.setDefaultMaxBinaryMessageBufferSize(config.maxFrameBytes());
                websockets.start(CONTEXT_PATH, config.port());
            }

            http = new HttpServer();
            listener = new NetworkListener("parley", config.host(), config.port());
            secure = config.tls() != null;
            if (secure) { // https and wss on the one port
                listener.setSecure(true);
                listener.setSSLEngineConfig(new SSLEngineConfigurator(config.tls().context(), false, false, false));
            }
            // Nothing on a frame's path waits: sends go through the outbox, and frames that
            // wait for the store or the broker (a join, a history request) are answered on
            // the registry's work pool. So frames are handled on the selector thread that
            // read them, without a hand-off, whatever the store.
            listener.getTransport().setIOStrategy(SameThreadIOStrategy.getInstance());
            int maxSockets = maxSockets(config.maxConnections());
            listener.getTransport().getConnectionMonitoringConfig().addProbes(new ConnectionProbe.Adapter() {
                @Override
                public void onAcceptEvent(Connection serverConnection, Connection clientConnection) {
                    sockets.add(clientConnection);
                    if (sockets.size() > maxSockets) { // before it costs more than its descriptor
                        clientConnection.closeSilently();
                    }
                }

                @Override
                public void onCloseEvent(Connection connection) {
                    sockets.remove(connection);
                }
            });
            // Grizzly's keep-alive idle timeout would cut WebSocket connections too (after 30 s):
            // WebSocket idleness is Parley's to judge, HTTP's is the request deadline's
            listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
            // and Grizzly's idle filter, which has no timeout left to apply, would still look at
            // every connection on every read and write, and at all of them every second (2 %
            // of the core at 17,500 idle connections): the request deadline does its work
            listener.registerAddOn((unused, chain) -> {
                int idle = chain.indexOfType(IdleTimeoutFilter.class);
                if (idle >= 0) {
                    chain.remove(idle);
                }
            });
            listener.registerAddOn(requestDeadline);
            Meters meters = cdi.select(Monitoring.class).get().meters();
            if (websockets == null) { // Parley's own reads the frames and the handshake itself
                listener.registerAddOn(new BrokenBody());
                listener.registerAddOn(new WebSockets(registry, config, meters.writes("parley"), meters::closed));
            } else {
                listener.registerAddOn(new FrameGuard(config.maxFrameBytes(), meters::closed));
                listener.registerAddOn(new HandshakeCheck());
                listener.registerAddOn(new BrokenBody());
                listener.registerAddOn(new WebSocketAddOn(websockets, CONTEXT_PATH));
            }
            listener.registerAddOn(new PastTheHttpCodec()); // last: it must sit right beside the codec
            http.addListener(listener);
            router = new Router(config, cdi.select(AdminApi.class).get(), cdi.select(ServerApi.class).get(),
                    cdi.select(SseTransport.class).get(),
                    cdi.select(OpsPages.class).get());
            http.getServerConfiguration().addHttpHandler(router, "/");
            http.getServerConfiguration().setDefaultErrorPageGenerator((request, status, reason, description, e) -> "");
            http.start();
        } catch (IOException | DeploymentException | RuntimeException e) {
            requestDeadline.close();
            cdi.shutdown();
            closeDatabase();
            if (e instanceof BindException) { // taken since PortCheck looked
                throw PortCheck.refusal(config.host(), config.port(), (BindException) e);
            }
            if (e instanceof IOException) {
                throw (IOException) e;
            }
            if (e instanceof StoreException) {
                throw (StoreException) e;
            }
            throw new IOException(e.getMessage(), e);
        }
        if (dataLock != null) {
            dataLock.listening(port()); // the port it has, where PARLEY_PORT=0 asked for any
        }
        LOG.info(() -> startLine(config, port(), store.describe()));
    }

    /**
     * "Parley listening on" a link one can open (localhost where every interface is bound),
     * the address bound, whether the admin view is on, the server API if it is, then the store and the limits.
     */
    static String startLine(ParleyConfig config, int port, String store) {
        boolean secure = config.tls() != null;
        String open = WebAddress.of(config.host(), port, secure);
        return "Parley listening on " + open + " (bound to " + config.host()
                + (WebAddress.everyInterface(config.host()) ? ", every interface" : "") + "; chat at /chat/{room})"
                + (secure ? "; TLS with " + config.tls().cert() + " (" + config.tls().subject() + ")" : "")
                + (config.ops().adminToken() == null ? "; admin view off (set PARLEY_ADMIN_TOKEN to turn it on)"
                        : "; admin view at " + open + "admin/")
                + (config.api().enabled() ? "; server API at " + open + "api/v1" : "")
                + (config.api().webhooks() ? "; webhooks to " + webhookOrigin(config.api().webhookUrl()) : "")
                + "; store: " + store + "; " + config.describeLimits();
    }

    /** Where webhooks go, without the path and query (a token may hide there). */
    private static String webhookOrigin(java.net.URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    /**
     * The sockets the listener holds at most, page loads and handshakes included: the chat
     * connections' limit and a tenth more (at least 16), so that a refusal with 1013 can
     * still be answered; never closer than 128 to the descriptor limit, which the store,
     * the jars and the logs need too. A socket beyond it is closed as soon as it is accepted.
     */
    static int maxSockets(int maxConnections) {
        long ceiling = (long) maxConnections + Math.max(16, maxConnections / 10);
        long descriptors = ParleyConfig.descriptorLimit();
        if (descriptors > 0) {
            ceiling = Math.min(ceiling, Math.max(16, descriptors - 128));
        }
        return (int) Math.min(Integer.MAX_VALUE, ceiling);
    }

    /**
     * The connection pool for PARLEY_JDBC_URL, or for the H2 file database in PARLEY_DATA.
     * Connections are checked out with a short timeout, so that while the database is
     * down a send fails in seconds with an error frame instead of hanging.
     *
     * @throws StoreException if the database cannot be reached now
     */
    private static HikariDataSource connect(StoreConfig store) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("parley");
        pool.setJdbcUrl(store.standaloneUrl());
        if (store.jdbcUser() != null) {
            pool.setUsername(store.jdbcUser());
        }
        if (store.jdbcPassword() != null) {
            pool.setPassword(store.jdbcPassword());
        }
        pool.setMaximumPoolSize(8);
        pool.setConnectionTimeout(TimeUnit.SECONDS.toMillis(3));
        pool.setValidationTimeout(TimeUnit.SECONDS.toMillis(2));
        pool.setExceptionOverrideClassName(EvictFailedConnections.class.getName());
        try {
            return new HikariDataSource(pool);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new StoreException("cannot reach the database at " + store.standaloneUrl() + ": " + root.getMessage(), e);
        }
    }

    private void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    /**
     * Starts a server; port 0 in the config picks a free port. What the operator can fix (the
     * port in use, the data folder taken or not writable) is told before the store and CDI
     * take their seconds and their log lines.
     *
     * @throws StartException saying what to fix, in one line
     */
    public static StandaloneServer start(ParleyConfig config) throws IOException {
        PortCheck.free(config.host(), config.port());
        DataFolderLock dataLock = usesDataFolder(config.store()) ? DataFolderLock.take(config.store().dataDir(),
                config.port()) : null;
        try {
            return new StandaloneServer(config, dataLock);
        } catch (IOException | RuntimeException e) {
            if (dataLock != null) {
                dataLock.close();
            }
            throw e;
        }
    }

    /** Whether the store is H2 in PARLEY_DATA (the default), the folder this server then holds. */
    private static boolean usesDataFolder(StoreConfig store) {
        return store.kind() == StoreConfig.Kind.JDBC && store.jdbcUrl() == null;
    }

    public int port() {
        return listener.getPort();
    }

    /** ws://127.0.0.1:PORT/chat/ROOM (wss with TLS) */
    public URI chatUri(String room) {
        return URI.create((secure ? "wss" : "ws") + "://127.0.0.1:" + port() + "/chat/" + room);
    }

    public URI httpUri() {
        return URI.create((secure ? "https" : "http") + "://127.0.0.1:" + port() + "/");
    }

    /** How many sockets have a request in Grizzly's HTTP codec now (being read or answered); for tests. */
    int requestsInCodec() {
        return (int) sockets.stream()
                .filter(socket -> socket.getAttributes().getAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME) != null)
                .count();
    }

    /**
     * Reports not ready, and with chat connections open waits PARLEY_SHUTDOWN_GRACE, so
     * that a load balancer stops sending new ones; then stops accepting, closes every
     * connection with 1001 (after its {@code reconnect} hint), waits (at most a moment) until
     * the peers have closed their sockets, so the close frames are not cut off, and stops.
     */
    @Override
    public void close() {
        health.drain();
        int open = registry.connectionCount();
        if (open > 0 && !shutdownGrace.isZero()) {
            LOG.info(() -> "Parley draining: not ready from now on; closing " + open + " connection(s) in "
                    + shutdownGrace.toSeconds() + " s");
            try {
                Thread.sleep(shutdownGrace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // from here on a new connection would only be told to come back: refused at once
        // instead, which costs neither side a handshake (the open ones go on to their close)
        listener.getTransport().unbindAll();
        registry.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_GRACE_MILLIS);
        while (!sockets.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.shutdownNow();
        router.close();
        requestDeadline.close();
        if (websockets != null) {
            websockets.stop();
        }
        cdi.shutdown(); // the store stores what is still queued
        closeDatabase();
        if (dataLock != null) {
            dataLock.close();
        }
    }

    /**
     * A Tyrus server container whose engine runs inside our own Grizzly listener.
     * Tyrus keeps the bytes of a frame until it is whole, and cuts a connection whose
     * bytes outgrow its incoming buffer with 1011. {@link FrameGuard} refuses every frame
     * over the limit at its header, so what Tyrus keeps is at most one frame within the
     * limit plus the rest of one socket read (Grizzly reads up to the socket's receive
     * buffer at once): the buffer is sized for that, with Tyrus' default of 4 MiB as the
     * room for a read. It is a ceiling, not an allocation: Tyrus grows its buffer as needed.
     */
    private static final class EngineContainer extends TyrusServerContainer {
        private static final int FRAME_HEADER = 14;
        private static final int READ_ROOM = 4 * 1024 * 1024 + 11; // Tyrus' default buffer

        private final WebSocketEngine engine;

        EngineContainer(int maxFrameBytes) {
            super(Set.of(ChatEndpoint.class));
            engine = TyrusWebSocketEngine.builder(this)
                    .incomingBufferSize(maxFrameBytes + FRAME_HEADER + READ_ROOM)
                    .build();
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, CONTEXT_PATH);
        }

        @Override
        public void register(ServerEndpointConfig config) throws DeploymentException {
            engine.register(config, CONTEXT_PATH);
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }

        @Override
        public Map<String, Object> getProperties() {
            return Map.of();
        }
    }
}
