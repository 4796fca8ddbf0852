package dev.parley.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay to another port, that a test can cut: {@link #cut()} drops every
 * connection through it and refuses new ones (accepted, then closed at once), as a
 * database that went away does; {@link #restore()} lets connections through again.
 * {@link #refuseUpgrades} makes it a proxy that blocks WebSocket, as some corporate ones
 * do: a connection whose first request asks for an upgrade gets 403 (browsers open every
 * WebSocket on a connection of its own, so the first request is the one to look at).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean refuseUpgrades;

    public TcpProxy(int target) {
        this.target = target;
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    /** From now on, answers a WebSocket handshake with 403 (true), or lets it through (false). */
    public void refuseUpgrades(boolean refuse) {
        refuseUpgrades = refuse;
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            if (cut) {
                closeQuietly(client);
                continue;
            }
            Thread relay = new Thread(() -> relay(client), "proxy-relay");
            relay.setDaemon(true);
            relay.start();
        }
    }

    private void relay(Socket client) {
        try {
            byte[] head = new byte[0];
            if (refuseUpgrades) {
                head = readHead(client);
                if (new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("\r\nupgrade: websocket")) {
                    client.getOutputStream().write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    closeQuietly(client);
                    return;
                }
            }
            Socket server = new Socket();
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 3000);
            server.getOutputStream().write(head);
            open.add(client);
            open.add(server);
            pump(client, server);
            pump(server, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** The first request's head (or what came of it in 10 s, at most 16 KiB). */
    private static byte[] readHead(Socket client) throws IOException {
        client.setSoTimeout(10_000);
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        InputStream in = client.getInputStream();
        int c;
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4 && head.size() < 16384 && (c = in.read()) >= 0) {
            head.write(c);
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        client.setSoTimeout(0);
        return head.toByteArray();
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException ended) {
                // one side closed or was cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        cut();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
