package dev.parley.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.Poll;
import dev.parley.support.Rooms;
import dev.parley.support.Scrape;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Metrics and health as an operator reads them, against any running Parley: a subclass
 * says where (the standalone server, or the WAR in WildFly or Payara). Counters are
 * node-wide, so each case reads them before and after its own traffic and asserts the
 * difference; the suites run one case at a time.
 */
public abstract class OperatingCases {
    private static final int MESSAGES = 7;

    /** ws://…/chat/{room} on the server under test. */
    protected abstract URI chatUri(String room);

    /** The application's own URL for {@code path} ("metrics", "health/ready"). */
    protected abstract URI appUri(String path);

    /** Whether the server stores in a database (its writer's commits are counted then). */
    protected abstract boolean jdbcStore();

    /** Whether the server is a cluster node (a "cluster" check then). */
    protected abstract boolean clustered();

    /** How the server under test writes WebSocket frames: {@code tyrus}, {@code undertow}, {@code portable}, or {@code parley} (the standalone server's own WebSocket). */
    protected abstract String sendPath();

    protected Scrape scrape() {
        return Scrape.of(appUri("metrics"));
    }

    /**
     * Behind a trusted proxy (every suite's server trusts loopback: PARLEY_TRUSTED_PROXIES,
     * docs/PROXIES.md): a page served through it passes the origin check with the host the
     * proxy forwards, at the WebSocket handshake and on the HTTP transport's requests; a
     * forwarded host the page did not come from is refused.
     */
    @Test
    void aPageBehindATrustedProxyPassesTheOriginCheckWithTheHostItForwards() {
        Map<String, String> forwarded = Map.of("Origin", "https://chat.example.com", "X-Forwarded-For", "198.51.100.7",
                "X-Forwarded-Host", "chat.example.com", "X-Forwarded-Proto", "https");
        for (URI room : List.of(chatUri(Rooms.fresh()), appUri("sse/" + Rooms.fresh()))) {
            try (ChatClient page = ChatClient.connect(room, forwarded)) {
                page.send("{\"type\":\"join\",\"user\":\"ann\"}");
                assertEquals("ann", page.next("welcome").getString("user"), room.toString());
                page.say("through the proxy", "p1").awaitAck("p1");
            }
            Map<String, String> elsewhere = new HashMap<>(forwarded);
            elsewhere.put("X-Forwarded-Host", "other.example.com");
            try (ChatClient page = ChatClient.connect(room, elsewhere)) {
                assertEquals(new ChatClient.Closed(1008, "origin not allowed"), page.awaitClose(), room.toString());
            }
        }
    }

    /** The container's fast path is picked (endpoint.WebSocketPeers), not the portable fallback, unless asked for. */
    @Test
    void webSocketFramesGoOutThroughTheWayThisServerWasBuiltFor() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(chatUri(room), "ann");
             ChatClient bob = ChatClient.join(chatUri(room), "bob")) {
            ann.nextOf("joined");
            Scrape before = scrape();
            for (int i = 1; i <= MESSAGES; i++) {
                ann.say("m" + i, "c" + i).awaitAck("c" + i);
            }
            for (int i = 1; i <= MESSAGES; i++) {
                assertEquals("m" + i, bob.nextOf("message").getString("text"));
                assertEquals("m" + i, ann.nextOf("message").getString("text"));
            }
            Scrape after = scrape();
            for (String path : List.of("tyrus", "undertow", "portable", "parley")) {
                double frames = counted(before, after, "parley_websocket_frames_total{path=\"" + path + "\"}");
                double writes = counted(before, after, "parley_websocket_writes_total{path=\"" + path + "\"}");
                if (path.equals(sendPath())) {
                    // a message to each, an ack to ann: at least, since other cases' traffic may end meanwhile
                    assertTrue(frames >= 3 * MESSAGES, frames + " frames through " + path);
                    assertTrue(writes >= 1 && writes <= frames, writes + " writes for " + frames + " frames");
                } else {
                    assertEquals(0, frames, "no frames through " + path);
                }
            }
        }
    }

    @Test
    void sentMessagesMoveTheirCountersByWhatWasSent() {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(chatUri(room), "ann");
             ChatClient bob = ChatClient.join(chatUri(room), "bob")) {
            ann.nextOf("joined");
            Scrape before = scrape();
            assertTrue(before.value("parley_connections{transport=\"websocket\"}") >= 2, "both connections count");
            assertTrue(before.value("parley_members") >= 2, "both are members");
            assertTrue(before.value("parley_rooms") >= 1, "the room counts");

            for (int i = 1; i <= MESSAGES; i++) {
                ann.say("m" + i, "c" + i).awaitAck("c" + i);
            }
            for (int i = 1; i <= MESSAGES; i++) {
                assertEquals("m" + i, bob.nextOf("message").getString("text"));
                assertEquals("m" + i, ann.nextOf("message").getString("text"));
            }
            Scrape after = scrape();
            assertEquals(MESSAGES, after.since(before, "parley_frames_received_total{type=\"message\"}"));
            assertEquals(MESSAGES, after.since(before, "parley_messages_stored_total"));
            assertEquals(MESSAGES, after.since(before, "parley_acks_total"));
            assertEquals(2 * MESSAGES, after.since(before, "parley_deliveries_total"), "each to ann and bob");
            assertEquals(MESSAGES, after.since(before, "parley_delivery_latency_seconds_count"), "one sample a message");
            assertTrue(after.value("parley_delivery_latency_seconds_bucket{le=\"10.0\"}")
                    >= after.value("parley_delivery_latency_seconds_count") - before.value(
                            "parley_delivery_latency_seconds_count"), "the histogram has buckets");
            if (jdbcStore()) {
                assertEquals(MESSAGES, after.since(before, "parley_store_batch_messages_sum"), "every message committed");
                double commits = after.since(before, "parley_store_commit_seconds_count");
                assertTrue(commits >= 1 && commits <= MESSAGES, commits + " commits");
            }
        }
    }

    @Test
    void refusedFramesCountByErrorCodeAndParleysClosesByReason() {
        Scrape before = scrape();
        try (ChatClient eve = ChatClient.connect(chatUri(Rooms.fresh()))) {
            eve.send("{not json");
            eve.nextError("bad-json");
            eve.send(Json.createObjectBuilder().add("type", "message").add("text", "hi").build());
            eve.nextError("not-joined");
        }
        try (ChatClient lost = ChatClient.connect(chatUri("Not-A-Room"))) {
            lost.nextError("bad-room");
            assertEquals(1008, lost.awaitClose().code());
        }
        Scrape after = scrape();
        assertEquals(1, after.since(before, "parley_errors_total{code=\"bad-json\"}"));
        assertEquals(1, after.since(before, "parley_errors_total{code=\"not-joined\"}"));
        assertEquals(1, after.since(before, "parley_errors_total{code=\"bad-room\"}"));
        assertEquals(1, after.since(before, "parley_frames_received_total{type=\"invalid\"}"));
        assertEquals(1, after.since(before, "parley_frames_received_total{type=\"message\"}"));
        assertEquals(1, after.since(before, "parley_closes_total{code=\"1008\",reason=\"bad room\"}"));
    }

    /** The container (or the standalone server's frame guard) closes it before Parley reads it: still counted, once. */
    @Test
    void aFrameOverTheLimitCountsOnceAsTooBig() {
        String series = "parley_closes_total{code=\"1009\",reason=\"frame too big\"}";
        Scrape before = scrape();
        try (ChatClient big = ChatClient.join(chatUri(Rooms.fresh()), "big")) {
            big.sendUnlessClosed(Json.createObjectBuilder().add("type", "message").add("text", "x".repeat(20_000)).build()
                    .toString());
            assertEquals(1009, big.awaitClose().code());
        }
        Scrape after = Poll.until(this::scrape, s -> s.since(before, series) >= 1, java.time.Duration.ofSeconds(10));
        assertEquals(1, after.since(before, series));
    }

    @Test
    void theScrapeCarriesTheJvmAndTheProcess() {
        Scrape now = scrape();
        assertTrue(now.value("jvm_memory_used_bytes{area=\"heap\",id=\"" + heapPool(now) + "\"}") > 0);
        assertTrue(now.value("process_uptime_seconds") > 0);
        assertTrue(now.value("jvm_threads_live_threads") > 0);
    }

    /** Some heap pool's name (they differ by collector). */
    /** How much a series grew between the scrapes; 0 for one the server has not got (a write path it never sets up). */
    private static double counted(Scrape before, Scrape after, String series) {
        return after.has(series) ? after.since(before, series) : 0;
    }

    private static String heapPool(Scrape scrape) {
        return scrape.text().lines().filter(line -> line.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .map(line -> line.replaceAll(".*id=\"([^\"]+)\".*", "$1")).findFirst()
                .orElseThrow(() -> new AssertionError("no heap pool in the scrape"));
    }

    @Test
    void aHealthyNodeIsLiveAndReadyWithEveryCheckUp() {
        HttpResponse<String> live = Http.get(appUri("health/live"));
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", json(live).getString("status"));

        HttpResponse<String> ready = Http.get(appUri("health/ready"));
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject report = json(ready);
        assertEquals("UP", report.getString("status"));
        List<String> checks = report.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .map(check -> check.getString("name") + "=" + check.getString("status")).toList();
        assertEquals(clustered() ? List.of("store=UP", "cluster=UP", "accepting=UP") : List.of("store=UP", "accepting=UP"),
                checks);
    }

    /** The store in use is named where an operator looks: the readiness report and the scrape. */
    @Test
    void theStoreInUseIsNamedInTheReadinessReportAndTheScrape() {
        String store = json(Http.get(appUri("health/ready"))).getString("store");
        if (jdbcStore()) {
            assertTrue(store.startsWith("jdbc, "), store);
            assertFalse(store.contains("jdbc:"), "no database URL where anyone may read: " + store);
        } else {
            assertEquals("memory", store);
        }
        Scrape scrape = scrape();
        assertEquals(1.0, scrape.value("parley_store_info{fallback=\"false\",kind=\"" + (jdbcStore() ? "jdbc" : "memory") + "\"}"));
    }

    static JsonObject json(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }
}
