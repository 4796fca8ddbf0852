package dev.parley.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.ParleyNode;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server as its own process on the default H2 file store: kill it with
 * SIGKILL the moment the last ack is in, start it again on the same data, and every
 * acknowledged message is there, and the seq goes on.
 */
class CrashRecoveryTest {
    private static final int MESSAGES = 2000;

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedMessageSurvivesSigkillAndTheNextGetsTheNextSeq() {
        Map<String, Long> acked = new HashMap<>();
        try (ParleyNode server = new ParleyNode("server", Map.of("PARLEY_DATA", data.toString()))) {
            server.start();
            try (ChatClient ann = ChatClient.join(server.chatUri("crash"), "ann")) {
                for (int i = 1; i <= MESSAGES; i++) {
                    ann.say("message " + i, "c" + i);
                    // at most 200 unanswered: ack and own copy of each, within the send queue's 1000
                    // frames (a client that sends 2000 without waiting is a slow consumer of its own copies)
                    while (i - acked.size() >= 200 || (i == MESSAGES && acked.size() < MESSAGES)) {
                        JsonObject frame = ann.next();
                        if (frame.getString("type").equals("ack")) {
                            acked.put(frame.getString("cid"), frame.getJsonNumber("seq").longValue());
                        }
                    }
                }
                server.kill(); // SIGKILL: no shutdown hook, no flush
            }

            server.restart(); // a new process on the same data
            try (ChatClient bob = ChatClient.join(server.chatUri("crash"), "bob")) {
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
                try (ChatClient ann = ChatClient.connect(server.chatUri("crash"))) {
                    ann.send(Json.createObjectBuilder().add("type", "join").add("user", "ann").add("since", 1500).build());
                    JsonObject welcome = ann.next("welcome");
                    assertTrue(welcome.getBoolean("recovered"));
                    JsonArray missed = welcome.getJsonArray("history");
                    assertEquals(MESSAGES + 1 - 1500, missed.size());
                    assertEquals(1501, missed.getJsonObject(0).getJsonNumber("seq").longValue());
                    assertEquals("after the crash", missed.getJsonObject(missed.size() - 1).getString("text"));
                }
            }
        }
    }
}
