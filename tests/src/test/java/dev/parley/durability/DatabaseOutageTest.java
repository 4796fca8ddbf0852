package dev.parley.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away while the server runs: sends get {@code unavailable} error
 * frames (nothing acknowledged, nothing delivered, nothing lost), and once it is back
 * Parley goes on by itself with the next seq. The database is an H2 server in a process
 * of its own, so the outage is real: it stops, its sockets close, new connections are
 * refused, and later a new process serves the same files again.
 */
class DatabaseOutageTest {
    @TempDir
    Path files;

    private Process database;
    private StandaloneParley parley;

    private void startDatabase(int port) throws Exception {
        String h2 = Path.of(Server.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        database = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", h2, Server.class.getName(), "-tcp", "-tcpPort", String.valueOf(port),
                "-baseDir", files.toString(), "-ifNotExists")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + ChatClient.TIMEOUT.toNanos();
        while (true) { // ready once it accepts connections
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !database.isAlive()) {
                    throw new AssertionError("the H2 server did not start", notYet);
                }
                Thread.onSpinWait();
            }
        }
    }

    /** Stops the database server (SIGTERM: it closes its files, and every connection). */
    private void stopDatabase() throws InterruptedException {
        database.destroy();
        database.waitFor();
    }

    @AfterEach
    void stop() {
        if (parley != null) {
            parley.stop();
        }
        if (database != null) {
            database.destroyForcibly();
        }
    }

    @Test
    void sendsDuringAnOutageGetErrorFramesAndTheServerRecoversByItself() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        startDatabase(port);
        parley = new StandaloneParley(Map.of("PARLEY_JDBC_URL", "jdbc:h2:tcp://127.0.0.1:" + port + "/parley"));
        parley.start();
        URI room = parley.chatUri(Rooms.fresh());
        try (ChatClient ann = ChatClient.join(room, "ann"); ChatClient bob = ChatClient.join(room, "bob")) {
            ann.nextOf("joined");
            ann.say("before", "b1");
            assertEquals(1, ann.next("ack").getJsonNumber("seq").longValue());
            ann.next("message");
            bob.next("message");

            stopDatabase();
            ann.say("during", "d1");
            JsonObject refused = ann.nextError("unavailable");
            assertEquals("d1", refused.getString("cid"));
            ann.send("{\"type\":\"history\"}");
            ann.nextError("unavailable");
            bob.assertNothingPending(); // "during" reached nobody

            startDatabase(port);
            long seq = sendUntilStored(ann, "after");
            assertEquals(2, seq, "the seq goes on from the last stored message");
            assertEquals("after", bob.nextOf("message").getString("text"));
            ann.send("{\"type\":\"history\"}");
            JsonArray history = ann.nextOf("history").getJsonArray("messages");
            assertEquals(2, history.size());
            assertEquals("before", history.getJsonObject(0).getString("text"));
            assertEquals("after", history.getJsonObject(1).getString("text"));
        }
    }

    /** Sends until acknowledged, as a client does after an unavailable error; returns the seq. */
    private static long sendUntilStored(ChatClient client, String text) {
        long deadline = System.nanoTime() + ChatClient.TIMEOUT.toNanos() * 3;
        for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
            client.say(text, "a" + attempt);
            JsonObject reply;
            do {
                reply = client.next();
            } while (reply.getString("type").equals("message"));
            if (reply.getString("type").equals("ack")) {
                return reply.getJsonNumber("seq").longValue();
            }
            assertEquals("unavailable", reply.getString("code"), reply.toString());
        }
        throw new AssertionError("never stored after the database came back");
    }
}
