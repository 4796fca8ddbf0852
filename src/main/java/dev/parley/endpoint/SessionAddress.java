package dev.parley.endpoint;

import jakarta.websocket.Session;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's IP address as the container knows it, by the container's own session
 * class (the WebSocket API has no such call): Tyrus ({@code getRemoteAddr}, the
 * standalone server and Payara) and Undertow ({@code getWebSocketChannel().getSourceAddress()},
 * WildFly). Null elsewhere.
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

    private SessionAddress() {
    }

    static String of(Session session) {
        try {
            return BY_CLASS.get(session.getClass()).apply(session);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no remote address", e);
            return null;
        }
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
