package dev.parley.standalone.grizzly;

import dev.parley.config.Forwarding;
import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Meters;
import dev.parley.room.CloseReasons;
import dev.parley.room.Connection;
import dev.parley.room.Handshake;
import dev.parley.room.RoomRegistry;
import jakarta.websocket.CloseReason;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.Header;
import org.glassfish.grizzly.http.util.HttpStatus;

/**
 * Parley's own WebSocket on the standalone listener ({@code PARLEY_WEBSOCKET_ENGINE=parley}),
 * in place of Tyrus: the handshake of {@code GET /chat/{room}} (RFC 6455 4.2), then each
 * connection's bytes to its {@link WebSocketConnection}, which the registry opens as any
 * transport's. What Tyrus kept per connection (a session, the handshake's URI, parameters
 * and properties, message handlers, a task queue) is not made: a connection is its socket,
 * its reader's few fields and Parley's own {@link Connection}.
 *
 * <p>Sits where Tyrus' filter would, just below Grizzly's HTTP server; {@link PastTheHttpCodec}
 * takes an upgraded connection's reads past the codec and its writes past every filter.
 * Refused at the handshake, as Tyrus and {@link HandshakeCheck} refuse them: a key that is
 * not 16 bytes of base64 with 400, a version other than 13 with 426 naming 13. A request
 * for any other path, or with another method, goes on to the HTTP server (a 404 for
 * {@code /chat/a/b}).
 */
public final class WebSockets extends BaseFilter implements AddOn {
    private static final Logger LOG = Logger.getLogger(WebSockets.class.getName());
    private static final String PREFIX = "/chat/";
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final Attribute<WebSocketConnection> SOCKET =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(WebSockets.class.getName() + ".socket");

    private final RoomRegistry registry;
    private final ParleyConfig config;
    private final Meters.Writes writes;
    private final Consumer<CloseReason> refused;

    /**
     * @param writes  where the writes are counted ({@code parley_websocket_writes_total{path="parley"}})
     * @param refused told of each connection closed for a frame that breaks the rules (the metrics' closes)
     */
    public WebSockets(RoomRegistry registry, ParleyConfig config, Meters.Writes writes, Consumer<CloseReason> refused) {
        this.registry = registry;
        this.config = config;
        this.writes = writes;
        this.refused = refused;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(HttpServerFilter.class), this);
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) {
        org.glassfish.grizzly.Connection<?> connection = ctx.getConnection();
        WebSocketConnection socket = SOCKET.get(connection);
        if (socket != null) { // upgraded: the bytes, past the codec
            HttpContent content = ctx.getMessage();
            Buffer bytes = content.getContent();
            content.recycle();
            socket.read(bytes);
            return ctx.getStopAction();
        }
        HttpRequestPacket request = AboveHttpCodec.request(ctx);
        if (request == null || request.getMethod() != Method.GET || !"websocket".equalsIgnoreCase(request.getUpgrade())) {
            return ctx.getInvokeAction();
        }
        String path = request.getRequestURI();
        if (!path.startsWith(PREFIX) || path.indexOf('/', PREFIX.length()) >= 0) {
            return ctx.getInvokeAction();
        }
        String key = request.getHeader("Sec-WebSocket-Key");
        if (!HandshakeCheck.validKey(key)) {
            refuse(ctx, request, 400, "Bad Request", null);
            return ctx.getStopAction();
        }
        if (!"13".equals(trim(request.getHeader("Sec-WebSocket-Version")))) {
            refuse(ctx, request, 426, "Upgrade Required", "13");
            return ctx.getStopAction();
        }
        HttpResponsePacket response = request.getResponse();
        response.setProtocol(Protocol.HTTP_1_1);
        HttpStatus.SWITCHING_PROTOCOLS_101.setValues(response);
        response.setHeader(Header.Upgrade, "websocket");
        response.setHeader(Header.Connection, "Upgrade");
        response.setHeader("Sec-WebSocket-Accept", accept(key.strip()));
        ctx.write(HttpContent.builder(response).build());

        socket = new WebSocketConnection(connection, config.tls() != null, config.maxFrameBytes(), writes, refused);
        SOCKET.set(connection, socket);
        WebSocketConnection opening = socket;
        connection.addCloseListener((closed, type) -> opening.socketClosed());
        Connection chat;
        try {
            chat = registry.open(socket, handshake(request, connection), path.substring(PREFIX.length()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A connection to " + path + " failed to open", e);
            socket.close(CloseReasons.SERVER_ERROR);
            return ctx.getStopAction();
        }
        socket.opened(chat);
        HttpContent content = ctx.getMessage();
        if (content.getContent().hasRemaining()) { // frames the client sent before the 101 reached it
            socket.read(content.getContent());
        }
        return ctx.getStopAction();
    }

    /** What the registry checks of the request: its origin, its host and its client's address, as a proxy it trusts tells them. */
    private Handshake handshake(HttpRequestPacket request, org.glassfish.grizzly.Connection<?> connection) {
        String peer = connection.getPeerAddress() instanceof InetSocketAddress address && address.getAddress() != null
                ? address.getAddress().getHostAddress() : null;
        Forwarding forwarding = config.forwarding(peer, header(request, "Host"), name -> header(request, name));
        return new Handshake(true, header(request, "Origin"), forwarding.host(),
                config.maxConnectionsPerIp() > 0 ? forwarding.address() : null);
    }

    /** A request header, several values joined with commas; null if none. */
    private static String header(HttpRequestPacket request, String name) {
        String joined = null;
        for (String value : request.getHeaders().values(name)) {
            joined = joined == null ? value : joined + "," + value;
        }
        return joined;
    }

    /** Answers the upgrade with {@code status} (and the version it speaks) and closes the connection. */
    private static void refuse(FilterChainContext ctx, HttpRequestPacket request, int status, String phrase, String version) {
        HttpResponsePacket response = request.getResponse();
        response.setStatus(status);
        response.setReasonPhrase(phrase);
        response.setContentLength(0);
        response.setHeader(Header.Connection, "close");
        if (version != null) {
            response.setHeader("Sec-WebSocket-Version", version);
        }
        ctx.write(HttpContent.builder(response).last(true).build());
        ctx.getConnection().closeSilently();
    }

    private static String trim(String value) {
        return value == null ? null : value.strip();
    }

    /** RFC 6455 4.2.2: the key and the protocol's GUID, hashed with SHA-1, in base64. */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
