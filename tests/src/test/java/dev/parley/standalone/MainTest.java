package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.MainRun;
import dev.parley.support.ParleyNode;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The runner as a user starts it: a bad setting stops start-up with one clear line; its log lines; its commands. */
class MainTest {

    private static Process start(String variable, String value) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        builder.environment().put("PARLEY_HOST", "127.0.0.1");
        builder.environment().put("PARLEY_PORT", "0");
        builder.environment().put(variable, value);
        builder.redirectErrorStream(true);
        return builder.start();
    }

    /** How a start that must fail ended: exit code and everything printed. */
    private record Ended(int code, String output) {
    }

    private static Ended startExpectingFailure(String variable, String value) throws Exception {
        Process process = start(variable, value);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ended");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertFalse(output.contains("Exception"), "no stack trace: " + output);
        return new Ended(process.exitValue(), output);
    }

    @Test
    void helpGoesToStdoutWithStatus0AndNeedsNoSettings() {
        assertEquals(new MainRun(0, CommandLine.USAGE + "\n", ""), MainRun.of(Map.of(), "--help"));
        assertEquals(new MainRun(0, TokenCommand.USAGE + "\n", ""),
                MainRun.of(Map.of("PARLEY_MAX_FRAME", "lots"), "token", "--help"));
    }

    @Test
    void versionGoesToStdoutWithStatus0AndNeedsNoSettings() {
        assertEquals(new MainRun(0, Version.line() + "\n", ""), MainRun.of(Map.of("PARLEY_MAX_FRAME", "lots"), "--version"));
    }

    @Test
    void anUnknownCommandGoesToStderrWithStatus2() {
        assertEquals(new MainRun(2, "", "parley: unknown command stop\n" + CommandLine.USAGE + "\n"),
                MainRun.of(Map.of(), "stop"));
    }

    @Test
    void aBadSettingStopsStartUpWithAMessageNamingIt() throws Exception {
        assertEquals(new Ended(2, "parley: PARLEY_MAX_FRAME must be an integer from 1024 to 16777216, not \"lots\""),
                startExpectingFailure("PARLEY_MAX_FRAME", "lots"));
    }

    @Test
    void aMissingTlsFileStopsStartUpWithALineNamingItAndItsSetting() {
        assertEquals(new MainRun(2, "", "parley: no such file: /nope/cert.pem (PARLEY_TLS_CERT)\n"), MainRun.of(Map.of(
                "PARLEY_PORT", "0", "PARLEY_STORE", "memory", "PARLEY_TLS_CERT", "/nope/cert.pem", "PARLEY_TLS_KEY",
                "/nope/key.pem")));
    }

    @Test
    void withJsonLogsEveryLineIsAJsonObject() {
        try (ParleyNode node = new ParleyNode("json-logs", Map.of("PARLEY_STORE", "memory", "PARLEY_LOG_FORMAT", "json"))) {
            node.start();
            List<JsonObject> lines = node.lines().stream()
                    .map(line -> Json.createReader(new StringReader(line)).readObject()).toList();
            JsonObject listening = lines.stream().filter(line -> line.getString("message").startsWith("Parley listening on"))
                    .findFirst().orElseThrow(() -> new AssertionError("no start line in " + lines));
            assertEquals("INFO", listening.getString("level"));
            assertEquals(StandaloneServer.class.getName(), listening.getString("logger"));
        }
    }

    @Test
    void theStartLineGivesALinkToOpenAndSaysWhetherTheAdminViewIsOn() {
        try (ParleyNode node = new ParleyNode("start-line", Map.of("PARLEY_STORE", "memory"))) {
            node.start();
            node.awaitLine(Pattern.compile(Pattern.quote("INFO dev.parley.standalone.StandaloneServer: Parley listening on"
                    + " http://127.0.0.1:" + node.port() + "/ (bound to 127.0.0.1; chat at /chat/{room}); admin view off"
                    + " (set PARLEY_ADMIN_TOKEN to turn it on); store: memory (")), Duration.ZERO);
        }
    }

    /** The line comes from Parley's shutdown hook, which JUL's own would leave without a handler (ParleyLogManager). */
    @Test
    void stoppingSaysSoInOneLine() {
        try (ParleyNode node = new ParleyNode("stop-line", Map.of("PARLEY_STORE", "memory"))) {
            node.start();
            try (ChatClient ann = ChatClient.join(node.chatUri("lobby"), "ann")) {
                node.stop();
                assertEquals(1001, ann.awaitClose().code());
            }
            assertEquals(1, node.lines().stream().filter(line -> line.matches(
                    ".* INFO dev.parley.room.RoomRegistry: Parley stopping: closing 1 connection\\(s\\) with 1001")).count(),
                    () -> String.join("\n", node.lines()));
        }
    }

    /** The JVM's own status for a stop by SIGTERM, which mvn -Pstart takes for a stop, not a failure (standalone/pom.xml). */
    @Test
    void stoppedBySigtermItEndsWithStatus143() {
        try (ParleyNode node = new ParleyNode("sigterm", Map.of("PARLEY_STORE", "memory"))) {
            node.start();
            node.stop();
            assertEquals(143, node.exitValue(), () -> String.join("\n", node.lines()));
        }
    }

    @Test
    void anUnreachableDatabaseStopsStartUpWithAMessageNamingIt() throws Exception {
        assertEquals(new Ended(1, "parley: cannot reach the database at jdbc:postgresql://127.0.0.1:1/test: Connection refused"),
                startExpectingFailure("PARLEY_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/test"));
    }
}
