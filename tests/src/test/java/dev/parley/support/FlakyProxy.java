package dev.parley.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay that is a bad network on purpose: on a schedule drawn from a seeded
 * random source, it cuts connections through it (a reset, as a dropped NAT entry gives) and
 * stalls them (holds their bytes for a while, both ways, then lets them through). What a
 * phone on a train does to a chat. The seed makes a failing run repeatable in its choices
 * (not in its timing). Counts what it did, for the test to report.
 */
public final class FlakyProxy implements AutoCloseable {
    /** How often each connection is looked at, and the chances of a cut and a stall at each look. */
    private static final long TICK_MILLIS = 250;

    private final ServerSocket listener;
    private final int target;
    private final double cutChance;
    private final double stallChance;
    private final long maxStallMillis;
    private final Random random;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "flaky-proxy-schedule");
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
    }

    /**
     * @param cutChance   the chance, every {@value #TICK_MILLIS} ms, that a connection is cut
     * @param stallChance the chance, every {@value #TICK_MILLIS} ms, that it stalls for up to {@code maxStallMillis}
     */
    public FlakyProxy(int target, long seed, double cutChance, double stallChance, long maxStallMillis) {
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
        Thread acceptor = new Thread(this::accept, "flaky-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        schedule.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int cuts() {
        return cuts.get();
    }

    public int stalls() {
        return stalls.get();
    }

    /** From now on no more cuts or stalls (stalls under way end): the network is good again. */
    public void calm() {
        calm = true;
        links.forEach(link -> link.stalledUntil = 0);
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
            Thread relay = new Thread(() -> relay(client), "flaky-proxy-relay");
            relay.setDaemon(true);
            relay.start();
        }
    }

    private void relay(Socket client) {
        try {
            Socket server = new Socket();
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 3000);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            Link link = new Link(client, server);
            links.add(link);
            pump(link, client, server);
            pump(link, server, client);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

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
                closeQuietly(from);
                closeQuietly(to);
                links.remove(link);
            }
        }, "flaky-proxy-pump");
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
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(link -> {
            closeQuietly(link.client);
            closeQuietly(link.server);
        });
    }
}
