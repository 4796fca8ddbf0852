package dev.parley.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's podman as the tests run it, on this project's machines and a developer's alike:
 * with runc where it is installed (crun fails on the machines' cgroups), the cgroupfs
 * manager (no systemd needed), and a containers.conf of its own with
 * {@code default_ulimits = []}, so that a container inherits the descriptor limit instead
 * of asking for more than a process here may have (unless {@code CONTAINERS_CONF} is set
 * already: then that file is the one). Every command has a timeout and its output is kept
 * for the failure message. Where podman is missing or cannot run, {@link #require} skips
 * the test saying why (with CI=true it fails).
 */
public final class Podman implements AutoCloseable {
    private static final Duration INFO_TIMEOUT = Duration.ofSeconds(60);

    private final Path executable;
    private final List<String> global;
    private final Path configuration; // ours, deleted at close; null when CONTAINERS_CONF was set

    /** What a command did: its exit code and its output (stdout and stderr together). */
    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }

        /** The output's last line that is not a podman log line (its own stderr chatter). */
        public String lastLine() {
            return output.lines().filter(line -> !line.startsWith("time=")).reduce((a, b) -> b).orElse("").strip();
        }
    }

    private Podman(Path executable, List<String> global, Path configuration) {
        this.executable = executable;
        this.global = global;
        this.configuration = configuration;
    }

    /** podman from the PATH, checked with {@code podman info}; skips (or fails in CI) where it is missing or fails. */
    public static Podman require() {
        Path podman = onPath("podman").orElseGet(() -> Prerequisite.missing(
                "no podman on the PATH (apt-get install podman runc)", null));
        List<String> global = new ArrayList<>();
        onPath("runc").ifPresent(runc -> global.addAll(List.of("--runtime", runc.toString())));
        global.addAll(List.of("--cgroup-manager", "cgroupfs"));
        Path configuration = null;
        if (System.getenv("CONTAINERS_CONF") == null) {
            try {
                configuration = Files.createTempFile("parley-containers", ".conf");
                Files.writeString(configuration, "# made by the tests (support.Podman): keep the descriptor limit\n"
                        + "[containers]\ndefault_ulimits = []\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Podman made = new Podman(podman, List.copyOf(global), configuration);
        Result info = made.run(INFO_TIMEOUT, "info", "--format", "{{.Host.OCIRuntime.Name}} {{.Store.GraphDriverName}}");
        if (!info.ok()) {
            made.close();
            return Prerequisite.missing("podman cannot run here: " + info.lastLine(), null);
        }
        return made;
    }

    /** An executable of that name in a folder of the PATH. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/sbin"))
                .filter(folder -> !folder.isEmpty()).map(folder -> Path.of(folder, name))
                .filter(Files::isExecutable).findFirst();
    }

    /** {@code podman ARGS}, waited for at most {@code timeout} (then killed: an AssertionError). */
    public Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(global);
        command.addAll(List.of(args));
        return Podman.exec(timeout, command, configuration == null ? Map.of()
                : Map.of("CONTAINERS_CONF", configuration.toString()));
    }

    /** As {@link #run}, but anything but exit 0 is an AssertionError with the output. */
    public String expect(Duration timeout, String... args) {
        Result result = run(timeout, args);
        if (!result.ok()) {
            throw new AssertionError("podman " + String.join(" ", args) + " exited " + result.exit() + ":\n"
                    + tail(result.output()));
        }
        return result.output();
    }

    /** Any command, with a timeout, its output kept in a file while it runs (no pipe to fill). */
    public static Result exec(Duration timeout, List<String> command, Map<String, String> environment) {
        Path output = null;
        try {
            output = Files.createTempFile("parley-command", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " still running after " + timeout + ":\n"
                        + tail(Files.readString(output, StandardCharsets.UTF_8)));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    /** The last 40 lines: enough for a failure message, not a whole debootstrap log. */
    public static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() {
        if (configuration != null) {
            try {
                Files.deleteIfExists(configuration);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }
}
