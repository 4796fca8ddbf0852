package dev.parley.endpoint;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * Keeps the handshake's {@code Origin} and {@code Host} headers for the connection, so
 * the registry can check the origin when the socket opens: the WebSocket API shows
 * request headers only here. The user properties given to {@code modifyHandshake} are
 * the connection's own on Tyrus and Undertow (both copy them per connection), and
 * become its session's.
 */
public class ChatHandshake extends ServerEndpointConfig.Configurator {
    /** Session user property: the Origin header, absent when the request had none. */
    public static final String ORIGIN = "dev.parley.origin";
    /** Session user property: the Host header. */
    public static final String HOST = "dev.parley.host";
    /** Session user property: present once this configurator saw the handshake. */
    public static final String SEEN = "dev.parley.handshake";

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        Map<String, Object> properties = config.getUserProperties();
        properties.put(SEEN, Boolean.TRUE);
        for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
            List<String> values = header.getValue();
            if (values == null || values.isEmpty()) {
                continue;
            }
            if ("Origin".equalsIgnoreCase(header.getKey())) {
                properties.put(ORIGIN, values.size() == 1 ? values.get(0) : String.join(",", values));
            } else if ("Host".equalsIgnoreCase(header.getKey())) {
                properties.put(HOST, values.get(0));
            }
        }
    }
}
