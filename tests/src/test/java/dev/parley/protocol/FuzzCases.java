package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.FrameFuzzer;
import dev.parley.support.Rooms;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A bounded fuzz run against any running Parley: four connections throw hostile frames
 * (FrameFuzzer) into a room while a member keeps talking and another listens. Every
 * frame gets a documented answer before the pong that follows it (an error where one
 * is due), no connection is closed, the listener receives every message in seq order
 * without a gap, and, where the test can see the server's log, it holds no warning and
 * no stack trace. The decoder's own fuzz suite is InboundDecoderFuzzTest.
 */
public abstract class FuzzCases {
    private static final int FUZZERS = 4;
    private static final int FRAMES_EACH = 400;
    private static final Set<String> ERROR_CODES = Set.of("bad-room", "bad-frame", "bad-json", "unknown-type",
            "not-joined", "already-joined", "bad-name", "name-taken", "bad-text", "too-long", "no-such-user",
            "rate-limited", "unauthorized", "unavailable", "no-such-message", "forbidden");
    private static final Set<String> TYPES = Set.of("welcome", "joined", "left", "message", "ack", "direct", "typing",
            "history", "rooms", "pong", "error", "edit", "delete", "react", "read");
    /** The frames of the room's log (1.1): they share its seqs. */
    private static final Set<String> LOGGED = Set.of("message", "edit", "delete", "react");

    /** ws://…/chat/{room} on the server under test. */
    protected abstract URI chatUri(String room);

    /** What the server logged at WARNING or with a stack trace since the run began, where the test can see it. */
    protected List<String> serverLogProblems() {
        return List.of();
    }

    @Test
    void hostileFramesGetDocumentedAnswersAndTheRoomKeepsDelivering() throws Exception {
        long seed = System.nanoTime();
        URI room = chatUri(Rooms.fresh());
        ExecutorService pool = Executors.newFixedThreadPool(FUZZERS + 2);
        try (ChatClient ann = ChatClient.join(room, "ann"); ChatClient listener = ChatClient.join(room, "listener")) {
            List<Future<?>> fuzzing = new ArrayList<>();
            for (int f = 0; f < FUZZERS; f++) {
                long fuzzerSeed = seed + f;
                fuzzing.add(pool.submit(() -> fuzz(room, fuzzerSeed)));
            }
            Future<?> talking = pool.submit(() -> {
                for (int i = 1; i <= 100; i++) {
                    ann.say("ann " + i, "a" + i);
                    ann.awaitAck("a" + i);
                }
            });
            for (Future<?> f : fuzzing) {
                f.get(120, TimeUnit.SECONDS);
            }
            talking.get(60, TimeUnit.SECONDS);
            ann.say("the end", "end");
            ann.awaitAck("end");

            // the listener saw a gap-free, ordered run of messages ending with ann's last
            long expected = 1;
            int fromAnn = 0;
            while (true) {
                JsonObject frame = listener.next();
                if (!LOGGED.contains(frame.getString("type"))) {
                    continue;
                }
                assertEquals(expected++, frame.getJsonNumber("seq").longValue(), "seed " + seed + ": in order, no gap");
                if (frame.getString("type").equals("message") && frame.getString("user").equals("ann")) {
                    fromAnn++;
                    if (frame.getString("text").equals("the end")) {
                        break;
                    }
                }
            }
            assertEquals(101, fromAnn, "seed " + seed);
        } finally {
            pool.shutdownNow();
        }
        List<String> problems = serverLogProblems();
        assertTrue(problems.isEmpty(), () -> "seed " + seed + ": the server logged " + problems.size()
                + " warnings or traces, the first: " + problems.get(0));
    }

    /** One fuzzing connection: each frame, then a ping whose pong closes its answers. */
    private static void fuzz(URI room, long seed) {
        FrameFuzzer fuzzer = new FrameFuzzer(seed);
        try (ChatClient client = ChatClient.connect(room)) {
            for (int i = 0; i < FRAMES_EACH; i++) {
                FrameFuzzer.Frame frame = fuzzer.nextOnTheWire();
                client.send(frame.text());
                client.send("{\"type\":\"ping\",\"probe\":" + i + "}");
                boolean answered = false;
                while (true) {
                    JsonObject reply = client.next();
                    String type = reply.getString("type", "");
                    assertTrue(TYPES.contains(type), () -> "seed " + seed + ": " + reply + " for " + frame.text());
                    if (type.equals("pong") && reply.getInt("probe", -1) == i) {
                        break;
                    }
                    if (type.equals("error")) {
                        assertTrue(ERROR_CODES.contains(reply.getString("code")), () -> "seed " + seed + ": " + reply);
                        answered = true;
                    }
                }
                if (frame.mustFail()) {
                    assertTrue(answered, "seed " + seed + ": no error for " + frame.text());
                }
                assertTrue(client.awaitClose(java.time.Duration.ZERO).isEmpty(),
                        () -> "seed " + seed + ": closed after " + frame.text() + ": " + client.awaitClose());
            }
        }
    }
}
