package dev.parley.support;

import java.io.ByteArrayOutputStream;
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
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay to another port, that a test can cut: {@link #cut()} drops every
 * connection through it and refuses new ones (accepted, then closed at once), as a
 * database that went away does; {@link #restore()} lets connections through again.
 * {@link #refuseUpgrades} makes it a proxy that blocks WebSocket, as some corporate ones
 * do: a connection whose first request asks for an upgrade gets 403 (browsers open every
 * WebSocket on a connection of its own, so the first request is the one to look at).
 * {@link #flaky} makes one that is a bad network on purpose: on a schedule drawn from a
 * seeded random source, it cuts connections (a reset, as a dropped NAT entry gives) and
 * stalls them (holds their bytes for a while, both ways). What a phone on a train does to
 * a chat. The seed makes a failing run repeatable in its choices (not in its timing).
 * {@link #calm()} makes the network good, {@link #storm()} bad again.
 */
public final class TcpProxy implements AutoCloseable {
    /** How often a flaky proxy looks at each connection, to maybe cut or stall it. */
    private static final long TICK_MILLIS = 250;

    private final ServerSocket listener;
    private final int target;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean refuseUpgrades;

    private final double cutChance;
    private final double stallChance;
    private final long maxStallMillis;
    private final Random random;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "proxy-schedule");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger cuts = new AtomicInteger();
    private final AtomicInteger stalls = new AtomicInteger();
    private volatile boolean calm;

    /** A connection through the proxy: its two sockets, and until when its bytes are held. */
    private static final class Link {
        final Socket client;
        final Socket server;
        volatile long stalledUntil;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    public TcpProxy(int target) {
        this(target, 0, 0, 0, 0);
    }

    /**
     * @param cutChance   the chance, every {@value #TICK_MILLIS} ms, that a connection is cut
     * @param stallChance the chance, every {@value #TICK_MILLIS} ms, that it stalls for up to {@code maxStallMillis}
     */
    public static TcpProxy flaky(int target, long seed, double cutChance, double stallChance, long maxStallMillis) {
        return new TcpProxy(target, seed, cutChance, stallChance, maxStallMillis);
    }

    private TcpProxy(int target, long seed, double cutChance, double stallChance, long maxStallMillis) {
        this.target = target;
        this.cutChance = cutChance;
        this.stallChance = stallChance;
        this.maxStallMillis = maxStallMillis;
        this.random = new Random(seed);
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        if (cutChance + stallChance > 0) { // no schedule thread for a proxy that only cuts when told
            schedule.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Drops every connection and refuses new ones until {@link #restore()}. */
    public void cut() {
        cut = true;
        links.forEach(Link::close);
        links.clear();
    }

    public void restore() {
        cut = false;
    }

    /** From now on, answers a WebSocket handshake with 403 (true), or lets it through (false). */
    public void refuseUpgrades(boolean refuse) {
        refuseUpgrades = refuse;
    }

    /** How many connections a flaky proxy has cut so far. */
    public int cuts() {
        return cuts.get();
    }

    /** How many stalls a flaky proxy has begun so far. */
    public int stalls() {
        return stalls.get();
    }

    /** From now on (until {@link #storm()}) no more cuts or stalls, and stalls under way end: the network is good again. */
    public void calm() {
        calm = true;
        links.forEach(link -> link.stalledUntil = 0);
    }

    /**
     * After {@link #calm()}, a flaky proxy is a bad network again: for a test that needs the
     * network good for a while first (a page loading its scripts, which no browser fetches
     * again if a connection is cut under one).
     */
    public void storm() {
        calm = false;
    }

    private void tick() {
        if (calm) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Link link : links) {
            double roll;
            long stall;
            synchronized (random) {
                roll = random.nextDouble();
                stall = 200 + (long) (random.nextDouble() * (maxStallMillis - 200));
            }
            if (roll < cutChance) {
                cuts.incrementAndGet();
                reset(link.client);
                reset(link.server);
                links.remove(link);
            } else if (roll < cutChance + stallChance && link.stalledUntil < now) {
                stalls.incrementAndGet();
                link.stalledUntil = now + stall;
            }
        }
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
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.getOutputStream().write(head);
            Link link = new Link(client, server);
            links.add(link);
            pump(link, client, server);
            pump(link, server, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    /** The first request's head (or what came of it in 10 s, at most 16 KiB). */
    private static byte[] readHead(Socket client) throws IOException {
        client.setSoTimeout(10_000);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
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

    /** Copies bytes one way, holding them while the link is stalled. */
    private void pump(Link link, Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    for (long wait = link.stalledUntil - System.currentTimeMillis(); wait > 0;
                         wait = link.stalledUntil - System.currentTimeMillis()) {
                        Thread.sleep(Math.min(wait, 50));
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException ended) {
                // one side closed or was cut
            } finally {
                link.close();
                links.remove(link);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Closes with a reset (SO_LINGER 0), as a connection a network dropped looks to its ends. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closed already
        }
        closeQuietly(socket);
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
        schedule.shutdownNow();
        cut();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
