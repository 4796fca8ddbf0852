package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.Prerequisite;
import dev.parley.support.Project;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import dev.parley.support.TcpProxy;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exactly once, measured (issue 35, docs/CLIENTS.md step 3): members on clients/js's
 * ParleyClient, in Node, have a conversation through a flaky {@link TcpProxy} that cuts and
 * stalls their connections at random, over WebSocket and over HTTP. Every member must hear
 * every message once, in the room's order, and every send must resolve once, with the seq
 * the others heard. The Java client and the page join this harness in later steps.
 */
class ExactlyOnceTest {
    private static final int MEMBERS = 2;
    private static final int EACH = 150;
    private static final StandaloneParley SERVER = new StandaloneParley();

    @BeforeAll
    static void start() {
        SERVER.start();
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    /** A member's process and the JSON lines it printed. */
    private record Member(String user, Process process, BlockingQueue<JsonObject> said) {
        JsonObject next(String key) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline) {
                JsonObject line = said.poll(1, TimeUnit.SECONDS);
                if (line != null && line.containsKey(key)) {
                    return line;
                }
                if (line == null && !process.isAlive() && said.isEmpty()) {
                    throw new AssertionError(user + " ended (exit " + process.exitValue() + ") before saying " + key);
                }
            }
            throw new AssertionError(user + " did not say " + key + " within 90 s");
        }

        void tell(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    private static Member member(String url, String room, String user, String transport) throws IOException {
        ProcessBuilder node = new ProcessBuilder("node", "--experimental-websocket", "--no-warnings",
                Project.file("tests", "src", "test", "clients", "member.mjs").toString(), url, room, user, transport,
                Integer.toString(EACH), Integer.toString(EACH * MEMBERS)).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process;
        try {
            process = node.start();
        } catch (IOException missing) {
            return Prerequisite.missing("no Node.js (node) on the PATH for the client library", missing);
        }
        BlockingQueue<JsonObject> said = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    said.add(Json.createReader(new StringReader(line)).readObject());
                }
            } catch (IOException ended) {
                // the member stopped
            }
        }, "member-" + user);
        reader.setDaemon(true);
        reader.start();
        return new Member(user, process, said);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "http"})
    void everyMemberHearsEveryMessageOnceInTheRoomsOrderThroughABadNetwork(String transport) throws Exception {
        String room = Rooms.fresh();
        try (TcpProxy proxy = TcpProxy.flaky(SERVER.httpUri().getPort(), room.hashCode(), 0.06, 0.06, 2000)) {
            String url = "ws://127.0.0.1:" + proxy.port() + "/chat";
            List<Member> members = new ArrayList<>();
            try {
                for (int i = 0; i < MEMBERS; i++) {
                    members.add(member(url, room, "member" + i, transport));
                }
                for (Member member : members) {
                    member.next("ready");
                }
                for (Member member : members) {
                    member.tell("go");
                }
                Map<String, Long> acked = new HashMap<>();
                for (Member member : members) {
                    for (JsonValue pair : member.next("acked").getJsonArray("acked")) {
                        JsonArray textAndSeq = pair.asJsonArray();
                        assertEquals(null, acked.put(textAndSeq.getString(0), textAndSeq.getJsonNumber(1).longValue()),
                                "one ack a text");
                    }
                }
                proxy.calm(); // what is left to hear comes through now
                Set<Long> seqs = new HashSet<>(acked.values());
                assertEquals(EACH * MEMBERS, seqs.size(), "every send its own seq");
                for (Member member : members) {
                    JsonObject end = member.next("seen");
                    List<Long> order = new ArrayList<>();
                    Map<String, Long> heard = new HashMap<>();
                    for (JsonValue event : end.getJsonArray("seen")) {
                        JsonArray seen = event.asJsonArray();
                        long seq = seen.getJsonNumber(0).longValue();
                        order.add(seq);
                        assertEquals(null, heard.put(seen.getString(2), seq), member.user() + " heard it twice: " + seen);
                    }
                    assertEquals(acked, heard, member.user() + " heard each message with the seq its sender got");
                    List<Long> sorted = new ArrayList<>(order);
                    sorted.sort(null);
                    assertEquals(sorted, order, member.user() + " heard them in the room's order");
                    System.out.printf("%s over %s: %d messages once each, in order, after %d welcomes%n", member.user(),
                            transport, order.size(), end.getInt("welcomes"));
                }
                System.out.printf("the proxy cut %d connections and stalled %d%n", proxy.cuts(), proxy.stalls());
                assertTrue(proxy.cuts() > 0 && proxy.stalls() > 0, "the network was bad: " + proxy.cuts() + " cuts, "
                        + proxy.stalls() + " stalls");
            } finally {
                members.forEach(member -> member.process().destroyForcibly());
            }
        }
    }
}
