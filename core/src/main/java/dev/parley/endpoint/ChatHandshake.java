package dev.parley.endpoint;

import dev.parley.room.RoomRegistry;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Keeps the handshake's {@code Origin} and {@code Host} headers for the connection, so
 * the registry can check the origin when the socket opens, and those a proxy adds
 * ({@code Forwarded}, {@code X-Forwarded-*}: config.Forwarding): the WebSocket API shows
 * request headers only here (and, on Open Liberty, the client's address: {@link SessionAddress}).
 * The user properties given to {@code modifyHandshake} are the connection's own on Tyrus,
 * Undertow and Liberty (all copy them per connection), and become its session's.
 *
 * <p>It also makes each connection's {@link ChatEndpoint}, with the application's beans
 * from {@link CDI#current()}: the WebSocket and CDI specifications guarantee this on
 * every container, where injection into a plain endpoint class is not done everywhere.
 * The container makes one configurator per endpoint, per deployment.
 */
public class ChatHandshake extends ServerEndpointConfig.Configurator {
    /** Session user property: the Origin header, absent when the request had none. */
    public static final String ORIGIN = "dev.parley.origin";
    /** Session user property: the Host header. */
    public static final String HOST = "dev.parley.host";
    /** Session user property: present once this configurator saw the handshake. */
    public static final String SEEN = "dev.parley.handshake";
    /** Session user property: the client's address, where only the handshake tells it (Open Liberty: {@link SessionAddress}). */
    public static final String ADDRESS = "dev.parley.address";
    /**
     * Session user property: the handshake's {@code Forwarded} and {@code X-Forwarded-*}
     * headers (a map, lower-case names, several values joined with commas), absent when it had none.
     */
    public static final String FORWARDING = "dev.parley.forwarding";
    private static final Set<String> FORWARDING_HEADERS = Set.of("forwarded", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto");

    private volatile Beans beans;

    /** The application-scoped beans every endpoint shares (client proxies: looked up once). */
    private record Beans(RoomRegistry registry, WebSocketPeers peers) {
    }

    @Override
    public <T> T getEndpointInstance(Class<T> type) throws InstantiationException {
        if (type != ChatEndpoint.class) {
            throw new InstantiationException("not a Parley endpoint: " + type.getName());
        }
        Beans shared = beans;
        if (shared == null) {
            CDI<Object> cdi = CDI.current();
            shared = new Beans(cdi.select(RoomRegistry.class).get(), cdi.select(WebSocketPeers.class).get());
            beans = shared;
        }
        return type.cast(new ChatEndpoint(shared.registry(), shared.peers()));
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        Map<String, Object> properties = config.getUserProperties();
        properties.put(SEEN, Boolean.TRUE);
        String address = SessionAddress.ofHandshake(request);
        if (address != null) {
            properties.put(ADDRESS, address);
        }
        for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
            List<String> values = header.getValue();
            if (values == null || values.isEmpty()) {
                continue;
            }
            if ("Origin".equalsIgnoreCase(header.getKey())) {
                properties.put(ORIGIN, values.size() == 1 ? values.get(0) : String.join(",", values));
            } else if ("Host".equalsIgnoreCase(header.getKey())) {
                properties.put(HOST, values.get(0));
            } else if (FORWARDING_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                @SuppressWarnings("unchecked")
                Map<String, String> forwarding = (Map<String, String>) properties.computeIfAbsent(FORWARDING, k -> new HashMap<>(4));
                forwarding.put(header.getKey().toLowerCase(Locale.ROOT), String.join(",", values));
            }
        }
    }

    /** The handshake's forwarding headers kept in {@code properties}, by name (any case); null for one it had not. */
    static UnaryOperator<String> forwarding(Map<String, Object> properties) {
        @SuppressWarnings("unchecked")
        Map<String, String> kept = (Map<String, String>) properties.get(FORWARDING);
        return kept == null ? name -> null : name -> kept.get(name.toLowerCase(Locale.ROOT));
    }
}
