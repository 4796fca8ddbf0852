package dev.parley.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.identity.Tokens;
import dev.parley.support.TestTokens;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The join state machine of {@link Connection}, without a server: each way in, and each way a join is refused. */
class JoinTest {
    private ChatFixture chat = new ChatFixture();

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    void aJoinIsWelcomedWithTheUsersAndTheRoomsNewestMessages() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ada.send("{\"type\":\"message\",\"text\":\"first\",\"cid\":\"c1\"}");
        assertEquals("{\"type\":\"ack\",\"cid\":\"c1\",\"seq\":1}", ada.peer().next());
        assertTrue(ada.peer().next().contains("\"text\":\"first\""));

        String welcome = chat.open("lobby").join("bob");
        assertTrue(welcome.contains("\"users\":[\"ada\",\"bob\"]"), welcome);
        assertTrue(welcome.contains("\"history\":[{\"type\":\"message\",\"room\":\"lobby\",\"seq\":1"), welcome);
        assertTrue(ada.peer().next().startsWith("{\"type\":\"joined\",\"room\":\"lobby\",\"user\":\"bob\",\"count\":2"));
    }

    @Test
    void aFrameOtherThanJoinBeforeTheJoinIsRefusedAndTheConnectionStaysOpen() throws Exception {
        ChatFixture.Client client = chat.open("lobby");
        client.send("{\"type\":\"message\",\"text\":\"too soon\",\"cid\":\"c1\"}");
        assertEquals("{\"type\":\"error\",\"code\":\"not-joined\",\"message\":\"Send join first.\",\"cid\":\"c1\"}",
                client.peer().next());
        client.join("ada");
        assertNull(client.peer().closedWithin(0));
    }

    @Test
    void aSecondJoinIsRefused() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ada.send("{\"type\":\"join\",\"user\":\"eve\"}");
        assertTrue(ada.peer().next().startsWith("{\"type\":\"error\",\"code\":\"already-joined\""));
        assertEquals(java.util.List.of("ada"), chat.moderation.roomsHere().get(0).members());
    }

    @Test
    void aNameInUseIsRefusedAndTheConnectionMayTryAnother() throws Exception {
        chat.member("lobby", "ada");
        ChatFixture.Client second = chat.open("lobby");
        second.send("{\"type\":\"join\",\"user\":\"ada\"}");
        assertTrue(second.peer().next().startsWith("{\"type\":\"error\",\"code\":\"name-taken\""));
        String welcome = second.join("bob");
        assertTrue(welcome.contains("\"users\":[\"ada\",\"bob\"]"), welcome);
    }

    @Test
    void aResumeSecretTakesTheNameBackAndClosesTheStaleConnectionUnheard() throws Exception {
        ChatFixture.Client bob = chat.member("lobby", "bob");
        ChatFixture.Client stale = chat.open("lobby");
        String welcome = stale.join("ada");
        String resume = welcome.replaceAll(".*\"resume\":\"([^\"]+)\".*", "$1");
        bob.peer().next(); // ada joined

        ChatFixture.Client back = chat.open("lobby");
        back.send("{\"type\":\"join\",\"user\":\"ada\",\"resume\":\"" + resume + "\"}");
        assertTrue(back.peer().next().startsWith("{\"type\":\"welcome\""));
        assertEquals(CloseReasons.REPLACED, stale.peer().closed());
        bob.send("{\"type\":\"message\",\"text\":\"still here?\"}");
        assertTrue(bob.peer().next().contains("still here?"), "bob heard neither a left nor a joined for ada");
    }

    @Test
    void aJoinIntoARoomAnAdministratorClosedIsRefusedAndClosed() throws Exception {
        chat.moderation.closeRoom("lobby");
        ChatFixture.Client client = chat.open("lobby");
        client.send("{\"type\":\"join\",\"user\":\"ada\"}");
        assertEquals("{\"type\":\"error\",\"code\":\"bad-room\",\"message\":\"This room was closed by an administrator.\"}",
                client.peer().next());
        assertEquals(CloseReasons.ROOM_CLOSED, client.peer().closed());
    }

    @Test
    void aRoomNameThatIsNoneIsRefusedAndClosed() throws Exception {
        ChatFixture.Client client = chat.open("No Room");
        assertTrue(client.peer().next().startsWith("{\"type\":\"error\",\"code\":\"bad-room\""));
        assertEquals(CloseReasons.BAD_ROOM, client.peer().closed());
        assertEquals(0, chat.registry.connectionCount());
    }

    @Test
    void aStoreThatIsAwayRefusesTheJoinAsUnavailableAndGivesTheNameBack() throws Exception {
        chat.store.failing(true);
        ChatFixture.Client client = chat.open("lobby");
        client.send("{\"type\":\"join\",\"user\":\"ada\"}");
        assertTrue(client.peer().next().startsWith("{\"type\":\"error\",\"code\":\"unavailable\""));
        assertNull(chat.registry.active("lobby"), "the room retired with its only connection out of it");

        chat.store.failing(false);
        String welcome = client.join("ada");
        assertTrue(welcome.contains("\"users\":[\"ada\"]"), "the name was given back: " + welcome);
    }

    @Test
    void aConnectionThatLeavesWhileJoiningIsNeitherWelcomedNorAMember() throws Exception {
        ChatFixture.Client ada = chat.member("lobby", "ada");
        ChatFixture.Client bob = chat.joiningHeld("lobby", "{\"type\":\"join\",\"user\":\"bob\"}");
        bob.connection().closed(null);
        chat.store.open();

        ada.send("{\"type\":\"message\",\"text\":\"anyone?\"}");
        assertTrue(ada.peer().next().contains("anyone?"), "ada heard no joined nor left of bob");
        assertNull(bob.peer().poll(200), "no welcome for a connection that left");
        assertEquals(java.util.List.of("ada"), chat.moderation.roomsHere().get(0).members());
        ChatFixture.Client again = chat.open("lobby");
        again.join("bob"); // the name was given back
    }

    @Test
    void aFloodWhileAJoinIsAnsweredClosesTheConnection() throws Exception {
        chat.close();
        chat = new ChatFixture(Map.of("PARLEY_SEND_QUEUE", "3"));
        ChatFixture.Client client = chat.joiningHeld("lobby", "{\"type\":\"join\",\"user\":\"ada\"}");
        for (int i = 0; i < 4; i++) {
            client.send("{\"type\":\"typing\"}");
        }
        assertEquals(CloseReasons.FLOODING, client.peer().closed());
        chat.store.open();
    }

    @Test
    void framesSentWhileAJoinIsAnsweredAreAnsweredAfterItInOrder() throws Exception {
        ChatFixture.Client client = chat.joiningHeld("lobby", "{\"type\":\"join\",\"user\":\"ada\"}");
        client.send("{\"type\":\"ping\",\"n\":1}");
        client.send("{\"type\":\"message\",\"text\":\"after the welcome\",\"cid\":\"c1\"}");
        chat.store.open();
        assertTrue(client.peer().next().startsWith("{\"type\":\"welcome\""));
        assertEquals("{\"type\":\"pong\",\"n\":1}", client.peer().next());
        assertEquals("{\"type\":\"ack\",\"cid\":\"c1\",\"seq\":1}", client.peer().next());
    }

    // ---- identity on ----

    private ChatFixture withIdentity() {
        chat.close();
        chat = new ChatFixture(Map.of("PARLEY_TOKEN_SECRET", TestTokens.SECRET, "PARLEY_TOKEN_ISSUER", TestTokens.ISSUER,
                "PARLEY_TOKEN_AUDIENCE", TestTokens.AUDIENCE));
        return chat;
    }

    @Test
    void withIdentityOnAJoinWithoutAValidTokenIsRefusedAndClosed() throws Exception {
        withIdentity();
        ChatFixture.Client client = chat.open("lobby");
        client.send("{\"type\":\"join\",\"user\":\"ada\",\"token\":\"not.a.token\"}");
        assertTrue(client.peer().next().startsWith("{\"type\":\"error\",\"code\":\"unauthorized\""));
        assertEquals(CloseReasons.UNAUTHORIZED, client.peer().closed());
    }

    @Test
    void withIdentityOnATokenForOtherRoomsDoesNotLetIn() throws Exception {
        withIdentity();
        ChatFixture.Client client = chat.open("lobby");
        client.send("{\"type\":\"join\",\"token\":\"" + TestTokens.withRooms("ada", "staff") + "\"}");
        assertEquals("{\"type\":\"error\",\"code\":\"unauthorized\",\"message\":\"Your token does not let you into this room.\"}",
                client.peer().next());
        assertEquals(CloseReasons.UNAUTHORIZED, client.peer().closed());
    }

    @Test
    void withIdentityOnTheTokenNamesTheUserAndAnAuthForAnotherUserChangesNothing() throws Exception {
        withIdentity();
        ChatFixture.Client client = chat.open("lobby");
        client.send("{\"type\":\"join\",\"user\":\"mallory\",\"token\":\"" + TestTokens.hs256("ada") + "\"}");
        String welcome = client.peer().next();
        assertTrue(welcome.startsWith("{\"type\":\"welcome\",\"room\":\"lobby\",\"user\":\"ada\""), welcome);

        client.send("{\"type\":\"auth\",\"token\":\"" + TestTokens.hs256("eve") + "\",\"cid\":\"a1\"}");
        assertEquals("{\"type\":\"error\",\"code\":\"unauthorized\",\"message\":\"The token names another user than this"
                + " connection's.\",\"cid\":\"a1\"}", client.peer().next());
        client.send("{\"type\":\"auth\",\"token\":\"" + TestTokens.hs256("ada") + "\",\"cid\":\"a2\"}");
        assertTrue(client.peer().next().startsWith("{\"type\":\"ack\",\"cid\":\"a2\",\"expires\":"));
    }

    @Test
    void withIdentityOnAMemberIsClosedWhenItsTokenExpires() throws Exception {
        withIdentity();
        ChatFixture.Client client = chat.open("lobby");
        Instant exp = Instant.now().plusSeconds(3600);
        client.send("{\"type\":\"join\",\"token\":\"" + TestTokens.expiringAt("ada", exp) + "\"}");
        client.peer().next();

        client.connection().expireIfDue(exp.minusSeconds(1));
        assertNull(client.peer().closedWithin(0), "not before it expires");
        client.connection().expireIfDue(exp.plus(Tokens.CLOCK_SKEW).plusSeconds(1));
        assertEquals("{\"type\":\"error\",\"code\":\"unauthorized\",\"message\":\"Your token expired.\"}",
                client.peer().next());
        assertEquals(CloseReasons.TOKEN_EXPIRED, client.peer().closed());
        assertEquals(1.0, chat.closed("token expired"));
    }
}
