package dev.parley.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.standalone.Main;
import dev.parley.support.ChatClient;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server as its own process on the default H2 file store: kill it with
 * SIGKILL the moment the last ack is in, start it again on the same data, and every
 * acknowledged message is there, and the seq goes on.
 */
class CrashRecoveryTest {
    private static final int MESSAGES = 2000;
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^ ]+:(\\d+)/");

    @TempDir
    Path data;

    /** A running server process and the port it picked. */
    private record Server(Process process, int port) {
        URI chat(String room) {
            return URI.create("ws://127.0.0.1:" + port + "/chat/" + room);
        }
    }

    private Server start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
        builder.environment().put("PARLEY_HOST", "127.0.0.1");
        builder.environment().put("PARLEY_PORT", "0");
        builder.environment().put("PARLEY_DATA", data.toString());
        builder.environment().put("PARLEY_RATE_LIMIT", "0");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        }, "server-output");
        pump.setDaemon(true);
        pump.start();
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.append(line).append('\n');
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    return new Server(process, Integer.parseInt(listening.group(1)));
                }
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the server did not start:\n" + seen);
    }

    @Test
    void everyAcknowledgedMessageSurvivesSigkillAndTheNextGetsTheNextSeq() throws Exception {
        Map<String, Long> acked = new HashMap<>();
        Server first = start();
        try (ChatClient ann = ChatClient.join(first.chat("crash"), "ann")) {
            for (int i = 1; i <= MESSAGES; i++) {
                ann.say("message " + i, "c" + i);
            }
            while (acked.size() < MESSAGES) {
                JsonObject frame = ann.next();
                if (frame.getString("type").equals("ack")) {
                    acked.put(frame.getString("cid"), frame.getJsonNumber("seq").longValue());
                }
            }
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
        }

        Server second = start();
        try (ChatClient bob = ChatClient.join(second.chat("crash"), "bob")) {
            Map<Long, String> stored = new HashMap<>();
            long before = Long.MAX_VALUE;
            while (true) {
                bob.send(Json.createObjectBuilder().add("type", "history").add("before", before).add("limit", 100).build());
                JsonArray page = bob.next("history").getJsonArray("messages");
                if (page.isEmpty()) {
                    break;
                }
                for (JsonValue m : page) {
                    stored.put(m.asJsonObject().getJsonNumber("seq").longValue(), m.asJsonObject().getString("text"));
                }
                before = page.getJsonObject(0).getJsonNumber("seq").longValue();
            }
            for (int i = 1; i <= MESSAGES; i++) {
                long seq = acked.get("c" + i);
                assertEquals("message " + i, stored.get(seq), "acknowledged c" + i + " as seq " + seq);
            }
            assertEquals(MESSAGES, stored.size(), "seqs 1.." + MESSAGES + ", no more, no gap");

            bob.say("after the crash", "next");
            assertEquals(MESSAGES + 1, bob.next("ack").getJsonNumber("seq").longValue());

            // a client of the first server, reconnecting, gets what it missed
            try (ChatClient ann = ChatClient.connect(second.chat("crash"))) {
                ann.send(Json.createObjectBuilder().add("type", "join").add("user", "ann").add("since", 1500).build());
                JsonObject welcome = ann.next("welcome");
                assertTrue(welcome.getBoolean("recovered"));
                JsonArray missed = welcome.getJsonArray("history");
                assertEquals(MESSAGES + 1 - 1500, missed.size());
                assertEquals(1501, missed.getJsonObject(0).getJsonNumber("seq").longValue());
                assertEquals("after the crash", missed.getJsonObject(missed.size() - 1).getString("text"));
            }
        } finally {
            second.process().destroy();
            second.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
