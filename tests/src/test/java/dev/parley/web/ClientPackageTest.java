package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Prerequisite;
import dev.parley.support.Project;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JavaScript package (clients/js) as another project gets it: {@code npm pack} makes its
 * tarball, {@code npm install} puts it into an empty folder, and the example of its README,
 * taken from the README itself, runs in Node against a standalone server, over WebSocket and
 * over HTTP (the event stream read through fetch): a member asks, the example answers once,
 * as a reply.
 */
class ClientPackageTest {
    private static final StandaloneParley SERVER = new StandaloneParley();
    private static final Pattern EXAMPLE = Pattern.compile("```js\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    static Path work;
    private static Path project;

    @BeforeAll
    static void install() throws Exception {
        Path packages = Files.createDirectories(work.resolve("packed"));
        run(Project.file("clients", "js"), "npm", "pack", "--pack-destination", packages.toString());
        Path tarball;
        try (Stream<Path> files = Files.list(packages)) {
            tarball = files.filter(file -> file.toString().endsWith(".tgz")).findFirst().orElseThrow();
        }
        project = Files.createDirectories(work.resolve("app"));
        Files.writeString(project.resolve("package.json"), "{\"name\": \"app\", \"private\": true, \"type\": \"module\"}\n");
        run(project, "npm", "install", "--offline", "--no-audit", "--no-fund", tarball.toString());
        Matcher example = EXAMPLE.matcher(Files.readString(Project.file("clients", "js", "README.md")));
        assertTrue(example.find(), "the README has a js example");
        Files.writeString(project.resolve("example.mjs"), example.group(1));
        SERVER.start();
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    /** Runs a command in a folder; it must succeed within two minutes. */
    private static void run(Path folder, String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        } catch (IOException missing) {
            Prerequisite.missing("no " + command[0] + " on the PATH for the client package", missing);
            return;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), String.join(" ", command) + " ends");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "http"})
    void theReadmesExampleRunsFromTheInstalledPackage(String transport) throws Exception {
        String room = Rooms.fresh();
        String chat = SERVER.chatUri(room).toString().replaceFirst("/" + room + "$", "");
        ProcessBuilder node = new ProcessBuilder(List.of("node", "--experimental-websocket", "--no-warnings", "example.mjs"))
                .directory(project.toFile()).redirectErrorStream(true);
        node.environment().putAll(Map.of("PARLEY_URL", chat, "PARLEY_ROOM", room, "PARLEY_TRANSPORT", transport));
        Process example = node.start();
        BlockingQueue<String> printed = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(example.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    printed.add(line);
                }
            } catch (IOException ended) {
                // the example stopped
            }
        }, "client-example-output");
        reader.setDaemon(true);
        reader.start();
        try {
            List<String> seen = new ArrayList<>();
            assertEquals("in #" + room + " with echo-bot", awaitLine(printed, seen, "in #"));
            assertTrue(seen.contains("online " + transport), "online over " + transport + ": " + seen);
            try (ChatClient ada = ChatClient.join(SERVER.chatUri(room), "ada")) {
                long asked = ada.say("!echo hello, package").nextOf("message").getJsonNumber("seq").longValue();
                JsonObject answer = ada.nextOf("message");
                assertEquals("echo-bot", answer.getString("user"));
                assertEquals("hello, package", answer.getString("text"));
                assertEquals(asked, answer.getJsonNumber("reply_to").longValue());
                assertEquals("answered " + asked + " with " + answer.getJsonNumber("seq").longValue(),
                        awaitLine(printed, seen, "answered "));
            }
        } finally {
            example.destroyForcibly();
        }
    }

    /** The example's next line that starts with {@code prefix}, within 30 s; every line read goes to {@code seen}. */
    private static String awaitLine(BlockingQueue<String> printed, List<String> seen, String prefix)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = printed.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        }
        throw new AssertionError("the example printed no line starting with '" + prefix + "': " + seen);
    }
}
