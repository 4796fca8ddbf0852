package dev.parley.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.Prerequisite;
import dev.parley.support.Project;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The examples in docs/examples, run as a reader of docs/SERVER-API.md would run them,
 * against a standalone server: the Java bot answers in a room; the Node.js receiver, written
 * from the document alone with node:crypto, verifies every event Parley sends and refuses a
 * forged one; the openssl script and the Java class verify a real event and refuse it
 * changed by one byte.
 */
class ExamplesTest {
    private static final Path EXAMPLES = Project.file("docs", "examples");
    private static final int RECEIVER_PORT = freePort();
    private static Process receiver;
    private static final BlockingQueue<JsonObject> RECEIVED = new LinkedBlockingQueue<>();
    private static StandaloneParley server;

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ProcessBuilder node = new ProcessBuilder("node", EXAMPLES.resolve("webhook-receiver.mjs").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        node.environment().put("WEBHOOK_SECRET", WebhookCases.SECRET);
        node.environment().put("PORT", Integer.toString(RECEIVER_PORT));
        try {
            receiver = node.start();
        } catch (IOException missing) {
            Prerequisite.missing("no Node.js (node) on the PATH for the webhook receiver example", missing);
        }
        receiver.getOutputStream().close();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(receiver.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    RECEIVED.add(Json.createReader(new StringReader(line)).readObject());
                }
            } catch (IOException ended) {
                // the receiver stopped
            }
        }, "node-receiver-output");
        reader.setDaemon(true);
        reader.start();
        assertTrue(RECEIVED.poll(30, TimeUnit.SECONDS).containsKey("listening"), "the receiver listens");
        server = new StandaloneParley(Map.of("PARLEY_API_KEY", ApiCases.KEY, "PARLEY_WEBHOOK_URL",
                "http://127.0.0.1:" + RECEIVER_PORT + "/parley-events", "PARLEY_WEBHOOK_SECRET", WebhookCases.SECRET));
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
        if (receiver != null) {
            receiver.destroyForcibly();
        }
    }

    /** The receiver's next line about {@code room}, within 30 s. */
    private static JsonObject received(String room) throws InterruptedException {
        for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < deadline; ) {
            JsonObject line = RECEIVED.poll(1, TimeUnit.SECONDS);
            if (line != null && line.get("event") instanceof JsonObject event && room.equals(event.getString("room", ""))) {
                return line;
            }
        }
        throw new AssertionError("the Node receiver printed nothing about " + room);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static Process run(Map<String, String> env, String... command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int exit(Process process) throws Exception {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the example ends");
        return process.exitValue();
    }

    @Test
    void theClientLibrarysBotAnswersInTheRoom() throws Exception {
        String room = Rooms.fresh();
        Process bot = run(Map.of(), java(), "-cp", System.getProperty("java.class.path"),
                EXAMPLES.resolve("ClientBot.java").toString(), server.chatUri(room).toString().replaceFirst("/[^/]*$", ""),
                room);
        try (BufferedReader said = new BufferedReader(new InputStreamReader(bot.getInputStream(), StandardCharsets.UTF_8))) {
            String first = said.readLine();
            assertEquals("client-bot is in #" + room + " with [\"client-bot\"]", first);
            try (ChatClient ada = ChatClient.join(server.chatUri(room), "ada")) {
                long asked = ada.say("!echo hello, client-bot").nextOf("message").getJsonNumber("seq").longValue();
                JsonObject answer = ada.nextOf("message");
                assertEquals("client-bot", answer.getString("user"));
                assertEquals("hello, client-bot", answer.getString("text"));
                assertEquals(asked, answer.getJsonNumber("reply_to").longValue());
            }
        } finally {
            bot.destroyForcibly();
        }
    }

    @Test
    void theBotAnswersInTheRoomAndTheNodeReceiverVerifiesEveryEvent() throws Exception {
        String room = Rooms.fresh();
        Process bot = run(Map.of("PARLEY_API_KEY", ApiCases.KEY), java(), "-cp", System.getProperty("java.class.path"),
                EXAMPLES.resolve("ParleyBot.java").toString(), server.httpUri().toString().replaceFirst("/$", ""), room);
        try (ChatClient ada = ChatClient.join(server.chatUri(room), "ada");
             BufferedReader said = new BufferedReader(new InputStreamReader(bot.getInputStream(), StandardCharsets.UTF_8))) {
            String first = said.readLine();
            assertTrue(first != null && first.startsWith("echo-bot reads #" + room), "the bot started: " + first);
            long asked = ada.say("!echo hello, bot").nextOf("message").getJsonNumber("seq").longValue();
            JsonObject answer = ada.nextOf("message");
            assertEquals("echo-bot", answer.getString("user"));
            assertEquals("hello, bot", answer.getString("text"));
            assertEquals(asked, answer.getJsonNumber("reply_to").longValue());
        } finally {
            bot.destroyForcibly();
        }
        List<JsonObject> lines = new ArrayList<>();
        for (JsonObject line = received(room); ; line = received(room)) {
            lines.add(line);
            assertTrue(line.getBoolean("verified"), line::toString);
            if (line.getJsonObject("event").getString("user").equals("echo-bot")) {
                break;
            }
        }
        assertEquals("joined", lines.get(0).getJsonObject("event").getString("type"));

        var forged = Http.send("POST", URI.create("http://127.0.0.1:" + RECEIVER_PORT + "/parley-events"),
                "{\"id\":\"x\",\"type\":\"message\",\"room\":\"forged\"}".getBytes(StandardCharsets.UTF_8),
                "Parley-Signature", "t=" + System.currentTimeMillis() / 1000 + ",v1=" + "0".repeat(64));
        assertEquals(401, forged.statusCode(), "the receiver refuses what it cannot verify");

        JsonObject real = lines.get(lines.size() - 1);
        Path body = Files.writeString(Files.createTempFile("parley-event-", ".json"), real.getString("body"));
        Path changed = Files.writeString(Files.createTempFile("parley-event-", ".json"),
                real.getString("body").replace("hello, bot", "hello, bot!"));
        String header = real.getString("signature");
        assertEquals(0, exit(run(Map.of(), "sh", EXAMPLES.resolve("verify-webhook.sh").toString(), WebhookCases.SECRET,
                header, body.toString())), "openssl verifies it");
        assertEquals(1, exit(run(Map.of(), "sh", EXAMPLES.resolve("verify-webhook.sh").toString(), WebhookCases.SECRET,
                header, changed.toString())), "openssl refuses it changed");
        assertEquals(0, exit(run(Map.of(), java(), EXAMPLES.resolve("WebhookSignature.java").toString(),
                WebhookCases.SECRET, header, body.toString())), "the Java example verifies it");
        assertEquals(1, exit(run(Map.of(), java(), EXAMPLES.resolve("WebhookSignature.java").toString(),
                WebhookCases.SECRET, header, changed.toString())), "the Java example refuses it changed");
    }
}
