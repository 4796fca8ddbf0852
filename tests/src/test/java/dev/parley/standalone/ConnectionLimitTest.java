package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.RetryHint;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PARLEY_MAX_CONNECTIONS and PARLEY_ALLOWED_ORIGINS on a server of their own. */
class ConnectionLimitTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_MAX_CONNECTIONS", "3",
            "PARLEY_ALLOWED_ORIGINS", "https://*.example.com"));

    @Test
    void aConnectionBeyondTheNodesLimitIsToldToComeBackIn5To10SecondsAndClosedWith1013UntilOneLeaves() {
        String name = Rooms.fresh();
        URI room = SERVER.chatUri(name);
        List<String> said = new CopyOnWriteArrayList<>();
        Logger admission = Logger.getLogger("dev.parley.room.Admission");
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                said.add(record.getLevel() + " " + record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        admission.addHandler(recorder);
        try (ChatClient ann = ChatClient.join(room, "ann"); ChatClient bob = ChatClient.join(room, "bob");
             ChatClient carol = ChatClient.connect(room)) {
            ann.next("joined");
            try (ChatClient fourth = ChatClient.connect(room)) {
                assertEquals(new ChatClient.Closed(1013, "try again later"), fourth.awaitClose());
                RetryHint.lastBeforeClose(fourth.pending(), 5000, 10_000);
            }
            try (ChatClient badRoom = ChatClient.connect(SERVER.chatUri("Not-A-Room"))) {
                assertEquals(1013, badRoom.awaitClose().code(), "the limit comes before the room is looked at");
                RetryHint.lastBeforeClose(badRoom.pending(), 5000, 10_000);
            }
            try (ChatClient overHttp = ChatClient.connect(SERVER.streamUri(name))) { // the event, then the close event
                assertEquals(new ChatClient.Closed(1013, "try again later"), overHttp.awaitClose());
                RetryHint.lastBeforeClose(overHttp.pending(), 5000, 10_000);
            }
            Set<Long> afters = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                try (ChatClient refused = ChatClient.connect(room)) {
                    assertEquals(1013, refused.awaitClose().code());
                    afters.add(RetryHint.lastBeforeClose(refused.pending(), 5000, 10_000));
                }
            }
            assertTrue(afters.size() > 1, "random, not one value for all: " + afters);
            assertEquals(List.of("WARNING This node holds 3 chat connections, its most (PARLEY_MAX_CONNECTIONS): new ones"
                    + " are closed with 1013 until some leave"), said, "said once, however many are refused");
            bob.closeNormally();
            assertEquals("bob", ann.next("left").getString("user"));
            try (ChatClient dave = ChatClient.join(room, "dave")) {
                assertEquals("dave", ann.next("joined").getString("user"));
            }
            assertEquals("dave", ann.next("left").getString("user"));
            assertTrue(carol.awaitClose(java.time.Duration.ZERO).isEmpty(), "those let in stay");
            assertEquals(2, said.size(), String.valueOf(said));
            assertEquals("INFO This node takes new chat connections again (2 of at most 3)", said.get(1));
        } finally {
            admission.removeHandler(recorder);
        }
    }

    @Test
    void originsMatchingAConfiguredPatternAreLetInOthersAreNot() {
        URI room = SERVER.chatUri(Rooms.fresh());
        try (ChatClient app = ChatClient.connect(room, Map.of("Origin", "https://app.example.com"))) {
            app.send("{\"type\":\"join\",\"user\":\"app\"}");
            app.next("welcome");
        }
        for (String refused : new String[] {"https://example.com", "http://app.example.com", "null"}) {
            try (ChatClient page = ChatClient.connect(room, Map.of("Origin", refused))) {
                assertEquals(new ChatClient.Closed(1008, "origin not allowed"), page.awaitClose(), refused);
            }
        }
    }
}
