package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.config.OpsConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code reconnect} frame before 1001 and 1013 (PROTOCOL.md, Closing), on a node without a server. */
class RetryHintsTest {
    private static final Pattern FRAME = Pattern.compile("\\{\"type\":\"reconnect\",\"after\":\\d+}");

    /** The frame's {@code after}, checking its shape. */
    private static long after(String frame) {
        assertTrue(FRAME.matcher(frame).matches(), frame);
        try (var reader = Json.createReader(new StringReader(frame))) {
            JsonObject hint = reader.readObject();
            return hint.getJsonNumber("after").longValueExact();
        }
    }

    @Test
    void theDefaultSpreadIsASecondPer2000ConnectionsAndAtLeastASecond() {
        assertEquals(1000, RetryHints.defaultSpread(0));
        assertEquals(1000, RetryHints.defaultSpread(2000));
        assertEquals(2000, RetryHints.defaultSpread(4000));
        assertEquals(10_000, RetryHints.defaultSpread(20_000));
        RetryHints byConnections = new RetryHints(new OpsConfig(Duration.ZERO, null, null));
        assertEquals(3000, byConnections.stopping(6000));
        RetryHints configured = new RetryHints(new OpsConfig(Duration.ZERO, null, null, Duration.ofMillis(250)));
        assertEquals(250, configured.stopping(6000), "PARLEY_SHUTDOWN_SPREAD wins whatever the node holds");
        for (int i = 0; i < 200; i++) {
            long after = configured.shuttingDown().after();
            assertTrue(after >= 500 && after < 750, "after " + after);
            long busy = configured.busy().after();
            assertTrue(busy >= 5000 && busy < 10_000, "busy " + busy);
        }
    }

    @Test
    void aConnectionBeyondTheLimitIsToldToComeBackIn5To10SecondsThenClosedWith1013() throws InterruptedException {
        try (ChatFixture chat = new ChatFixture(Map.of("PARLEY_MAX_CONNECTIONS", "1"))) {
            chat.open("lobby");
            FakePeer refused = chat.open("lobby").peer();
            long after = after(refused.next());
            assertTrue(after >= 5000 && after < 10_000, "after " + after);
            assertEquals(CloseReasons.TRY_AGAIN_LATER, refused.closed());
            assertNull(refused.poll(0), "nothing after the hint");
        }
    }

    @Test
    void onShutdownEveryConnectionIsToldWhenToComeBackAfterWhatWaitsForIt() throws InterruptedException {
        ChatFixture chat = new ChatFixture(Map.of("PARLEY_SHUTDOWN_SPREAD", "3000"));
        ChatFixture.Client ann = chat.member("lobby", "ann");
        ChatFixture.Client lurker = chat.open("lobby");
        chat.registry.shutdown();
        for (ChatFixture.Client client : new ChatFixture.Client[] {ann, lurker}) {
            long after = after(client.peer().next());
            assertTrue(after >= 500 && after < 3500, "after " + after);
            assertEquals(CloseReasons.SHUTTING_DOWN, client.peer().closed());
        }
        lurker.send("{\"type\":\"join\",\"user\":\"bob\"}"); // its join cannot run now: the close is under way
        assertNull(lurker.peer().poll(0), "one hint");
    }

    @Test
    void aConnectionOpenedWhileTheNodeStopsGetsItsHintThen1001() throws InterruptedException {
        ChatFixture chat = new ChatFixture(Map.of("PARLEY_SHUTDOWN_SPREAD", "2000"));
        chat.registry.shutdown();
        FakePeer late = chat.open("lobby").peer();
        long after = after(late.next());
        assertTrue(after >= 500 && after < 2500, "after " + after);
        assertEquals(CloseReasons.SHUTTING_DOWN, late.closed());
    }
}
