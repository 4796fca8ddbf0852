package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.admin.AdminCases;
import dev.parley.api.ApiCases;
import dev.parley.api.WebhookCases;
import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.StandaloneParley;
import dev.parley.support.WebhookReceiver;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks on the standalone server (its default H2 store), and what only a server this
 * test starts and stops can show: a receiver down for a while, one that does not answer in
 * time, and events that outlive a restart of the server.
 */
class StandaloneWebhookTest extends WebhookCases {
    static final WebhookReceiver RECEIVER = new WebhookReceiver(SECRET, 0);
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(Map.of("PARLEY_API_KEY", ApiCases.KEY,
            "PARLEY_WEBHOOK_URL", RECEIVER.url().toString(), "PARLEY_WEBHOOK_SECRET", SECRET,
            "PARLEY_ADMIN_TOKEN", AdminCases.TOKEN));

    @AfterAll
    static void closeReceiver() {
        RECEIVER.close();
    }

    @Override
    protected URI chatUri(String room) {
        return SERVER.chatUri(room);
    }

    @Override
    protected URI appUri(String path) {
        return SERVER.httpUri().resolve(path);
    }

    @Override
    protected WebhookReceiver receiver() {
        return RECEIVER;
    }

    private static List<String> texts(List<WebhookReceiver.Delivery> events) {
        return events.stream().map(e -> e.event().containsKey("text") ? e.event().getString("text") : e.type()).toList();
    }

    @Test
    void eventsWaitWhileTheReceiverIsDownAndArriveInOrderOnceItIsBack() {
        RECEIVER.stop();
        try (ChatClient ada = ChatClient.join(chatUri(room), "ada")) {
            for (int i = 1; i <= 5; i++) {
                ada.say("m" + i, "c" + i).awaitAck("c" + i);
            }
        } finally {
            RECEIVER.start();
        }
        assertEquals(List.of("joined", "m1", "m2", "m3", "m4", "m5", "left"),
                texts(RECEIVER.delivered(room, 7, Duration.ofSeconds(60))));
    }

    @Test
    void anEventTheReceiverDoesNotAnswerInTenSecondsComesAgain() {
        Set<String> held = new HashSet<>();
        RECEIVER.answer(event -> event.getString("room").equals(room) && event.getString("type").equals("joined")
                && held.add(event.getString("id")) ? new WebhookReceiver.Answer(204, Duration.ofSeconds(12))
                : WebhookReceiver.Answer.OK);
        try (ChatClient ada = ChatClient.join(chatUri(room), "ada")) {
            ada.say("after it", "c1").awaitAck("c1");
        }
        WebhookReceiver.Delivery first = RECEIVER.next(room);
        WebhookReceiver.Delivery again = RECEIVER.next(room, Duration.ofSeconds(40)).orElseThrow();
        assertEquals(first.id(), again.id(), "too late is not delivered: the same event again, nothing before it");
        assertEquals("after it", RECEIVER.next(room).event().getString("text"));
    }

    /** The backlog where an operator looks: the admin view, /health/ready (still ready), the metrics. */
    @Test
    void theBacklogShowsInTheAdminViewTheReadinessReportAndTheMetrics() {
        RECEIVER.answer(event -> event.getString("room").equals(room) ? WebhookReceiver.Answer.status(500)
                : WebhookReceiver.Answer.OK);
        try (ChatClient ada = ChatClient.join(chatUri(room), "ada")) {
            ada.say("stuck", "c1").awaitAck("c1");
            RECEIVER.next(room); // refused: it and what follows wait
            HttpResponse<String> admin = Http.awaitGet(appUri("admin/api/rooms"), Duration.ofSeconds(20),
                    answer -> answer.body().contains("\"" + room + "\":2"), "Authorization", "Bearer " + AdminCases.TOKEN);
            JsonObject webhooks = Json.createReader(new StringReader(admin.body())).readObject().getJsonObject("webhooks");
            assertTrue(webhooks.getJsonNumber("backlog").longValue() >= 2, admin.body());
            assertTrue(webhooks.getBoolean("sending"));
            assertEquals(2, webhooks.getJsonObject("rooms").getInt(room), "joined and the message wait");
            HttpResponse<String> ready = Http.get(appUri("health/ready"));
            assertEquals(200, ready.statusCode(), "a backlog does not fail readiness");
            assertTrue(Json.createReader(new StringReader(ready.body())).readObject().getJsonObject("webhooks")
                    .getJsonNumber("backlog").longValue() >= 2, ready.body());
            String metrics = Http.get(appUri("metrics")).body();
            assertTrue(metrics.contains("parley_webhooks_backlog_room{room=\"" + room + "\"} 2.0"), metrics);
            assertTrue(metrics.contains("parley_webhooks_failed_total"), metrics);
        } finally {
            RECEIVER.answer(event -> WebhookReceiver.Answer.OK);
        }
        assertEquals(List.of("joined", "stuck", "left"), texts(RECEIVER.delivered(room, 3, Duration.ofSeconds(60))));
    }

    @Test
    void eventsOutliveARestartOfTheServerWithTheirIds() {
        RECEIVER.answer(event -> event.getString("room").equals(room) ? WebhookReceiver.Answer.status(503)
                : WebhookReceiver.Answer.OK);
        try (ChatClient ada = ChatClient.join(chatUri(room), "ada")) {
            for (int i = 1; i <= 3; i++) {
                ada.say("m" + i, "c" + i).awaitAck("c" + i);
            }
        }
        String joined = RECEIVER.next(room).id(); // refused: it waits in the store
        SERVER.stop();
        RECEIVER.answer(event -> WebhookReceiver.Answer.OK);
        SERVER.start();
        // (ada's left may be the server's shutdown's, or not be: it is not what this is about)
        List<WebhookReceiver.Delivery> events = RECEIVER.delivered(room, 4, Duration.ofSeconds(60));
        assertEquals(List.of("joined", "m1", "m2", "m3"), texts(events));
        assertEquals(joined, events.get(0).id(), "the id it had before the restart");
    }
}
