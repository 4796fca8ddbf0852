package dev.parley.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Podman;
import dev.parley.support.Poll;
import dev.parley.support.Prerequisite;
import dev.parley.support.Project;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository's Dockerfile, built and run with podman as docs/CONTAINER-IMAGE.md tells an
 * operator: the image from the distribution that Maven made ({@code parley.distribution.dir}),
 * a container with its port published on 127.0.0.1 and its data in a named volume, a chat
 * in it, a stop by SIGTERM, and a new container on the same volume that still has the history.
 *
 * <p>No registry is reachable on this project's machines, so the base image (a Java 17
 * runtime) is made here from Debian's packages: {@code debootstrap --variant=minbase bookworm}
 * and {@code openjdk-17-jre-headless} installed in it, tarred into {@code podman import} as
 * {@value #BASE} and kept there, so only the first run pays for it (measured: 161 s; the
 * image's build 5 s, the rest 30 to 50 s, most of it the two JVMs starting on busy cores). {@code -Dparley.container.base=eclipse-temurin:17-jre}
 * builds on a base image that podman can pull instead. Without podman, or without
 * debootstrap and root where the base must be made, the test is skipped saying why; with
 * CI=true it fails. It removes its containers, its volume and its image, never the base.
 */
class ContainerImageTest {
    /** The base image this test makes, by what it holds; made once, then reused. */
    static final String BASE = "localhost/parley-test-base:bookworm-openjdk17";
    private static final String MIRROR = System.getProperty("parley.container.mirror", "http://deb.debian.org/debian");
    private static final Duration QUICK = Duration.ofSeconds(60);
    private static final Duration DEBOOTSTRAP = Duration.ofMinutes(15);
    private static final Duration BUILD = Duration.ofMinutes(10);
    /** From the start of a container until the page answers: 6 s on two quiet cores, 25 s at a load of 12. */
    private static final Duration START = Duration.ofSeconds(120);
    private static final String DATA = "/var/lib/parley";

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String IMAGE = "localhost/parley-test:" + RUN;
    private static final String VOLUME = "parley-test-" + RUN;
    private static final List<String> containers = new ArrayList<>();
    private static Podman podman;
    private static boolean built;
    private static Throwable failed;

    /** Made before the first test; a prerequisite missing or a failed build, remembered for the next test. */
    @BeforeEach
    void theImage() {
        if (failed instanceof RuntimeException skipped) {
            throw skipped;
        }
        if (failed instanceof Error error) {
            throw error;
        }
        if (!built) {
            try {
                buildTheImage();
                built = true;
            } catch (RuntimeException | Error e) { // a skip (TestAbortedException) or a failure: each test reports it
                failed = e;
                throw e;
            }
        }
    }

    private static void buildTheImage() {
        Path archive = distribution();
        podman = Podman.require();
        String base = System.getProperty("parley.container.base", "");
        if (base.isBlank()) {
            base = BASE;
            if (!podman.run(QUICK, "image", "exists", BASE).ok()) {
                long started = System.nanoTime();
                makeBaseImage();
                System.out.println("ContainerImageTest: base image " + BASE + " made in " + seconds(started) + " s");
            }
        }
        long started = System.nanoTime();
        // --format docker: the OCI format has no HEALTHCHECK; --layers=false: no intermediate images left behind
        podman.expect(BUILD, "build", "--format", "docker", "--layers=false", "--build-arg", "BASE_IMAGE=" + base,
                "--tag", IMAGE, "--file", Project.file("Dockerfile").toString(), Project.file(".").toString());
        System.out.println("ContainerImageTest: image built from " + archive.getFileName() + " in " + seconds(started) + " s");
    }

    @AfterAll
    static void removeWhatItMade() {
        if (podman == null) {
            return;
        }
        List<Podman.Result> removals = new ArrayList<>();
        for (String container : containers) {
            removals.add(podman.run(QUICK, "rm", "--force", "--ignore", "--time", "0", container));
        }
        removals.add(podman.run(QUICK, "volume", "rm", "--force", VOLUME));
        removals.add(podman.run(QUICK, "rmi", "--force", IMAGE));
        removals.stream().filter(removal -> !removal.ok())
                .forEach(removal -> System.out.println("ContainerImageTest: left behind: " + removal.lastLine()));
        podman.close();
    }

    @Test
    void theImageRunsBinParleyAsAUserWithoutPrivilegesWithItsDataInAVolume() {
        JsonObject image;
        try (JsonReader reader = Json.createReader(new StringReader(podman.expect(QUICK, "image", "inspect", IMAGE)))) {
            image = reader.readArray().getJsonObject(0);
        }
        JsonObject config = image.getJsonObject("Config");
        assertEquals("parley", config.getString("User"), config::toString);
        assertEquals(List.of("/opt/parley/bin/parley"), strings(config.getJsonArray("Entrypoint")), config::toString);
        assertEquals(Set.of(DATA), config.getJsonObject("Volumes").keySet(), config::toString);
        assertEquals(Set.of("8080/tcp"), config.getJsonObject("ExposedPorts").keySet(), config::toString);
        assertEquals("SIGTERM", config.getString("StopSignal"), config::toString);
        assertTrue(strings(config.getJsonArray("Env")).containsAll(List.of("PARLEY_DATA=" + DATA, "PARLEY_HOST=0.0.0.0")),
                config::toString);
        JsonObject health = image.getJsonObject("Healthcheck"); // kept by --format docker
        assertTrue(health != null && String.join(" ", strings(health.getJsonArray("Test"))).contains(" /health/ready "),
                () -> "a health check on readiness: " + health);
    }

    private static List<String> strings(JsonArray array) {
        return array == null ? List.of() : array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    @Test
    void aChatInAContainerKeepsItsHistoryInTheVolumeAcrossContainers() {
        podman.expect(QUICK, "volume", "create", VOLUME);
        long started = System.nanoTime();
        String first = start("a");
        URI page = uri(first, "/");
        HttpResponse<String> answer = Poll.until(() -> get(page), response -> response != null, START);
        assertTrue(answer != null && answer.statusCode() == 200 && answer.body().contains("<title>Parley</title>"),
                () -> "the web client within " + START + "; the container's log:\n" + logs(first));
        System.out.println("ContainerImageTest: the first container answered in " + seconds(started) + " s");

        // the JVM is the container's first process (it gets the stop signal), not root, with bin/parley's flags
        String status = podman.expect(QUICK, "exec", first, "cat", "/proc/1/status");
        assertTrue(status.lines().anyMatch(line -> line.matches("Uid:\\s+10001\\s.*")), status);
        String commandLine = podman.expect(QUICK, "exec", first, "cat", "/proc/1/cmdline").replace('\0', ' ');
        assertTrue(commandLine.startsWith("java ") || commandLine.contains("/java "), commandLine);
        assertTrue(commandLine.contains(" -XX:+UseSerialGC -Xmn64m ") && commandLine.contains("dev.parley.standalone.Main"),
                commandLine);

        // the image's check, run when asked (podman's timer needs systemd): healthy once ready
        Podman.Result check = Poll.until(() -> podman.run(QUICK, "healthcheck", "run", first), Podman.Result::ok, START);
        assertTrue(check.ok(), () -> "the health check: " + check.output() + "\n" + logs(first));
        assertEquals("healthy", podman.expect(QUICK, "inspect", "--format", "{{.State.Health.Status}}", first).strip());

        try (ChatClient ann = ChatClient.join(uri(first, "/chat/lobby", "ws"), "ann");
             ChatClient bob = ChatClient.join(uri(first, "/chat/lobby", "ws"), "bob")) {
            ann.say("kept in the volume", "c1").awaitAck("c1");
            assertEquals("kept in the volume", bob.nextOf("message").getString("text"));

            // SIGTERM: Parley drains, closes its connections with 1001 and exits 143
            started = System.nanoTime();
            podman.expect(QUICK, "stop", "--time", "30", first);
            System.out.println("ContainerImageTest: stopped in " + seconds(started) + " s");
            assertEquals(1001, ann.awaitClose().code(), "ann's connection closed for the shutdown");
        }
        assertEquals("143", podman.expect(QUICK, "inspect", "--format", "{{.State.ExitCode}}", first).strip(),
                () -> "ended by SIGTERM, in order; the log:\n" + logs(first));
        assertTrue(logs(first).contains("Parley stopping"), () -> logs(first));
        podman.expect(QUICK, "rm", first);

        // a new container on the same volume: the history is the volume's
        started = System.nanoTime();
        String second = start("b");
        URI ready = uri(second, "/health/ready");
        HttpResponse<String> up = Poll.until(() -> get(ready), response -> response != null, START);
        assertTrue(up != null && up.statusCode() == 200, () -> "ready within " + START + "; the log:\n" + logs(second));
        System.out.println("ContainerImageTest: the second container answered in " + seconds(started) + " s");
        try (ChatClient carl = ChatClient.connect(uri(second, "/chat/lobby", "ws"))) {
            carl.send("{\"type\":\"join\",\"user\":\"carl\"}");
            JsonObject welcome = carl.next("welcome");
            JsonArray history = welcome.getJsonArray("history");
            assertEquals(1, history.size(), welcome::toString);
            assertEquals("kept in the volume", history.getJsonObject(0).getString("text"));
            assertEquals("ann", history.getJsonObject(0).getString("user"));
        }
    }

    /**
     * Runs the image as docs/CONTAINER-IMAGE.md does, but on a free port of 127.0.0.1 and with a
     * short shutdown grace (the default 5 s would only slow the test). podman would run the
     * health check on a systemd timer, which these machines lack (it says so on its stderr and
     * goes on; 4.3 ignores --health-interval for an image's own check): the test runs the check.
     */
    private static String start(String suffix) {
        String name = "parley-test-" + RUN + "-" + suffix;
        containers.add(name);
        podman.expect(QUICK, "run", "--detach", "--name", name, "--publish", "127.0.0.1::8080",
                "--volume", VOLUME + ":" + DATA, "--env", "PARLEY_SHUTDOWN_GRACE=1", IMAGE);
        return name;
    }

    /** The address of the container's published 8080 on 127.0.0.1. */
    private static URI uri(String container, String path) {
        return uri(container, path, "http");
    }

    private static URI uri(String container, String path, String scheme) {
        String published = podman.expect(QUICK, "port", container, "8080").strip(); // 127.0.0.1:40123
        return URI.create(scheme + "://127.0.0.1:" + published.substring(published.lastIndexOf(':') + 1) + path);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The answer, or null while nothing listens (the JVM is still starting). */
    private static HttpResponse<String> get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_1_1)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException refused) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String logs(String container) {
        return podman.run(QUICK, "logs", container).output();
    }

    /** The one parley-*.tar.gz where the tests module says it is, which is where the Dockerfile takes it. */
    private static Path distribution() {
        Path folder = Path.of(System.getProperty("parley.distribution.dir", Project.file("standalone", "target").toString()))
                .toAbsolutePath().normalize();
        List<Path> archives;
        try (Stream<Path> files = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
            archives = files.filter(file -> file.getFileName().toString().matches("parley-.+\\.tar\\.gz")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (archives.isEmpty()) {
            return Prerequisite.missing("no distribution in " + folder
                    + " to build the image from (mvn package -pl standalone -am makes it; mvn verify does before the tests)", null);
        }
        assertEquals(1, archives.size(), () -> "one distribution for the image, found " + archives);
        assertEquals(Project.file("standalone", "target").toAbsolutePath().normalize(), folder,
                "the Dockerfile takes the distribution from standalone/target");
        return archives.get(0);
    }

    /**
     * A Java 17 runtime on Debian 12 as {@value #BASE}: debootstrap's minimal system,
     * openjdk-17-jre-headless installed in it (in a mount namespace of its own, with its own
     * /proc, which goes with it), apt's lists and the host's resolv.conf left out.
     */
    private static void makeBaseImage() {
        Path debootstrap = Podman.onPath("debootstrap").orElseGet(() -> Prerequisite.missing(
                "no debootstrap to make the base image " + BASE + " (apt-get install debootstrap), and no"
                        + " -Dparley.container.base naming one to pull", null));
        if (!"0".equals(Podman.exec(QUICK, List.of("id", "-u"), Map.of()).output().strip())) {
            Prerequisite.missing("making the base image " + BASE + " needs root (debootstrap, chroot)", null);
        }
        Path folder;
        try {
            folder = Files.createTempDirectory("parley-base");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path root = folder.resolve("rootfs");
        Path tar = folder.resolve("rootfs.tar");
        try {
            expect(DEBOOTSTRAP, List.of(debootstrap.toString(), "--variant=minbase", "bookworm", root.toString(), MIRROR));
            expect(DEBOOTSTRAP, List.of("unshare", "--mount", "--pid", "--fork", "--mount-proc=" + root.resolve("proc"),
                    "chroot", root.toString(), "/bin/sh", "-c", "apt-get update -qq"
                            + " && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless"
                            + " && apt-get clean && rm -rf /var/lib/apt/lists/* /etc/resolv.conf /etc/hostname"));
            expect(BUILD, List.of("tar", "--create", "--file", tar.toString(), "--directory", root.toString(), "."));
            podman.expect(BUILD, "import", "--message", "Debian 12 minbase with openjdk-17-jre-headless (ContainerImageTest)",
                    tar.toString(), BASE);
        } finally {
            // --one-file-system: never into a mount, should one have stayed
            Podman.exec(BUILD, List.of("rm", "-rf", "--one-file-system", folder.toString()), Map.of());
        }
    }

    private static void expect(Duration timeout, List<String> command) {
        Podman.Result result = Podman.exec(timeout, command,
                Map.of("DEBIAN_FRONTEND", "noninteractive", "LC_ALL", "C.UTF-8"));
        if (!result.ok()) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exit() + ":\n"
                    + Podman.tail(result.output()));
        }
    }

    private static long seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e9);
    }
}
