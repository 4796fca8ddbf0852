package dev.parley.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The browsers' driver, src/test/browser/driver.mjs (puppeteer-core: Chromium over CDP,
 * Firefox over WebDriver BiDi), as a child process: one JSON request a line on its stdin,
 * {"id": 7, "cmd": "click", ...}, one answer a line on its stdout, {"id": 7, "result": ...}
 * or {"id": 7, "error": "..."}. It does one page's requests one at a time, in order, and
 * different pages' at once: a test may drive two pages from two threads. One process per test
 * run, closed with it; its stderr goes to this JVM's (the test's output file).
 *
 * <p>Its node_modules come from {@code npm ci} (package-lock.json, puppeteer-core pinned),
 * run by {@link NodeTooling#install} when they are missing or older than the lock file,
 * with PUPPETEER_SKIP_DOWNLOAD: only the npm registry is needed, and no browser is ever
 * downloaded.
 */
public final class BrowserDriver implements ExtensionContext.Store.CloseableResource {
    static final Path DIRECTORY = Path.of("src", "test", "browser");
    /** How much longer than a command's own timeout the driver may take to answer. */
    private static final Duration MARGIN = Duration.ofSeconds(20);
    private static final Map<String, String> NO_DOWNLOAD = Map.of("PUPPETEER_SKIP_DOWNLOAD", "true");

    private final Process process;
    private final Writer requests;
    private final Map<Long, CompletableFuture<JsonObject>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Deque<String> lastErrors = new ArrayDeque<>();
    private final Set<Engine> launched = EnumSet.noneOf(Engine.class);
    private final Thread errors;

    private BrowserDriver(Process process) {
        this.process = process;
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        errors = new Thread(this::copyErrors, "browser-driver-stderr");
        errors.setDaemon(true);
        errors.start();
        Thread answers = new Thread(this::readAnswers, "browser-driver-answers");
        answers.setDaemon(true);
        answers.start();
    }

    /** Whether Node.js runs here; the browser tests need it as they need the browsers. */
    static boolean nodeRuns() {
        try {
            return new ProcessBuilder("node", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException missing) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static BrowserDriver start() {
        try {
            NodeTooling.install(DIRECTORY, NO_DOWNLOAD);
            ProcessBuilder builder = new ProcessBuilder("node", "driver.mjs").directory(DIRECTORY.toFile());
            builder.environment().putAll(NO_DOWNLOAD);
            return new BrowserDriver(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the browser driver in " + DIRECTORY, e);
        }
    }

    /** Starts the engine's browser once; later calls return at once. */
    synchronized void launch(Engine engine) {
        if (launched.add(engine)) {
            call("launch", Json.createObjectBuilder().add("engine", engine.label())
                    .add("executable", engine.executable().toString()), Duration.ofSeconds(60));
        }
    }

    /** Sends a command and waits for its answer; a command that failed in the driver is an AssertionError. */
    JsonValue call(String command, JsonObjectBuilder args, Duration timeout) {
        long id = ids.incrementAndGet();
        JsonObject request = args.add("id", id).add("cmd", command).build();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        try {
            synchronized (requests) {
                requests.write(request.toString());
                requests.write('\n');
                requests.flush();
            }
            JsonObject reply = answer.get(timeout.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
            if (reply.containsKey("error")) {
                throw new AssertionError(command + ": " + reply.getString("error"));
            }
            return reply.get("result");
        } catch (IOException e) {
            throw new AssertionError("the browser driver is gone (" + command + ")" + stderrTail(), e);
        } catch (TimeoutException e) {
            throw new AssertionError("the browser driver did not answer " + command + " within "
                    + timeout.plus(MARGIN).toSeconds() + " s" + stderrTail());
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage() + " (" + command + ")" + stderrTail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            waiting.remove(id);
        }
    }

    private void readAnswers() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                JsonObject answer = Json.createReader(new StringReader(line)).readObject();
                CompletableFuture<JsonObject> waiter = waiting.get(answer.getJsonNumber("id").longValue());
                if (waiter != null) {
                    waiter.complete(answer);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("browser driver: " + e);
        }
        try {
            errors.join(2000); // its last words, for the failures below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IOException gone = new IOException("the browser driver exited");
        waiting.values().forEach(waiter -> waiter.completeExceptionally(gone));
    }

    private void copyErrors() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.err.println("browser driver: " + line);
                synchronized (lastErrors) {
                    lastErrors.addLast(line);
                    if (lastErrors.size() > 20) {
                        lastErrors.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the driver is gone; readAnswers says so
        }
    }

    private String stderrTail() {
        synchronized (lastErrors) {
            return lastErrors.isEmpty() ? "" : "; its last words:\n" + String.join("\n", List.copyOf(lastErrors));
        }
    }

    /** Closes the browsers and ends the driver (its stdin closing makes it quit). */
    @Override
    public void close() throws InterruptedException {
        try {
            requests.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
