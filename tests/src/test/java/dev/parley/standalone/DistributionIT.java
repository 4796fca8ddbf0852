package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyNode;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * target/parley-VERSION.tar.gz as an operator uses it: unpacked, started with bin/parley,
 * which reads conf/parley.env under the environment, runs java with the measured flags,
 * and keeps the default database beside the installation, so history survives a restart.
 * (An IT: the archive is made in the package phase, after the unit tests.)
 */
class DistributionIT {

    private static Path unpack(Path into) throws IOException, InterruptedException {
        File target = new File(System.getProperty("parley.distribution.dir", "../standalone/target"));
        File[] archives = target.listFiles((dir, name) -> name.matches("parley-.+\\.tar\\.gz"));
        assertTrue(archives != null && archives.length == 1, "one distribution in " + target);
        Process tar = new ProcessBuilder("tar", "-xzf", archives[0].getAbsolutePath(), "-C", into.toString())
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar ended");
        assertEquals(0, tar.exitValue(), () -> "tar: " + output(tar));
        try (Stream<Path> top = Files.list(into)) {
            List<Path> homes = top.toList();
            assertEquals(1, homes.size(), "one folder at the top: " + homes);
            return homes.get(0);
        }
    }

    private static String output(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes());
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void theArchiveHoldsAStartScriptItsLibrariesAndCommentedSettings(@TempDir Path dir) throws Exception {
        Path home = unpack(dir);
        assertTrue(Files.isExecutable(home.resolve("bin/parley")), "bin/parley is executable");
        assertTrue(Files.exists(home.resolve("lib/parley-standalone.jar")));
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            List<String> jars = lib.map(jar -> jar.getFileName().toString()).toList();
            assertTrue(jars.stream().anyMatch(jar -> jar.startsWith("tyrus-server-")), "Tyrus: " + jars);
            assertTrue(jars.stream().anyMatch(jar -> jar.startsWith("micrometer-registry-prometheus-")), "Micrometer: " + jars);
            assertFalse(jars.stream().anyMatch(jar -> jar.startsWith("jakarta.servlet-api")), "no servlet API: " + jars);
        }
        List<String> settings = Files.readAllLines(home.resolve("conf/parley.env"));
        assertTrue(settings.stream().allMatch(line -> line.isBlank() || line.startsWith("#")),
                "every setting commented out, the defaults apply: " + settings);
        assertTrue(settings.stream().anyMatch(line -> line.startsWith("# PARLEY_PORT=8080")), "names the port");
        assertTrue(Files.exists(home.resolve("conf/parley.service")), "a systemd unit");
        String readme = Files.readString(home.resolve("README.md"));
        assertTrue(readme.startsWith("# Parley " + home.getFileName().toString().substring("parley-".length()) + "\n"),
                "its own README, with its version: " + readme.lines().findFirst().orElse(""));
        assertFalse(readme.contains("mvn"), "the archive's README speaks of the archive, not of the build");
        for (String page : List.of("LICENSE", "CHANGELOG.md", "docs/SETTINGS.md", "docs/OPERATING.md", "docs/CLUSTER.md",
                "docs/IDENTITY.md", "docs/PROXIES.md")) {
            assertTrue(Files.isRegularFile(home.resolve(page)), page + " in the archive");
        }
    }

    @Test
    void binParleyReadsItsSettingsUnderTheEnvironmentAndKeepsHistoryBesideItself(@TempDir Path dir) throws Exception {
        Path home = unpack(dir);
        // the file's port would clash with the environment's free one: the environment wins
        Files.writeString(home.resolve("conf/parley.env"), "PARLEY_PORT=1\nPARLEY_MAX_FRAME=2048\n# PARLEY_STORE=memory\n");
        // no PARLEY_DATA: bin/parley puts the H2 database in home/data
        try (ParleyNode node = ParleyNode.distribution("dist", home, Map.of("PARLEY_DATA", ""))) {
            node.start();
            assertTrue(node.lines().stream().anyMatch(line -> line.contains("max frame 2048 B")
                    && line.contains("at jdbc:h2:file:" + home.resolve("data"))), () -> String.join("\n", node.lines()));
            List<String> jvm = ProcessHandle.of(node.pid()).orElseThrow().info().arguments().map(List::of).orElse(List.of());
            assertTrue(jvm.contains("-XX:+UseSerialGC") && jvm.contains("-Xmn64m"), "the measured flags: " + jvm);
            try (ChatClient ann = ChatClient.join(node.chatUri("lobby"), "ann")) {
                ann.say("kept", "c1").awaitAck("c1");
            }
            node.stop();
            assertTrue(node.lines().stream().anyMatch(line -> line.contains("Parley stopping")), "stopped in order");
            node.start();
            try (ChatClient bob = ChatClient.connect(node.chatUri("lobby"))) {
                bob.send("{\"type\":\"join\",\"user\":\"bob\"}");
                JsonObject welcome = bob.next("welcome");
                assertEquals("kept", welcome.getJsonArray("history").getJsonObject(0).getString("text"));
            }
        }
    }
}
