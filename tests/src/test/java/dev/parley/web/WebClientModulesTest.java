package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.support.Prerequisite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The web client's unit tests, {@code src/test/js/*.test.mjs}: its connection state machine,
 * transports, fallback and outbox over fakes, in plain Node ({@code node --test}, no npm
 * packages). Needs Node.js 20.19 or newer (it reads webapp/js/*.js as ES modules by their
 * syntax); skipped, saying so, without Node, except with CI=true. Node's output is in
 * target/node-tests.log.
 */
class WebClientModulesTest {
    private static final Path TESTS = Path.of("src", "test", "js");

    @Test
    void everyNodeTestOfTheWebClientPasses() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "--test"));
        try (Stream<Path> files = Files.list(TESTS)) {
            files.map(Path::toString).filter(name -> name.endsWith(".test.mjs")).sorted().forEach(command::add);
        }
        assertFalse(command.size() == 2, "no *.test.mjs in " + TESTS);
        Path log = Path.of("target", "node-tests.log");
        Files.createDirectories(log.getParent());
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException missing) {
            Prerequisite.missing("no Node.js (node) on the PATH for the web client's unit tests", missing);
            return;
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " took longer than 120 s");
        }
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
