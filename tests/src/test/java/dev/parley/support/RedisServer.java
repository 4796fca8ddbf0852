package dev.parley.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway {@code redis-server} of the test's own on a free loopback port, without
 * persistence, in a temporary working folder. It can be killed and started again on the
 * same port (so clients given its {@link #url} reconnect), or paused with SIGSTOP to play
 * a Redis that accepts connections and never answers. Where there is no
 * {@code redis-server} on the PATH the test is skipped, saying so; with CI=true it fails.
 */
public final class RedisServer implements AutoCloseable {
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final InetSocketAddress MACHINE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 6379);

    private final int port;
    private final Path folder;
    private volatile Process process;

    /** Picks the port (free now) and the folder; {@link #start} runs the server. */
    public RedisServer() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
            folder = Files.createTempDirectory("parley-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        folder.toFile().deleteOnExit();
        log().toFile().deleteOnExit();
    }

    /**
     * The machine's shared Redis at 127.0.0.1:6379, if it answers PING; otherwise the test is
     * skipped, or fails with CI=true.
     */
    public static String machineRedisUrl() {
        try {
            String reply = ping(MACHINE, Duration.ofSeconds(2));
            if (!reply.equals("+PONG")) {
                return Prerequisite.missing("the Redis at " + MACHINE + " answers PING with " + reply, null);
            }
        } catch (IOException unreachable) {
            return Prerequisite.missing("no Redis at 127.0.0.1:6379", unreachable);
        }
        return "redis://127.0.0.1:6379";
    }

    /** Starts the server on its port and waits (10 s at most) until it answers PING. */
    public void start() {
        if (isAlive()) {
            throw new IllegalStateException("redis-server on " + port + " is running");
        }
        Path executable = executable().orElseGet(() -> Prerequisite.missing(
                "no redis-server on the PATH (apt-get install redis-server)", null));
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
        builder.directory(folder.toFile());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + executable, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (ping(address(), PROBE_TIMEOUT).equals("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                last = notYet;
            }
            if (waitForExit(process, Duration.ofMillis(50))) { // the pause between tries, cut short by an exit
                throw new AssertionError("redis-server on " + port + " exited with " + process.exitValue()
                        + " before answering PING; its log:\n" + logText());
            }
        }
        kill();
        throw new AssertionError("redis-server on " + port + " did not answer PING within "
                + START_TIMEOUT.toSeconds() + " s (" + last + "); its log:\n" + logText());
    }

    /** SIGKILL, and waits for the process to end; {@link #start} brings it back on the same port. */
    public void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
            if (!waitForExit(running, STOP_TIMEOUT)) {
                throw new AssertionError("redis-server on " + port + " still runs after SIGKILL");
            }
        }
    }

    /** SIGSTOP: connections are still accepted (by the kernel), nothing is answered. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        Process running = process;
        if (running == null || !running.isAlive()) {
            throw new IllegalStateException("redis-server on " + port + " is not running");
        }
        long pid = running.toHandle().pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!waitForExit(kill, Duration.ofSeconds(10)) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + pid + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the server (paused or not). */
    @Override
    public void close() {
        kill();
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    public int port() {
        return port;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Sends {@code PING} (inline RESP) on a new connection and returns the reply line,
     * {@code +PONG} from a healthy server. A refused connection is a ConnectException; no
     * reply within {@code timeout} a SocketTimeoutException.
     */
    public static String ping(InetSocketAddress address, Duration timeout) throws IOException {
        List<String> reply = inline(address, "PING", 1, timeout);
        if (reply.get(0) == null) {
            throw new IOException("connection closed without a reply to PING");
        }
        return reply.get(0);
    }

    /** How many clients subscribe to {@code channel} now (PUBSUB NUMSUB). */
    public long subscribers(String channel) throws IOException {
        List<String> reply = inline(address(), "PUBSUB NUMSUB " + channel, 4, PROBE_TIMEOUT); // *2 $n channel :k
        String last = reply.get(3);
        if (!"*2".equals(reply.get(0)) || last == null || !last.startsWith(":")) {
            throw new IOException("PUBSUB NUMSUB answered " + reply);
        }
        return Long.parseLong(last.substring(1));
    }

    /** Sends one inline command on a new connection and reads {@code lines} reply lines (null past the end). */
    private static List<String> inline(InetSocketAddress address, String command, int lines, Duration timeout)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> reply = new ArrayList<>(lines);
            for (int i = 0; i < lines; i++) {
                reply.add(in.readLine());
            }
            return reply;
        }
    }

    private static Optional<Path> executable() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private Path log() {
        return folder.resolve("redis.log");
    }

    private String logText() {
        try {
            return Files.readString(log());
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static boolean waitForExit(Process running, Duration wait) {
        try {
            return running.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
