package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A {@link Room}'s members and delivery, without a server: held events, departure, slow consumers. */
class RoomTest {
    private ChatFixture chat = new ChatFixture();

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    void whatTheRoomDeliversWhileAConnectionJoinsFollowsItsWelcomeInOrder() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        // bob's welcome has read an empty room, and waits
        ChatFixture.Client bob = chat.joiningHeld("lobby", "{\"type\":\"join\",\"user\":\"bob\"}");

        ada.send("{\"type\":\"message\",\"text\":\"while bob joins\"}");
        assertTrue(ada.peer().next().contains("while bob joins"));
        ada.send("{\"type\":\"typing\"}");
        assertNull(bob.peer().poll(100), "nothing before the welcome");
        chat.store.open();

        String welcome = bob.peer().next();
        assertTrue(welcome.contains("\"history\":[]"), welcome);
        assertTrue(bob.peer().next().contains("\"seq\":1,\"user\":\"ada\",\"text\":\"while bob joins\""));
        assertEquals("{\"type\":\"typing\",\"room\":\"lobby\",\"user\":\"ada\"}", bob.peer().next());
    }

    @Test
    void aMessageTheStoreDecidesAtOnceGoesOutOnThePostersThreadInASmallRoomAndFromThePoolInALargeOne()
            throws Exception {
        ChatFixture.Client ada = chat.member("small", "ada");
        ChatFixture.Client bob = chat.member("small", "bob");
        ada.peer().next(); // bob joined
        ada.send("{\"type\":\"message\",\"text\":\"here\"}"); // read, stored and decided on this thread
        assertTrue(bob.peer().next().contains("\"text\":\"here\""));
        assertSame(Thread.currentThread(), bob.peer().lastSender(), "no hand-off to the delivery pool");

        List<ChatFixture.Client> crowd = new ArrayList<>();
        for (int i = 0; i <= Room.FAN_OUT_HERE_MEMBERS; i++) {
            crowd.add(chat.member("large", "u" + i));
        }
        ChatFixture.Client last = crowd.get(crowd.size() - 1);
        // a member counts once it is admitted, a moment after its welcome
        dev.parley.support.Poll.until(() -> chat.registry.active("large").memberCount(),
                count -> count == Room.FAN_OUT_HERE_MEMBERS + 1, java.time.Duration.ofSeconds(5));
        crowd.get(0).send("{\"type\":\"message\",\"text\":\"from the pool\"}");
        assertTrue(last.peer().nextBut("joined", "presence").contains("\"text\":\"from the pool\""));
        assertTrue(last.peer().lastSender().getName().startsWith("parley-delivery-"), last.peer().lastSender().getName());
    }

    @Test
    void aMessageTheWelcomeHadIsNotDeliveredAgain() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ChatFixture.Client bob = chat.joiningHeld("lobby", "{\"type\":\"join\",\"user\":\"bob\",\"since\":0}");
        ada.send("{\"type\":\"message\",\"text\":\"one\"}");
        ada.peer().next();
        chat.store.open();
        String welcome = bob.peer().next();
        assertTrue(welcome.contains("\"recovered\":true"), welcome);

        // the recovery read before "one" was stored, so "one" is held and follows, once
        assertTrue(bob.peer().next().contains("\"seq\":1"));
        ada.send("{\"type\":\"message\",\"text\":\"two\"}");
        assertTrue(bob.peer().next().contains("\"seq\":2"), "seq 1 came once");

        ChatFixture.Client cy = chat.open("lobby");
        String cyWelcome = cy.join("cy");
        assertTrue(cyWelcome.contains("\"seq\":2"), cyWelcome);
        ada.send("{\"type\":\"message\",\"text\":\"three\"}");
        assertTrue(cy.peer().nextBut("joined").contains("\"seq\":3"), "nothing the welcome had came again");
    }

    @Test
    void aFillThatFindsAPostBeforeItsAckWaitsForTheAck() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ChatFixture.Client bob = chat.member("lobby", "bob");
        ada.peer().next(); // bob joined
        java.util.concurrent.CompletableFuture<Void> decided = chat.store.holdDecisions();

        ada.send("{\"type\":\"message\",\"text\":\"mine\",\"cid\":\"c1\"}");
        assertEquals(1L, dev.parley.support.Poll.until(() -> chat.store.lastSeq("lobby"), seq -> seq >= 1,
                java.time.Duration.ofSeconds(5)), "stored, its completion held");
        // a resync (another node got further, the broker was away) reads seq 1 before ada's ack is out
        chat.registry.active("lobby").resync();
        assertEquals(1, dev.parley.support.Poll.until(chat.store::fills, fills -> fills >= 1,
                java.time.Duration.ofSeconds(5)), "the resync read the store");
        assertNull(ada.peer().poll(300), "nothing for the sender before its ack");

        decided.complete(null);
        assertEquals("{\"type\":\"ack\",\"cid\":\"c1\",\"seq\":1}", ada.peer().next());
        assertTrue(ada.peer().next().contains("\"seq\":1,\"user\":\"ada\",\"text\":\"mine\""));
        assertTrue(bob.peer().next().contains("\"text\":\"mine\""));
        ada.send("{\"type\":\"message\",\"text\":\"next\"}");
        assertTrue(ada.peer().next().contains("\"seq\":2"), "seq 1 came once");
        assertTrue(bob.peer().next().contains("\"seq\":2"), "seq 1 came once");
    }

    @Test
    void aDepartureIsHeardOnceWhateverSaysSo() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ChatFixture.Client bob = chat.member("lobby", "bob");
        ada.peer().next(); // bob joined

        bob.connection().depart(CloseReasons.IDLE);
        bob.connection().closed(null);
        bob.connection().depart(CloseReasons.SLOW_CONSUMER);
        assertEquals(CloseReasons.IDLE, bob.peer().closed());
        assertTrue(ada.peer().next().startsWith("{\"type\":\"left\",\"room\":\"lobby\",\"user\":\"bob\",\"count\":1"));
        ada.send("{\"type\":\"message\",\"text\":\"alone\"}");
        assertTrue(ada.peer().next().contains("alone"), "one left, not two");
        assertEquals(1.0, chat.closed("idle timeout"));
        assertEquals(0.0, chat.closed("slow consumer"));
        assertEquals(1, chat.registry.connectionCount());
    }

    @Test
    void theLastOneOutRetiresTheRoomAndTheNextJoinStartsItAgain() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ada.send("{\"type\":\"message\",\"text\":\"kept\"}");
        ada.peer().next();
        Room first = chat.registry.active("lobby");
        assertNotNull(first);
        ada.connection().closed(null);
        assertNull(chat.registry.active("lobby"));
        assertTrue(first.retired());

        String welcome = chat.open("lobby").join("ada");
        assertTrue(welcome.contains("\"text\":\"kept\""), welcome);
        assertFalse(chat.registry.active("lobby").retired());
    }

    @Test
    void aMemberThatStopsReadingIsClosedAsASlowConsumerAndTheOthersGoOn() throws Exception {
        chat.close();
        chat = new ChatFixture(Map.of("PARLEY_SEND_QUEUE", "5"));
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ChatFixture.Client bob = chat.member("lobby", "bob");
        ada.peer().next(); // bob joined
        bob.peer().stall();
        List<String> said = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Connection.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getMessage().contains("were not read in time")) {
                    said.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);

        // no cid: ada's frames are then all written by the room's delivery (a queue this short
        // would otherwise close ada too, were the thread that writes her acks held up meanwhile)
        for (int i = 1; i <= 10; i++) {
            ada.send("{\"type\":\"message\",\"text\":\"m" + i + "\"}");
        }
        assertEquals(CloseReasons.SLOW_CONSUMER, bob.peer().closed());
        List<String> heard = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) { // ten messages and bob's left
            String frame = ada.peer().poll(5000);
            assertNotNull(frame, "after " + heard);
            heard.add(frame);
        }
        assertEquals(10, heard.stream().filter(f -> f.startsWith("{\"type\":\"message\"")).count());
        assertTrue(heard.stream().anyMatch(f -> f.startsWith("{\"type\":\"left\",\"room\":\"lobby\",\"user\":\"bob\"")));
        assertEquals(1.0, chat.closed("slow consumer"));
        log.removeHandler(handler);
        assertEquals(1, said.size(), "said once, however many fan-outs found it full: " + said);
    }

    @Test
    void aConnectionThatCannotTakeWhatWasHeldForItIsClosedOnceWelcomed() throws Exception {
        chat.close();
        chat = new ChatFixture(Map.of("PARLEY_SEND_QUEUE", "3"));
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ChatFixture.Client bob = chat.joiningHeld("lobby", "{\"type\":\"join\",\"user\":\"bob\"}");
        for (int i = 1; i <= 5; i++) {
            ada.send("{\"type\":\"message\",\"text\":\"m" + i + "\"}");
            ada.peer().next();
        }
        chat.store.open();
        assertTrue(bob.peer().next().startsWith("{\"type\":\"welcome\""));
        assertEquals(CloseReasons.SLOW_CONSUMER, bob.peer().closed());
    }

    @Test
    void aDirectMessageReachesTheUsersConnectionsAndACopyTheSender() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ChatFixture.Client bob = chat.member("lobby", "bob");
        ada.peer().next(); // bob joined
        ada.send("{\"type\":\"direct\",\"to\":\"bob\",\"text\":\"psst\"}");
        String toBob = bob.peer().next();
        assertTrue(toBob.startsWith("{\"type\":\"direct\",\"room\":\"lobby\",\"from\":\"ada\",\"to\":\"bob\",\"text\":\"psst\""),
                toBob);
        assertEquals(toBob, ada.peer().next());

        ada.send("{\"type\":\"direct\",\"to\":\"zed\",\"text\":\"hello?\",\"cid\":\"d1\"}");
        assertTrue(ada.peer().next().startsWith("{\"type\":\"error\",\"code\":\"no-such-user\""));
    }

    @Test
    void anAdministratorsRemovalClosesTheMemberAndTheRoomHearsItLeave() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ChatFixture.Client bob = chat.member("lobby", "bob");
        ada.peer().next();
        assertEquals(Moderation.Found.HERE, chat.moderation.disconnect("lobby", "bob"));
        assertEquals(CloseReasons.REMOVED, bob.peer().closed());
        assertTrue(ada.peer().next().startsWith("{\"type\":\"left\",\"room\":\"lobby\",\"user\":\"bob\""));
        assertEquals(Moderation.Found.NOBODY, chat.moderation.disconnect("lobby", "bob"));
    }

    /**
     * A room whose members' sockets all went at once (a proxy restarted): each one's
     * {@code left} fails on the next dead member, whose departure must come after it, in the
     * room's next task, not inside it (nested, 150 deep here, and as deep as the presence
     * limit allows there).
     */
    @Test
    void deadMembersDepartOneAfterAnotherNotInsideEachOther() throws Exception {
        ChatFixture.Client watcher = chat.member("lobby", "watcher");
        List<ChatFixture.Client> dead = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            dead.add(chat.member("lobby", "d" + i));
        }
        for (ChatFixture.Client member : dead) {
            member.peer().die(() -> member.connection().closed(null));
        }

        dead.get(0).connection().closed(null);
        java.util.Set<String> left = new java.util.HashSet<>();
        while (left.size() < dead.size()) {
            String frame = watcher.peer().nextBut("joined");
            assertTrue(frame.startsWith("{\"type\":\"left\",\"room\":\"lobby\",\"user\":\"d"), frame);
            left.add(frame);
        }
        long deepest = dead.stream().mapToLong(member -> member.peer().leavesUnderFailedSend()).max().orElseThrow();
        assertTrue(deepest >= 0, "the departures failed sends to dead members");
        assertTrue(deepest <= 1, "a failed send had " + deepest + " departures nested on its stack");
        assertEquals(1, chat.registry.active("lobby").memberCount(), "only the watcher is left");
    }
}
