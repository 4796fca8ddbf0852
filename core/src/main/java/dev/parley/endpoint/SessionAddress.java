package dev.parley.endpoint;

import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's IP address as the container knows it, by the container's own session
 * class (the WebSocket API has no such call): Tyrus ({@code getRemoteAddr}, the
 * standalone server and Payara) and Undertow ({@code getWebSocketChannel().getSourceAddress()},
 * WildFly). Open Liberty's session holds no address reachable without digging through its
 * transport (channel framework or Netty); its handshake request keeps the servlet request
 * the upgrade came in, whose {@code getRemoteAddr()} {@link #ofHandshake} reads, and
 * {@link ChatHandshake} keeps for the session. Null elsewhere.
 */
final class SessionAddress {
    private static final Logger LOG = Logger.getLogger(SessionAddress.class.getName());

    private static final ClassValue<Function<Session, String>> BY_CLASS = new ClassValue<>() {
        @Override
        protected Function<Session, String> computeValue(Class<?> type) {
            Method tyrus = method(type, "getRemoteAddr");
            if (tyrus != null && tyrus.getReturnType() == String.class) {
                return session -> (String) invoke(tyrus, session);
            }
            Method undertow = method(type, "getWebSocketChannel");
            Method source = undertow == null ? null : method(undertow.getReturnType(), "getSourceAddress");
            if (source != null) {
                return session -> {
                    Object address = invoke(source, invoke(undertow, session));
                    return address instanceof InetSocketAddress
                            ? ((InetSocketAddress) address).getAddress().getHostAddress() : null;
                };
            }
            return session -> null;
        }
    };

    /** By the handshake request's class: the servlet request it holds (Liberty), or none. */
    private static final ClassValue<Function<HandshakeRequest, String>> BY_HANDSHAKE_CLASS = new ClassValue<>() {
        @Override
        protected Function<HandshakeRequest, String> computeValue(Class<?> type) {
            Field held = servletRequestField(type);
            Method remoteAddr = held == null ? null : method(held.getType(), "getRemoteAddr");
            if (remoteAddr == null || remoteAddr.getReturnType() != String.class) {
                return request -> null;
            }
            return request -> {
                try {
                    return (String) invoke(remoteAddr, held.get(request));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    };

    private SessionAddress() {
    }

    /** The session's address: from its container's session class, or as the handshake found it ({@link ChatHandshake#ADDRESS}). */
    static String of(Session session) {
        try {
            String address = BY_CLASS.get(session.getClass()).apply(session);
            return address != null ? address : (String) session.getUserProperties().get(ChatHandshake.ADDRESS);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no remote address", e);
            return null;
        }
    }

    /**
     * The client's address from a handshake request that holds the servlet request it came
     * in (Open Liberty's {@code HandshakeRequestExt}); null for one that does not (Tyrus,
     * Undertow: their sessions tell). By reflection: the standalone server has no servlet API.
     */
    static String ofHandshake(HandshakeRequest request) {
        try {
            return BY_HANDSHAKE_CLASS.get(request.getClass()).apply(request);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no remote address in the handshake", e);
            return null;
        }
    }

    private static Field servletRequestField(Class<?> type) {
        try {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.getType().getName().equals("jakarta.servlet.http.HttpServletRequest")) {
                        field.setAccessible(true);
                        return field;
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) { // inaccessible, or a field's type not loadable here
            LOG.log(Level.FINE, "no servlet request in " + type.getName(), e);
        }
        return null;
    }

    private static Method method(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            method.setAccessible(true);
            return method;
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }

    private static Object invoke(Method method, Object target) {
        try {
            return target == null ? null : method.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
