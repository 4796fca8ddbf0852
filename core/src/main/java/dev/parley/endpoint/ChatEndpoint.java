package dev.parley.endpoint;

import dev.parley.config.Forwarding;
import dev.parley.config.ParleyConfig;
import dev.parley.room.CloseReasons;
import dev.parley.room.Connection;
import dev.parley.room.Handshake;
import dev.parley.room.RoomRegistry;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat socket: lifecycle only. One instance per connection (the WebSocket default),
 * so {@link #connection} is this connection's own; the {@link RoomRegistry} opens it and
 * it decides what each frame does.
 *
 * <p>Its instances come from {@link ChatHandshake#getEndpointInstance}, which hands it the
 * application's beans: no container is asked to inject into an endpoint (Open Liberty
 * injects only into endpoints that are CDI beans, Tyrus and Undertow into any), and a
 * connection carries no CDI bookkeeping.
 */
@ServerEndpoint(value = "/chat/{room}", configurator = ChatHandshake.class)
public class ChatEndpoint {

    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());

    private final RoomRegistry registry;
    private final WebSocketPeers peers;

    private Connection connection;

    ChatEndpoint(RoomRegistry registry, WebSocketPeers peers) {
        this.registry = registry;
        this.peers = peers;
    }

    /**
     * Never called by the containers Parley runs on (all make their instances through
     * {@link ChatHandshake#getEndpointInstance}), but Open Liberty refuses to deploy an
     * annotated endpoint class without a public no-argument constructor, whatever its
     * configurator. Should a container call it, the instance takes the application's beans
     * from CDI as the configurator does.
     */
    public ChatEndpoint() {
        this(CDI.current().select(RoomRegistry.class).get(), CDI.current().select(WebSocketPeers.class).get());
    }

    /** What the registry needs of the WebSocket: a peer to send through, and the handshake's headers and address. */
    @OnOpen
    public void open(Session session, @PathParam("room") String room) {
        ParleyConfig config = registry.config();
        String address = null;
        // Parley closes idle connections itself (the registry's sweep), so the container's
        // timeout is off (negative: none). Not 0: for a session without a timeout Tyrus
        // schedules a timer task on every frame sent or received
        session.setMaxIdleTimeout(-1);
        session.setMaxTextMessageBufferSize(config.maxFrameBytes());
        session.setMaxBinaryMessageBufferSize(config.maxFrameBytes());
        Map<String, Object> headers = session.getUserProperties();
        String host = (String) headers.get(ChatHandshake.HOST);
        if (config.maxConnectionsPerIp() > 0
                || headers.containsKey(ChatHandshake.FORWARDING) && !config.trustedProxies().isEmpty()) {
            Forwarding forwarding = config.forwarding(SessionAddress.of(session), host, ChatHandshake.forwarding(headers));
            host = forwarding.host();
            address = forwarding.address();
        }
        Handshake handshake = new Handshake(headers.get(ChatHandshake.SEEN) != null,
                (String) headers.get(ChatHandshake.ORIGIN), host, config.maxConnectionsPerIp() > 0 ? address : null);
        // read once: an idle connection need not keep them
        headers.remove(ChatHandshake.SEEN);
        headers.remove(ChatHandshake.ORIGIN);
        headers.remove(ChatHandshake.HOST);
        headers.remove(ChatHandshake.ADDRESS);
        headers.remove(ChatHandshake.FORWARDING);
        connection = registry.open(peers.peer(session), handshake, room);
    }

    @OnMessage
    public void text(String frame) {
        connection.receive(frame);
    }

    @OnMessage
    public void binary(ByteBuffer frame) {
        connection.receiveBinary(frame.remaining());
    }

    @OnClose
    public void close(CloseReason reason) {
        if (connection != null) {
            connection.closed(reason);
        }
    }

    /**
     * The container reports a failure of the connection. A failure before the connection
     * existed is Parley's own (its {@code open} failed): logged, and the connection closed
     * with 1011, since nothing would ever close it. Any later one the container closes the
     * connection for, so it is only noted. So is one on a session that is closed already:
     * Tyrus closes a connection whose message overflows its buffer with 1009 first, which
     * ends this endpoint, and then reports the failure to a new instance that never opened
     * (seen on GlassFish 7, where it read "failed to open" at WARNING).
     */
    @OnError
    public void error(Session session, Throwable failure) {
        if (connection != null || !session.isOpen()) {
            LOG.log(Level.FINE, (connection != null ? connection : session.getRequestURI()) + " failed", failure);
            return;
        }
        LOG.log(Level.WARNING, "A connection to " + session.getRequestURI() + " failed to open", failure);
        try {
            session.close(CloseReasons.SERVER_ERROR);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "close failed", e);
        }
    }
}
