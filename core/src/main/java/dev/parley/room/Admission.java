package dev.parley.room;

import dev.parley.config.AllowedOrigins;
import dev.parley.config.ParleyConfig;
import jakarta.websocket.CloseReason;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** Whether the node is full: said once when it becomes so, and once when it has room again. */
    private final AtomicBoolean full = new AtomicBoolean();

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
    CloseReason admit(Connection member, Handshake handshake) {
        if (!handshake.headersSeen()) {
            if (toldNoHandshake.compareAndSet(false, true)) {
                LOG.warning("This container did not pass the handshake's headers on: origins cannot be checked");
            }
        } else if (!origins.allows(handshake.origin(), handshake.host())) {
            LOG.log(Level.FINE, "origin {0} refused", handshake.origin());
            return CloseReasons.ORIGIN_NOT_ALLOWED;
        }
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            if (full.compareAndSet(false, true)) {
                LOG.warning("This node holds " + max + " chat connections, its most (PARLEY_MAX_CONNECTIONS): new ones"
                        + " are closed with 1013 until some leave");
            }
            return CloseReasons.TRY_AGAIN_LATER;
        }
        if (maxPerAddress > 0) {
            String address = handshake.address();
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
        int now = open.decrementAndGet();
        // a twentieth below the limit, so that a node at its limit does not say it twice a second
        if (full.get() && now <= max - Math.max(1, max / 20) && full.compareAndSet(true, false)) {
            LOG.info("This node takes new chat connections again (" + now + " of at most " + max + ")");
        }
        String address = member.countedAt();
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        }
    }
}
