package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** ParleyClient's state machine and outbox over fake wires and fake time: each case one rule of docs/CLIENTS.md. */
class ParleyClientTest {
    private final FakeTimers timers = new FakeTimers();
    private final List<FakeWire> wires = new ArrayList<>();
    private final List<String> heard = new ArrayList<>();
    private double random = 0.5;

    private final Listener listener = new Listener() {
        @Override
        public void onMessage(JsonObject m) {
            heard.add("message " + m.getInt("seq") + " " + m.getString("text"));
        }

        @Override
        public void onEdit(JsonObject e) {
            heard.add("edit " + e.getInt("seq"));
        }

        @Override
        public void onJoined(JsonObject j) {
            heard.add("joined " + j.getString("user"));
        }

        @Override
        public void onPresence(JsonObject p) {
            heard.add("presence " + p.getInt("count") + " +" + p.getJsonArray("joined") + " -" + p.getJsonArray("left")
                    + " " + p.getInt("more"));
        }

        @Override
        public void onError(ParleyException error) {
            heard.add("error " + error.code());
        }
    };

    private ParleyClient client(Transport transport) {
        return client(ParleyClient.builder(URI.create("ws://127.0.0.1:8080/chat")).room("lobby").user("ada")
                .transport(transport));
    }

    private ParleyClient client(ParleyClient.Builder builder) {
        return new ParleyClient(builder.listener(listener), timers, new ParleyClient.Wires() {
            @Override
            public Wire websocket() {
                return add(new FakeWire(Transport.WEBSOCKET));
            }

            @Override
            public Wire http() {
                return add(new FakeWire(Transport.HTTP));
            }
        }, () -> random);
    }

    private FakeWire add(FakeWire wire) {
        wires.add(wire);
        return wire;
    }

    private FakeWire wire() {
        return wires.get(wires.size() - 1);
    }

    /** connect(), the wire opens, the server welcomes with this history. */
    private JsonObject online(ParleyClient c, String history) throws Exception {
        CompletableFuture<JsonObject> welcome = c.connect();
        timers.run();
        wire().opened();
        wire().receive("{'type':'welcome','room':'lobby','user':'ada','users':['ada'],'resume':'secret-1','history':["
                + history + "]}");
        timers.run();
        return welcome.get();
    }

    private static String message(int seq, String text) {
        return "{'type':'message','room':'lobby','seq':" + seq + ",'user':'bob','text':'" + text + "','ts':'x'}";
    }

    private static String failure(CompletableFuture<?> future) {
        assertTrue(future.isCompletedExceptionally(), "failed");
        try {
            future.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException | InterruptedException e) {
            return assertInstanceOf(ParleyException.class, e.getCause()).code();
        }
    }

    @Test
    void connectJoinsOnceTheWireOpensAndCompletesWithTheWelcomeWithoutReplayingItsHistory() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        CompletableFuture<JsonObject> welcome = c.connect();
        timers.run();
        assertEquals(State.CONNECTING, c.state());
        assertEquals(URI.create("ws://127.0.0.1:8080/chat/lobby"), wire().uri);
        wire().opened();
        assertEquals(State.JOINING, c.state());
        JsonObject join = wire().last("join");
        assertEquals("ada", join.getString("user"));
        assertFalse(join.containsKey("since"), "a first join has no since");
        wire().receive("{'type':'welcome','room':'lobby','user':'ada','users':['ada'],'history':[" + message(1, "old")
                + "]}");
        assertEquals("ada", welcome.get().getString("user"));
        assertEquals(State.ONLINE, c.state());
        assertEquals(Transport.WEBSOCKET, c.transport());
        wire().receive(message(2, "new"));
        assertEquals(List.of("message 2 new"), heard);
    }

    @Test
    void aSendWaitsUntilOnlineAndCompletesWithItsAck() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        CompletableFuture<Ack> early = c.send("first");
        timers.run();
        assertFalse(early.isDone());
        online(c, "");
        JsonObject sent = wire().last("message");
        assertEquals("first", sent.getString("text"));
        wire().receive("{'type':'ack','cid':'" + sent.getString("cid") + "','seq':7}");
        assertEquals(new Ack(7, false), early.get());

        CompletableFuture<Ack> reply = c.reply(7, "second");
        timers.run();
        JsonObject second = wire().last("message");
        assertEquals(7, second.getInt("reply_to"));
        wire().receive("{'type':'ack','cid':'" + second.getString("cid") + "','seq':3,'dup':true}");
        assertEquals(new Ack(3, true), reply.get());
    }

    @Test
    void aLostConnectionReconnectsAfterTheBackoffWithSinceAndResumeAndResendsWhatWasNotAcknowledged() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        online(c, message(1, "one"));
        wire().receive(message(2, "two"));
        CompletableFuture<Ack> sending = c.send("hello");
        timers.run();
        String cid = wire().last("message").getString("cid");
        FakeWire first = wire();
        first.lost(1006, "");
        assertEquals(State.RECONNECTING, c.state());
        assertNull(c.transport());
        timers.advance(249);   // random 0.5 of a ceiling of 500 ms
        assertEquals(1, wires.size(), "not before the backoff");
        timers.advance(1);
        assertEquals(2, wires.size());
        wire().opened();
        JsonObject join = wire().last("join");
        assertEquals(2, join.getInt("since"));
        assertEquals("secret-1", join.getString("resume"));
        // the recovery overlaps what came live (2) and brings what was missed (3, 4)
        wire().receive("{'type':'welcome','room':'lobby','user':'ada','users':['ada'],'recovered':true,'history':["
                + message(2, "two") + "," + message(3, "three") + ",{'type':'edit','room':'lobby','seq':4,'ref':3,"
                + "'user':'bob','text':'3!','ts':'x'}]}");
        assertEquals(List.of("message 2 two", "message 3 three", "edit 4"), heard);
        assertEquals(cid, wire().last("message").getString("cid"), "resent with its cid");
        assertFalse(sending.isDone());
        wire().receive("{'type':'ack','cid':'" + cid + "','seq':5,'dup':true}");
        assertEquals(new Ack(5, true), sending.get());
    }

    @Test
    void theBackoffDoublesToItsCapAndAWelcomeStartsItOver() throws Exception {
        random = 0.999;
        ParleyClient c = client(Transport.WEBSOCKET);
        online(c, "");
        long[] ceilings = {500, 1000, 2000, 4000, 8000, 15000, 15000};
        for (long ceiling : ceilings) {
            int before = wires.size();
            wire().lost(1006, "");
            timers.advance((long) (0.999 * ceiling) - 1);
            assertEquals(before, wires.size(), "waits out " + ceiling);
            timers.advance(1);
            assertEquals(before + 1, wires.size());
        }
        wire().opened();
        wire().receive("{'type':'welcome','room':'lobby','user':'ada','users':['ada'],'recovered':true,'history':[]}");
        wire().lost(1006, "");
        timers.advance(499);
        assertEquals(ceilings.length + 2, wires.size(), "back to 500 ms after a welcome");
    }

    /** Moves the clock on until the next attempt opens a wire; answers how far (each client above is left waiting for a wire). */
    private long untilTheNextAttempt() {
        int before = wires.size();
        long waited = 0;
        while (wires.size() == before) {
            timers.advance(1);
            waited++;
            assertTrue(waited <= ParleyClient.RETRY_HINT_CAP_MILLIS * 2, "no attempt at all");
        }
        return waited;
    }

    @Test
    void aReconnectFrameBefore1001SetsTheNextAttemptBetweenAfterAndTwiceAfterOnce() throws Exception {
        for (double r : new double[] {0, 0.5, 0.999}) {
            random = r;
            wires.clear();
            heard.clear();
            ParleyClient c = client(Transport.WEBSOCKET);
            online(c, "");
            wire().receive("{'type':'reconnect','after':2000}");
            assertEquals(State.ONLINE, c.state(), "the frame alone changes nothing");
            wire().lost(1001, "server shutting down");
            assertEquals(State.RECONNECTING, c.state());
            long waited = untilTheNextAttempt();
            assertEquals(2000 + (long) (r * 2000), waited, "random " + r);
            assertTrue(waited >= 2000 && waited <= 4000, "within [after, 2 after]: " + waited);
            wire().lost(1006, "");   // the node is not back yet: the backoff goes on as it would have
            assertEquals(Math.max(1, (long) (r * 1000)), untilTheNextAttempt(), "the second ceiling, 1 s");
            assertEquals(List.of(), heard, "nothing for the listener");
        }
    }

    @Test
    void aReconnectFrameBefore1013AtTheLimitSetsTheDelayBeforeAnyWelcome() throws Exception {
        random = 0.25;
        ParleyClient c = client(Transport.WEBSOCKET);
        c.connect();
        timers.run();
        wire().opened();
        wire().receive("{'type':'reconnect','after':7000}");
        wire().lost(1013, "try again later");
        assertEquals(State.RECONNECTING, c.state());
        assertEquals(8750, untilTheNextAttempt());
    }

    @Test
    void withoutAHint1013And1001ReconnectAfterTheBackoffAsBefore() throws Exception {
        for (int code : new int[] {1013, 1001}) {
            wires.clear();
            ParleyClient c = client(Transport.WEBSOCKET);
            online(c, "");
            wire().lost(code, "");
            assertEquals(250, untilTheNextAttempt(), "random 0.5 of 500 ms after " + code);
        }
    }

    @Test
    void aHintThatIsNotAPositiveNumberIsIgnoredAndAHugeOneIsCapped() throws Exception {
        for (String after : new String[] {"'2000'", "-1", "0", "null", "0.5"}) {
            wires.clear();
            ParleyClient c = client(Transport.WEBSOCKET);
            online(c, "");
            wire().receive("{'type':'reconnect','after':" + after + "}");
            wire().lost(1001, "server shutting down");
            assertEquals(250, untilTheNextAttempt(), "after " + after);
        }
        random = 0;
        ParleyClient c = client(Transport.WEBSOCKET);
        online(c, "");
        wire().receive("{'type':'reconnect','after':86400000}");
        wire().lost(1001, "server shutting down");
        assertEquals(ParleyClient.RETRY_HINT_CAP_MILLIS, untilTheNextAttempt());
    }

    @Test
    void aNameRefusedOnTheFirstJoinFailsConnectButAfterALossIsTriedAgain() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        CompletableFuture<JsonObject> welcome = c.connect();
        timers.run();
        wire().opened();
        wire().receive("{'type':'error','code':'name-taken','message':'taken'}");
        assertEquals("name-taken", failure(welcome));
        assertEquals(State.OFFLINE, c.state());
        assertTrue(wire().closedByOwner);

        heard.clear();
        online(c, "");
        wire().lost(1006, "");
        timers.advance(250);
        wire().opened();
        wire().receive("{'type':'error','code':'name-taken','message':'taken'}");
        assertEquals(State.JOINING, c.state(), "our own ghost may hold it");
        assertEquals(List.of(), heard);
        int joins = wire().sent("join").size();
        timers.advance(1000);
        assertEquals(joins + 1, wire().sent("join").size());
    }

    @Test
    void aPolicyCloseBeforeAWelcomeOrAnAdministratorsCloseIsForGood() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        CompletableFuture<JsonObject> welcome = c.connect();
        CompletableFuture<Ack> waiting = c.send("x");
        timers.run();
        wire().opened();
        wire().receive("{'type':'error','code':'bad-room','message':'no such room'}");
        wire().lost(1008, "bad room");
        assertEquals(State.REFUSED, c.state());
        assertEquals("refused", failure(welcome));
        assertEquals("refused", failure(waiting));
        timers.advance(60_000);
        assertEquals(1, wires.size(), "no reconnect");

        ParleyClient other = client(Transport.WEBSOCKET);
        online(other, "");
        wire().lost(1008, "removed by an administrator");
        assertEquals(State.REFUSED, other.state());
        timers.advance(60_000);
        assertEquals(2, wires.size());
    }

    @Test
    void anErrorNamingACidFailsThatSendOnlyAndOthersReachTheListener() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        online(c, "");
        CompletableFuture<Ack> tooLong = c.send("x".repeat(10));
        CompletableFuture<Ack> fine = c.send("fine");
        timers.run();
        wire().receive("{'type':'error','code':'too-long','message':'long','cid':'" + wire().sent("message").get(0)
                .getString("cid") + "'}");
        assertEquals("too-long", failure(tooLong));
        assertFalse(fine.isDone());
        wire().receive("{'type':'error','code':'rate-limited','message':'slow down'}");
        assertEquals(List.of("error rate-limited"), heard);
    }

    @Test
    void theOutboxIsBoundedInFramesAndInCharacters() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        for (int i = 0; i < ParleyClient.OUTBOX_LIMIT; i++) {
            c.send("m" + i);
        }
        CompletableFuture<Ack> over = c.send("one too many");
        timers.run();
        assertEquals("outbox-full", failure(over));

        ParleyClient big = client(Transport.WEBSOCKET);
        CompletableFuture<Ack> half = big.send("x".repeat(ParleyClient.OUTBOX_CHARS / 2));
        CompletableFuture<Ack> again = big.send("y".repeat(ParleyClient.OUTBOX_CHARS / 2));
        CompletableFuture<Ack> more = big.send("z");
        timers.run();
        assertFalse(half.isDone());
        assertFalse(again.isDone());
        assertEquals("outbox-full", failure(more));
    }

    @Test
    void aSendWithTheCidOfOneWaitingIsThatOne() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        online(c, "");
        CompletableFuture<Ack> first = c.send("hello", 0, "my-cid");
        CompletableFuture<Ack> again = c.send("hello", 0, "my-cid");
        timers.run();
        assertEquals(1, wire().sent("message").size());
        wire().receive("{'type':'ack','cid':'my-cid','seq':9}");
        assertEquals(new Ack(9, false), first.get());
        assertEquals(new Ack(9, false), again.get());
    }

    @Test
    void historyCompletesWithItsAnswerAndFailsWhenTheConnectionIsLost() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        CompletableFuture<List<JsonObject>> offline = c.history(0, 10);
        timers.run();
        assertEquals("offline", failure(offline));
        online(c, "");
        assertThrows(IllegalArgumentException.class, () -> c.history(0, 101), "the server would answer with no answer");
        assertThrows(IllegalArgumentException.class, () -> c.history(-1, 10));
        CompletableFuture<List<JsonObject>> page = c.history(5, 2);
        timers.run();
        JsonObject asked = wire().last("history");
        assertEquals(5, asked.getInt("before"));
        assertEquals(2, asked.getInt("limit"));
        wire().receive("{'type':'history','room':'lobby','messages':[" + message(3, "c") + "," + message(4, "d") + "]}");
        assertEquals(List.of(3, 4), page.get().stream().map(m -> m.getInt("seq")).toList());
        CompletableFuture<List<JsonObject>> lost = c.history(3, 2);
        timers.run();
        wire().lost(1006, "");
        assertEquals("offline", failure(lost));
    }

    @Test
    void aLargeRoomsPresenceReachesTheListenerWithItsFrame() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        online(c, "");
        wire().receive("{'type':'presence','room':'lobby','count':251,'joined':['cy','dee'],'left':['bob'],'more':3,"
                + "'ts':'x'}");
        wire().receive("{'type':'joined','room':'lobby','user':'eve','count':200,'ts':'x'}");
        assertEquals(List.of("presence 251 +[\"cy\",\"dee\"] -[\"bob\"] 3", "joined eve"), heard);
    }

    @Test
    void membersCompletesWithItsPageInTheOrderAskedAndFailsWhenTheConnectionIsLost() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        CompletableFuture<JsonObject> offline = c.members(null, 10);
        timers.run();
        assertEquals("offline", failure(offline));
        online(c, "");
        assertThrows(IllegalArgumentException.class, () -> c.members(null, 0), "the server would answer with no answer");
        assertThrows(IllegalArgumentException.class, () -> c.members(null, ParleyClient.MEMBERS_LIMIT + 1));
        assertThrows(IllegalArgumentException.class, () -> c.members("x".repeat(129), 10));
        CompletableFuture<JsonObject> first = c.members(null, 100);
        CompletableFuture<JsonObject> next = c.members("bob", ParleyClient.MEMBERS_LIMIT);
        timers.run();
        List<JsonObject> asked = wire().sent("members");
        assertEquals(2, asked.size());
        assertFalse(asked.get(0).containsKey("after"), "from the first name");
        assertEquals(100, asked.get(0).getInt("limit"));
        assertEquals("bob", asked.get(1).getString("after"));
        assertEquals(500, asked.get(1).getInt("limit"));
        wire().receive("{'type':'members','room':'lobby','users':['ada','bob'],'count':4,'more':true}");
        wire().receive("{'type':'members','room':'lobby','users':['cy','dee'],'count':4,'more':false}");
        assertEquals(List.of("ada", "bob"), first.get().getJsonArray("users").getValuesAs(JsonString::getString));
        assertTrue(first.get().getBoolean("more"));
        assertEquals(List.of("cy", "dee"), next.get().getJsonArray("users").getValuesAs(JsonString::getString));
        assertFalse(next.get().getBoolean("more"));
        CompletableFuture<JsonObject> lost = c.members("dee", 10);
        timers.run();
        wire().lost(1006, "");
        assertEquals("offline", failure(lost), "a members request is not resent");
    }

    @Test
    void typingGoesOnlyWhileOnlineADirectCompletesWithItsCopyOrFailsOnItsErrorAndRoomsLists() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        CompletableFuture<JsonObject> offline = c.direct("bob", "psst");
        timers.run();
        assertEquals("offline", failure(offline));
        online(c, "");
        c.typing();
        timers.run();
        assertEquals(1, wire().sent("typing").size());

        CompletableFuture<JsonObject> psst = c.direct("bob", "psst");
        CompletableFuture<JsonObject> nobody = c.direct("nobody", "hello?");
        timers.run();
        List<JsonObject> directs = wire().sent("direct");
        assertEquals("bob", directs.get(0).getString("to"));
        wire().receive("{'type':'error','code':'no-such-user','message':'nobody','cid':'" + directs.get(1).getString("cid")
                + "'}");
        assertEquals("no-such-user", failure(nobody));
        wire().receive("{'type':'direct','room':'lobby','from':'ada','to':'bob','text':'psst','ts':'x'}");
        assertEquals("bob", psst.get().getString("to"));

        CompletableFuture<List<JsonObject>> rooms = c.rooms();
        timers.run();
        assertEquals(1, wire().sent("rooms").size());
        wire().receive("{'type':'rooms','rooms':[{'room':'lobby','count':2}]}");
        assertEquals("lobby", rooms.get().get(0).getString("room"));

        CompletableFuture<JsonObject> unanswered = c.direct("bob", "there?");
        CompletableFuture<List<JsonObject>> pending = c.rooms();
        timers.run();
        wire().lost(1006, "");
        assertEquals("offline", failure(unanswered));
        assertEquals("offline", failure(pending));
        assertEquals(List.of(), heard.stream().filter(h -> h.startsWith("error")).toList(), "answered errors are not events");
    }

    @Test
    void aConnectionThatAnswersNoPingIsLostAndTheClientComesBack() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        online(c, "");
        FakeWire first = wire();
        timers.advance(ParleyClient.PING_MILLIS);
        assertEquals(1, first.sent("ping").size());
        first.receive("{'type':'pong'}");
        timers.advance(ParleyClient.PONG_WAIT_MILLIS);
        assertEquals(State.ONLINE, c.state(), "answered");
        timers.advance(ParleyClient.PING_MILLIS - ParleyClient.PONG_WAIT_MILLIS);
        assertEquals(2, first.sent("ping").size(), "a ping every 25 s");
        timers.advance(ParleyClient.PONG_WAIT_MILLIS - 1);
        assertEquals(State.ONLINE, c.state());
        timers.advance(1);
        assertEquals(State.RECONNECTING, c.state(), "no answer in 10 s: the connection died without a word");
        assertTrue(first.closedByOwner);
        timers.advance(250);
        assertEquals(2, wires.size(), "and the client comes back");
    }

    @Test
    void whileOfflineOnlyTheNewestReadPositionWaits() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        c.markRead(3);
        c.markRead(8);
        c.markRead(5);
        online(c, "");
        assertEquals(List.of(8), wire().sent("read").stream().map(r -> r.getInt("seq")).toList());
    }

    @Test
    void aRoomWhoseHistoryStartedOverIsHeardFromItsFirstSeqAgain() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        online(c, message(1, "a") + "," + message(2, "b"));
        wire().lost(1001, "server shutting down");
        timers.advance(250);
        wire().opened();
        assertEquals(2, wire().last("join").getInt("since"));
        wire().receive("{'type':'welcome','room':'lobby','user':'ada','users':['ada'],'recovered':false,'history':["
                + message(1, "new a") + "]}");
        assertEquals(List.of("message 1 new a"), heard);
    }

    @Test
    void autoFallsBackToHttpWhenAWebSocketDoesNotOpenAndGoesBackOnceOneDoes() throws Exception {
        ParleyClient c = client(Transport.AUTO);
        CompletableFuture<JsonObject> welcome = c.connect();
        timers.run();
        FakeWire socket = wire();
        assertEquals(Transport.WEBSOCKET, socket.kind);
        timers.advance(FallbackWire.OPEN_TIMEOUT_MILLIS);
        FakeWire stream = wire();
        assertEquals(Transport.HTTP, stream.kind);
        assertEquals(URI.create("http://127.0.0.1:8080/sse/lobby"), stream.uri);
        stream.opened();
        stream.receive("{'type':'welcome','room':'lobby','user':'ada','users':['ada'],'history':[" + message(1, "a")
                + "]}");
        assertEquals(Transport.HTTP, c.transport());
        assertTrue(welcome.isDone());
        socket.opened();   // the WebSocket that missed its deadline opens late: connect again on WebSocket
        assertTrue(socket.closedByOwner);
        assertTrue(stream.closedByOwner);
        timers.run();
        FakeWire again = wire();
        assertEquals(Transport.WEBSOCKET, again.kind);
        again.opened();
        assertEquals(1, again.last("join").getInt("since"));
        assertEquals(Transport.WEBSOCKET, c.transport());
    }

    @Test
    void aListenerThatThrowsDoesNotStopTheClient() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ParleyClient c = new ParleyClient(ParleyClient.builder(URI.create("ws://h:1/chat")).user("ada")
                .transport(Transport.WEBSOCKET).listener(new Listener() {
                    @Override
                    public void onMessage(JsonObject message) {
                        calls.incrementAndGet();
                        throw new IllegalStateException("a bug in the application");
                    }
                }), timers, new ParleyClient.Wires() {
                    @Override
                    public Wire websocket() {
                        return add(new FakeWire(Transport.WEBSOCKET));
                    }

                    @Override
                    public Wire http() {
                        throw new AssertionError();
                    }
                }, () -> 0.5);
        online(c, "");
        wire().receive(message(1, "a"));
        wire().receive(message(2, "b"));
        assertEquals(2, calls.get());
        assertEquals(State.ONLINE, c.state());
    }

    @Test
    void aTokenIsFetchedBeforeTheJoinAndAFreshOneIsSentAsAuthBeforeItExpires() throws Exception {
        List<String> issued = new ArrayList<>();
        ParleyClient c = client(ParleyClient.builder(URI.create("wss://chat.example/parley/chat")).room("lobby")
                .transport(Transport.WEBSOCKET).tokens(() -> {
                    long exp = timers.nowMillis() / 1000 + 300;
                    String token = "h." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                            ("{\"sub\":\"ada\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8)) + ".s" + issued.size();
                    issued.add(token);
                    return CompletableFuture.completedFuture(token);
                }));
        CompletableFuture<JsonObject> welcome = c.connect();
        timers.run();
        assertEquals(URI.create("wss://chat.example/parley/chat/lobby"), wire().uri);
        wire().opened();
        JsonObject join = wire().last("join");
        assertEquals(issued.get(0), join.getString("token"));
        assertFalse(join.containsKey("user"));
        wire().receive("{'type':'welcome','room':'lobby','user':'ada','users':['ada'],'history':[]}");
        assertTrue(welcome.isDone());
        for (long passed = 0; passed < 240_000 - 1; ) { // the server answers every ping
            long step = Math.min(ParleyClient.PING_MILLIS, 240_000 - 1 - passed);
            timers.advance(step);
            passed += step;
            wire().receive("{'type':'pong'}");
        }
        assertEquals(List.of(), wire().sent("auth"));
        timers.advance(1);
        assertEquals(issued.get(1), wire().last("auth").getString("token"));
        assertTrue(wire().last("auth").getString("cid").startsWith("auth-"));
    }

    @Test
    void closeFailsWhatWaitsAndStopsEveryTimer() throws Exception {
        ParleyClient c = client(Transport.WEBSOCKET);
        online(c, "");
        CompletableFuture<Ack> waiting = c.send("x");
        timers.run();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(c::close);   // it waits for its task on the client's thread
        while (!closing.isDone()) {
            timers.run();
            Thread.onSpinWait();
        }
        assertEquals("closed", failure(waiting));
        assertEquals(State.OFFLINE, c.state());
        assertTrue(wire().closedByOwner);
        assertEquals(0, timers.pending());
        assertEquals("closed", failure(c.send("after")));
    }
}
