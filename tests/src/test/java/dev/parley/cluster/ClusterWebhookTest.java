package dev.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.api.WebhookCases;
import dev.parley.support.ChatClient;
import dev.parley.support.Http;
import dev.parley.support.ParleyCluster;
import dev.parley.support.ParleyNode;
import dev.parley.support.Poll;
import dev.parley.support.Rooms;
import dev.parley.support.WebhookReceiver;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks from a cluster of two nodes on PostgreSQL: one node sends (the lease), every
 * event once and in its room's order whichever node stored it, and when the sending node
 * is killed the other takes the lease over and delivers what waited, losing nothing.
 */
class ClusterWebhookTest {
    static final WebhookReceiver RECEIVER = new WebhookReceiver(WebhookCases.SECRET, 0);
    @RegisterExtension
    static final ParleyCluster CLUSTER = new ParleyCluster(2, Map.of("PARLEY_WEBHOOK_URL", RECEIVER.url().toString(),
            "PARLEY_WEBHOOK_SECRET", WebhookCases.SECRET));

    @AfterAll
    static void closeReceiver() {
        RECEIVER.close();
    }

    private static List<String> texts(List<WebhookReceiver.Delivery> events) {
        return events.stream().map(e -> e.event().containsKey("text") ? e.event().getString("text")
                : e.type() + " " + e.event().getString("user")).toList();
    }

    /**
     * {@code expected} appear in {@code seen} in this order. A room's entries are in seq
     * order, and a user's joined comes before what it says (both stored by its node); across
     * nodes a joined may fall a few milliseconds either side of another node's message
     * (docs/SERVER-API.md, "Webhooks, decided").
     */
    private static void assertInOrder(List<String> seen, String... expected) {
        int last = -1;
        for (String item : expected) {
            int at = seen.indexOf(item);
            assertTrue(at > last, () -> List.of(expected) + " in this order in " + seen);
            last = at;
        }
    }

    /** The node whose metrics say it sends, within 30 s (a lease lapses in 15). */
    private static ParleyNode sender() {
        ParleyNode sending = Poll.until(ClusterWebhookTest::sendingNow, java.util.Objects::nonNull, Duration.ofSeconds(30));
        if (sending == null) {
            throw new AssertionError("no node sends the webhook events");
        }
        return sending;
    }

    private static ParleyNode sendingNow() {
        return CLUSTER.nodes().stream().filter(ParleyNode::isAlive)
                .filter(node -> Http.get(node.httpUri().resolve("/metrics")).body().contains("parley_webhooks_sending 1.0"))
                .findFirst().orElse(null);
    }

    @Test
    void eachEventIsDeliveredOnceInTheRoomsOrderWhicheverNodeStoredIt() {
        String room = Rooms.fresh();
        try (ChatClient ada = ChatClient.join(CLUSTER.node(1).chatUri(room), "ada");
             ChatClient bob = ChatClient.join(CLUSTER.node(2).chatUri(room), "bob")) {
            ada.nextOf("joined");
            for (int i = 1; i <= 10; i++) {
                ChatClient from = i % 2 == 0 ? bob : ada;
                from.say("m" + i, "c" + i).awaitAck("c" + i);
            }
        }
        List<WebhookReceiver.Delivery> events = RECEIVER.delivered(room, 14, Duration.ofSeconds(60));
        events.forEach(event -> assertTrue(event.signed()));
        List<String> seen = texts(events);
        assertInOrder(seen, "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "left ada");
        assertInOrder(seen, "m10", "left bob");
        assertInOrder(seen, "joined ada", "m1");
        assertInOrder(seen, "joined bob", "m2");
        assertTrue(RECEIVER.next(room, Duration.ofSeconds(2)).isEmpty(), "nothing twice");
    }

    @Test
    void whenTheSendingNodeIsKilledTheOtherTakesItOverAndDeliversWhatWaited() {
        String room = Rooms.fresh();
        RECEIVER.answer(event -> event.getString("room").equals(room) ? WebhookReceiver.Answer.status(503)
                : WebhookReceiver.Answer.OK);
        ParleyNode sending = sender();
        ParleyNode other = CLUSTER.nodes().stream().filter(node -> node != sending).findFirst().orElseThrow();
        Set<String> refused = new HashSet<>();
        try (ChatClient ann = ChatClient.join(sending.chatUri(room), "ann");
             ChatClient cyd = ChatClient.join(other.chatUri(room), "cyd")) {
            ann.say("on the sender", "c1").awaitAck("c1");
            cyd.say("on the other", "c2").awaitAck("c2");
            refused.add(RECEIVER.next(room).id()); // tried, refused: it waits in the database
            sending.kill();
            RECEIVER.answer(event -> WebhookReceiver.Answer.OK);
            cyd.say("after the kill", "c3").awaitAck("c3");
            List<WebhookReceiver.Delivery> events = RECEIVER.delivered(room, 5, Duration.ofSeconds(90));
            List<String> seen = texts(events);
            assertInOrder(seen, "joined ann", "on the sender", "on the other", "after the kill");
            assertInOrder(seen, "joined cyd", "on the other");
            events.forEach(event -> assertTrue(event.signed()));
            assertTrue(refused.contains(events.get(0).id()), "the event refused before the kill, with its id");
            assertEquals(other, sender(), "the other node holds the lease now");
        } finally {
            RECEIVER.answer(event -> WebhookReceiver.Answer.OK);
            if (!sending.isAlive()) {
                sending.start();
            }
        }
    }
}
