package dev.parley.support;

import dev.parley.standalone.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Parley server as its own OS process, so a test can kill it with SIGKILL, stop it
 * with SIGTERM and start it again: the standalone server ({@code java -cp <test class
 * path> dev.parley.standalone.Main}), or the WAR in Payara Micro ({@link #payaraMicro}).
 * Its settings are PARLEY_* variables over the test defaults; none is inherited from the
 * test's own environment. Everything it prints (stdout and stderr)
 * is kept, the last {@value #KEPT_LINES} lines of the current run, for {@link #lines} and
 * {@link #awaitLine}.
 */
public final class ParleyNode implements AutoCloseable {
    /** Long enough for a node on a machine that runs other servers and browsers beside it: a wait, not a pause. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    static final int KEPT_LINES = 10_000;
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^ ]+:(\\d+)/");
    /** Micro's last start-up line, after the deployment, and the URL it listed before it. */
    private static final Pattern PAYARA_READY = Pattern.compile("Payara Micro .* ready in");
    private static final Pattern PAYARA_URL = Pattern.compile("http://[^ /]+:(\\d+)/parley");
    private static final Duration PAYARA_START_TIMEOUT = Duration.ofSeconds(180);

    private final String name;
    private final List<String> command;
    private final Pattern listening;
    private final Duration startTimeout;
    private final String path;
    private final Map<String, String> settings = new HashMap<>();
    private volatile Process process;
    private volatile Output output = Output.none();
    private volatile Thread pump;
    private volatile int port;

    /**
     * On 127.0.0.1, a free port, without a rate limit, and with a fresh data folder (kept
     * across restarts, so the default H2 store survives them).
     *
     * @param name     how messages and thread names call this node, "node-1" say
     * @param settings PARLEY_* variables over those defaults
     */
    public ParleyNode(String name, Map<String, String> settings) {
        this(name, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()), LISTENING, START_TIMEOUT, "/", settings);
    }

    private ParleyNode(String name, List<String> command, Pattern listening, Duration startTimeout, String path,
                       Map<String, String> settings) {
        this.name = name;
        this.command = List.copyOf(command);
        this.listening = listening;
        this.startTimeout = startTimeout;
        this.path = path;
        this.settings.put("PARLEY_HOST", "127.0.0.1");
        this.settings.put("PARLEY_PORT", "0");
        this.settings.put("PARLEY_RATE_LIMIT", "0");
        this.settings.put("PARLEY_SHUTDOWN_GRACE", "0"); // ShutdownTest times the grace
        if (!settings.containsKey("PARLEY_DATA")) {
            this.settings.put("PARLEY_DATA", freshFolder().toString());
        }
        if (System.getProperty("parley.websocket.engine") != null) { // every suite on one engine: -Dparley.websocket.engine=parley
            this.settings.put("PARLEY_WEBSOCKET_ENGINE", System.getProperty("parley.websocket.engine"));
        }
        this.settings.putAll(settings);
    }

    /**
     * The WAR in Payara Micro, started by {@code command} (java, its options, {@code -jar}
     * Micro and Micro's own options, which must deploy the WAR at /parley and listen on
     * 127.0.0.1); the settings reach Parley as environment variables, as they would the
     * standalone server. It counts as listening once Micro says it is ready, on the port
     * of the URL it lists.
     */
    public static ParleyNode payaraMicro(String name, List<String> command, Map<String, String> settings) {
        return new ParleyNode(name, command, PAYARA_READY, PAYARA_START_TIMEOUT, "/parley/", settings);
    }

    /**
     * The standalone server as the distribution starts it: {@code home/bin/parley} (which
     * reads {@code home/conf/parley.env}), run by this JVM's java; the settings are
     * environment variables over the file's.
     */
    public static ParleyNode distribution(String name, Path home, Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ParleyNode(name, List.of(home.resolve("bin/parley").toString()), LISTENING, START_TIMEOUT, "/",
                environment);
    }

    private static Path freshFolder() {
        try {
            Path data = Files.createTempDirectory("parley-node-");
            data.toFile().deleteOnExit();
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** Starts the process and waits until it listens; an AssertionError with its output if it does not. */
    public void start() {
        launch();
        awaitListening();
    }

    /** Starts the process without waiting for it (so that several nodes start together). */
    void launch() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PARLEY_"));
        builder.environment().putAll(settings);
        builder.redirectErrorStream(true);
        Output fresh = new Output();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        output = fresh;
        port = 0;
        Process running = process;
        pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    fresh.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            } finally {
                fresh.end();
            }
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Waits for the line that says the process listens, and keeps its port. */
    void awaitListening() {
        Duration timeout = startTimeout;
        Optional<MatchResult> listening = output.await(this.listening, timeout);
        if (listening.isEmpty()) {
            boolean ended = output.ended();
            kill();
            String why = ended ? "exited with " + process.exitValue() + " before listening"
                    : "did not start within " + timeout.toSeconds() + " s";
            throw new AssertionError(name + " " + why + "; its output:\n" + String.join("\n", lines()));
        }
        MatchResult portIn = listening.get().groupCount() > 0 ? listening.get()
                : output.await(PAYARA_URL, Duration.ZERO).orElseThrow(() -> new AssertionError(
                        name + " listed no URL of Parley; its output:\n" + String.join("\n", lines())));
        port = Integer.parseInt(portIn.group(1));
    }

    /** SIGKILL: no shutdown hook, no flush. Waits for the process to end. */
    public void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
            awaitExit(running, STOP_TIMEOUT);
        }
    }

    /**
     * SIGTERM, as Ctrl-C: the server closes its connections and ends; killed if it takes
     * over 30 s. What it prints while it stops is kept: the signal goes through the
     * ProcessHandle, since Process.destroy() also closes our end of its output at once.
     */
    public void stop() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.toHandle().destroy();
            if (!waitFor(running, STOP_TIMEOUT)) {
                running.destroyForcibly();
            }
        }
        if (running != null) {
            awaitExit(running, STOP_TIMEOUT);
        }
    }

    /** Sends SIGTERM without waiting (so that several nodes stop together); {@link #stop} waits. */
    void terminate() {
        Process running = process;
        if (running != null) {
            running.toHandle().destroy();
        }
    }

    /** Stops the process if it runs and starts it again with the same settings (the port may change). */
    public void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitExit(Process running, Duration wait) {
        if (!waitFor(running, wait)) {
            throw new AssertionError(name + " (pid " + running.pid() + ") still runs after " + wait.toSeconds() + " s");
        }
        try {
            pump.join(wait.toMillis()); // the last lines it printed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static boolean waitFor(Process running, Duration wait) {
        try {
            return running.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** The exit status of the last run, which has ended. */
    public int exitValue() {
        Process running = process;
        if (running == null || running.isAlive()) {
            throw new IllegalStateException(name + (running == null ? " has not started" : " is running"));
        }
        return running.exitValue();
    }

    /** The process id of the current (or last) run. */
    public long pid() {
        Process running = process;
        if (running == null) {
            throw new IllegalStateException(name + " has not started");
        }
        return running.pid();
    }

    /** The port of the current (or last) run. */
    public int port() {
        if (port == 0) {
            throw new IllegalStateException(name + " has not started");
        }
        return port;
    }

    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public URI chatUri(String room) {
        return URI.create("ws://127.0.0.1:" + port() + path + "chat/" + room);
    }

    /** What the current (or last) run printed so far, its last {@value #KEPT_LINES} lines. */
    public List<String> lines() {
        return output.lines();
    }

    /**
     * The first line of the current run matching {@code pattern} (found in it), among those
     * printed already or those that come within {@code wait}; an AssertionError with the
     * output if none does, or if the process ends without printing one.
     */
    public MatchResult awaitLine(Pattern pattern, Duration wait) {
        return output.await(pattern, wait).orElseThrow(() -> new AssertionError(
                name + " printed no line matching /" + pattern + "/ within " + wait.toMillis() + " ms"
                        + (output.ended() ? " (its output has ended)" : "") + "; its output:\n" + String.join("\n", lines())));
    }

    @Override
    public String toString() {
        return name + (port == 0 ? "" : " on " + port) + (isAlive() ? "" : " (not running)");
    }

    /** One run's lines, the last {@value #KEPT_LINES}, in a ring; waiters are woken by each new line. */
    private static final class Output {
        private final String[] ring = new String[KEPT_LINES];
        private long total; // lines added so far; guarded by this
        private boolean ended; // guarded by this

        synchronized void add(String line) {
            ring[(int) (total % KEPT_LINES)] = line;
            total++;
            notifyAll();
        }

        /** The output before any run: empty, ended. */
        static Output none() {
            Output none = new Output();
            none.end();
            return none;
        }

        synchronized boolean ended() {
            return ended;
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        synchronized List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (long i = oldest(); i < total; i++) {
                lines.add(ring[(int) (i % KEPT_LINES)]);
            }
            return lines;
        }

        /** Empty if no line matches within the wait, or the output ends without one. */
        synchronized Optional<MatchResult> await(Pattern pattern, Duration wait) {
            long deadline = System.nanoTime() + wait.toNanos();
            long next = oldest();
            while (true) {
                for (next = Math.max(next, oldest()); next < total; next++) {
                    Matcher matcher = pattern.matcher(ring[(int) (next % KEPT_LINES)]);
                    if (matcher.find()) {
                        return Optional.of(matcher.toMatchResult());
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    return Optional.empty();
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }

        private long oldest() {
            return Math.max(0, total - KEPT_LINES);
        }
    }
}
