package dev.parley.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.standalone.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code parley ARGS} as its own process, run to its end: a command, or a start that must
 * fail. Its settings are the PARLEY_* variables given, none inherited from the test's own
 * environment.
 *
 * @param code its exit status
 * @param out  what it printed on stdout
 * @param err  what it printed on stderr
 */
public record MainRun(int code, String out, String err) {
    private static final long TIMEOUT_SECONDS = 60;

    public static MainRun of(Map<String, String> settings, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("PARLEY_"));
        builder.environment().putAll(settings);
        try {
            Path out = Files.createTempFile("parley-out-", ".txt");
            Path err = Files.createTempFile("parley-err-", ".txt");
            try {
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
                assertTrue(!process.isAlive() && process.exitValue() != 137, () -> "it ended within " + TIMEOUT_SECONDS
                        + " s; it printed " + read(out) + read(err));
                return new MainRun(process.exitValue(), read(out), read(err));
            } finally {
                Files.delete(out);
                Files.delete(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
