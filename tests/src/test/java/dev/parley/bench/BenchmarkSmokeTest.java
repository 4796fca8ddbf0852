package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Project;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The benchmark (bench/, docs/BENCHMARKS.md) in its quick mode, so that it cannot rot: its
 * generator against this build's server and against the reference servers it starts
 * itself (Socket.IO, and Vert.x, which bench/run builds with Maven when its jar is missing). Figures are not judged here, only that every message arrived, once, in
 * order, and was acked. Needs Node.js 20+ and the npm registry (bench/node_modules);
 * skipped, saying so, without Node, except with CI=true.
 */
class BenchmarkSmokeTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_STORE", "memory"));

    private static final Path BENCH = Project.file("bench");

    @Test
    void bothServersDeliverEveryMessageOnceInOrder() throws Exception {
        requireNode();
        if (!Files.isDirectory(BENCH.resolve("node_modules"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
        }
        Path json = Path.of("target", "bench", "smoke.json").toAbsolutePath();
        String base = "ws://127.0.0.1:" + SERVER.httpUri().getPort();
        String out = run(List.of("node", "run.mjs", "--quick", "--servers", "parley,socketio,vertx",
                "--parley-url", base, "--json", json.toString()), 300);

        JsonObject figures;
        try (Reader file = Files.newBufferedReader(json, StandardCharsets.UTF_8); JsonReader reader = Json.createReader(file)) {
            figures = reader.readObject();
        }
        JsonObject results = figures.getJsonObject("results");
        int users = figures.getJsonObject("config").getInt("users");
        for (String server : List.of("parley", "socketio", "vertx")) {
            JsonObject result = results.getJsonObject(server);
            for (String phase : List.of("capacity", "cpu")) {
                JsonObject step = result.getJsonObject(phase);
                String what = server + " " + phase;
                int expected = step.getInt("expected");
                assertTrue(expected > 0, what + " measured nothing:\n" + out);
                assertEquals(expected, step.getInt("received"), what + ": deliveries\n" + out);
                assertEquals(0, step.getInt("outOfOrder"), what + ": out of order\n" + out);
                assertEquals(0, step.getInt("errors"), what + ": errors\n" + out);
                assertEquals(expected / users, step.getInt("acks"), what + ": one ack per message\n" + out);
            }
            assertTrue(result.getJsonNumber("connectRate").doubleValue() > 0, server + ": connection set-up\n" + out);
        }
    }

    private static void requireNode() throws InterruptedException {
        try {
            if (new ProcessBuilder("node", "--version").start().waitFor() == 0) {
                return;
            }
        } catch (IOException missing) {
            // fall through
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("Node.js must be installed in CI for the benchmark's smoke test");
        }
        Assumptions.abort("skipped: no Node.js (node) on the PATH for bench/");
    }

    /** Runs a command in bench/ and returns its output; fails if it fails or overruns. */
    private static String run(List<String> command, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(BENCH.toFile()).redirectErrorStream(true).start();
        byte[][] output = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " took longer than " + seconds + " s");
        }
        reader.join();
        String out = new String(output[0], StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), command + " failed:\n" + out);
        return out;
    }
}
