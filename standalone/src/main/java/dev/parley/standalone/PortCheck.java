package dev.parley.standalone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether the listener can have its port, asked before the store and CDI start (which take
 * seconds, and log), so that a port in use is told at once with nothing opened. The
 * listener binds the port for good later; should another process take it in between,
 * {@link #refusal} words that failure the same way.
 */
final class PortCheck {
    private PortCheck() {
    }

    /** @throws StartException if {@code host:port} cannot be bound now; port 0 (any free one) always can */
    static void free(String host, int port) {
        if (port == 0) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new StartException("cannot resolve PARLEY_HOST " + host
                    + ": set it to an address of this machine, or 0.0.0.0 for every interface");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Grizzly binds: a socket of a past run in TIME_WAIT does not count
            probe.bind(address);
        } catch (IOException e) {
            throw refusal(host, port, e);
        }
    }

    /** One line for a failed bind, by the system's reason. */
    static StartException refusal(String host, int port, IOException e) {
        String reason = String.valueOf(e.getMessage());
        if (reason.contains("already in use")) {
            return new StartException("port " + port + " on " + host
                    + " is in use (by another Parley?): set PARLEY_PORT to a free one");
        }
        if (reason.contains("Permission denied")) {
            return new StartException("cannot listen on port " + port + " (permission denied): a port below 1024 needs"
                    + " privileges; set PARLEY_PORT to 1024 or above");
        }
        if (reason.contains("assign requested address")) {
            return new StartException("cannot listen on " + host + " (not an address of this machine): set PARLEY_HOST"
                    + " to one, or to 0.0.0.0 for every interface");
        }
        return new StartException("cannot listen on " + host + ":" + port + " (" + reason + ")");
    }
}
