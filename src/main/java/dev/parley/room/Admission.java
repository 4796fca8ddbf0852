package dev.parley.room;

import dev.parley.config.AllowedOrigins;
import dev.parley.config.ParleyConfig;
import dev.parley.endpoint.ChatHandshake;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether a new connection may stay: its page's origin (against cross-site WebSocket
 * hijacking), the node's connection limit and the limit per client address. Counts the
 * connections it let in until {@link #release}.
 */
final class Admission {
    private static final Logger LOG = Logger.getLogger(Admission.class.getName());

    private final AllowedOrigins origins;
    private final int max;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicBoolean toldNoHandshake = new AtomicBoolean();
    private final AtomicBoolean toldNoAddress = new AtomicBoolean();

    Admission(ParleyConfig config) {
        this.origins = config.allowedOrigins();
        this.max = config.maxConnections();
        this.maxPerAddress = config.maxConnectionsPerIp();
    }

    /**
     * Counts the connection in, or says why it must close: 1008 for an origin not allowed,
     * 1013 beyond a limit.
     *
     * @return null when admitted; then {@link #release} must follow once
     */
    CloseReason admit(Connection member, Session session) {
        Map<String, Object> handshake = session.getUserProperties();
        if (handshake.get(ChatHandshake.SEEN) == null) {
            if (toldNoHandshake.compareAndSet(false, true)) {
                LOG.warning("This container did not pass the handshake's headers on: origins cannot be checked");
            }
        } else if (!origins.allows((String) handshake.get(ChatHandshake.ORIGIN), (String) handshake.get(ChatHandshake.HOST))) {
            LOG.log(Level.FINE, "origin {0} refused", handshake.get(ChatHandshake.ORIGIN));
            return CloseReasons.ORIGIN_NOT_ALLOWED;
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return CloseReasons.TRY_AGAIN_LATER;
        }
        if (maxPerAddress > 0) {
            String address = RemoteAddress.of(session);
            if (address == null) {
                if (toldNoAddress.compareAndSet(false, true)) {
                    LOG.warning("This container does not tell a connection's address: PARLEY_MAX_CONNECTIONS_PER_IP"
                            + " is not applied");
                }
            } else if (perAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
                perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
                open.decrementAndGet();
                return CloseReasons.TRY_AGAIN_LATER;
            } else {
                member.countedAt(address);
            }
        }
        return null;
    }

    /** The admitted connection is gone. */
    void release(Connection member) {
        open.decrementAndGet();
        String address = member.countedAt();
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        }
    }

    /**
     * The client's IP address as the container knows it, by the container's own session
     * class (the WebSocket API has no such call): Tyrus ({@code getRemoteAddr}, the
     * standalone server and Payara) and Undertow ({@code getWebSocketChannel().getSourceAddress()},
     * WildFly). Null elsewhere.
     */
    static final class RemoteAddress {
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

        private RemoteAddress() {
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
}
