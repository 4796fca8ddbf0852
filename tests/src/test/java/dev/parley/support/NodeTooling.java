package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A folder of Node tooling for the tests (src/test/browser, src/test/types): its own
 * package.json, and a committed package-lock.json that {@code npm ci} installs from.
 */
public final class NodeTooling {
    private static final Duration INSTALL = Duration.ofSeconds(300);

    private NodeTooling() {
    }

    /** What a command printed (stdout and stderr together), and its exit code. */
    public record Result(int exit, String output) {
    }

    /** {@code npm ci} when node_modules is missing or older than package-lock.json; an AssertionError if it fails. */
    public static void install(Path folder, Map<String, String> environment) throws IOException {
        Path installed = folder.resolve("node_modules").resolve(".package-lock.json");
        Path lock = folder.resolve("package-lock.json");
        if (Files.exists(installed) && !Files.getLastModifiedTime(installed).toInstant()
                .isBefore(Files.getLastModifiedTime(lock).toInstant())) {
            return;
        }
        Result npm = run(folder, INSTALL, environment, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
        if (npm.exit() != 0) {
            throw new AssertionError("npm ci in " + folder + " failed:\n" + npm.output());
        }
    }

    /**
     * Runs a command in the folder; an AssertionError if it takes longer than the timeout
     * (it is killed then, with its children).
     *
     * @throws IOException when it cannot start (not on the PATH)
     */
    public static Result run(Path folder, Duration timeout, Map<String, String> environment, String... command)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String name = String.join(" ", command) + " in " + folder;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(name + " took longer than " + timeout.toSeconds() + " s:\n" + printed(output));
            }
            return new Result(process.exitValue(), printed(output));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name, e);
        }
    }

    /** The output once the stream closed (within 10 s of the end), or why not. */
    private static String printed(CompletableFuture<String> output) throws InterruptedException {
        try {
            return output.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "(its output: " + e + ")";
        }
    }
}
