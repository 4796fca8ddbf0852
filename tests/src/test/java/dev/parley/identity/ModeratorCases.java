package dev.parley.identity;

import static dev.parley.support.TestTokens.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.TestTokens;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md 1.1's moderators, and a user's other tabs, with identity on: every target
 * that runs {@link IdentityCases} (which extends this) runs these.
 */
public abstract class ModeratorCases {

    protected abstract URI chatUri(String room);

    private final String room = Rooms.fresh();

    private static String moderatorOf(String user, String... rooms) {
        return TestTokens.hs256(claims(user, c -> c.claim("mod", List.of(rooms))));
    }

    private JsonObject welcome(ChatClient client, String token) {
        client.send(Json.createObjectBuilder().add("type", "join").add("token", token).build());
        return client.next("welcome");
    }

    private ChatClient join(String token) {
        ChatClient client = ChatClient.connect(chatUri(room));
        welcome(client, token);
        return client;
    }

    private static JsonObject frame(String type, Consumer<JsonObjectBuilder> members) {
        JsonObjectBuilder frame = Json.createObjectBuilder().add("type", type);
        members.accept(frame);
        return frame.build();
    }

    private static long say(ChatClient client, String text, String cid) {
        client.send(frame("message", f -> f.add("text", text).add("cid", cid)));
        long seq = client.nextOf("ack").getJsonNumber("seq").longValue();
        client.nextOf("message");
        return seq;
    }

    /** Sends a moderator's command with a cid, and checks its ack: the cid, no seq. */
    private static void command(ChatClient moderator, JsonObject frame) {
        moderator.send(frame);
        JsonObject ack = moderator.nextOf("ack");
        assertEquals(frame.getString("cid"), ack.getString("cid"));
        assertFalse(ack.containsKey("seq"), ack::toString);
    }

    @Test
    void welcomeSaysModeratorWhereTheModClaimNamesTheRoom() {
        try (ChatClient mia = ChatClient.connect(chatUri(room)); ChatClient ada = ChatClient.connect(chatUri(room));
             ChatClient pat = ChatClient.connect(chatUri(room))) {
            assertTrue(welcome(mia, moderatorOf("mia", room)).getBoolean("moderator"));
            assertTrue(welcome(pat, moderatorOf("pat", room.substring(0, 3) + "*")).getBoolean("moderator"), "a prefix");
            JsonObject plain = welcome(ada, TestTokens.hs256("ada"));
            assertFalse(plain.containsKey("moderator"), plain::toString);
        }
    }

    @Test
    void aModeratorDeletesAnyonesMessageAndOthersMayNot() {
        try (ChatClient ada = join(TestTokens.hs256("ada")); ChatClient bob = join(TestTokens.hs256("bob"));
             ChatClient mia = join(moderatorOf("mia", room))) {
            long seq = say(ada, "spam", "m1");
            bob.send(frame("delete", f -> f.add("ref", seq).add("cid", "d0")));
            assertEquals("d0", bob.nextOf("error").getString("cid"));
            mia.send(frame("delete", f -> f.add("ref", seq).add("cid", "d1")));
            assertEquals("d1", mia.nextOf("ack").getString("cid"));
            JsonObject delete = ada.nextOf("delete");
            assertEquals("mia", delete.getString("user"));
            assertEquals(seq, delete.getJsonNumber("ref").longValue());
        }
    }

    @Test
    void onlyAModeratorMutesOrBans() {
        try (ChatClient ada = join(TestTokens.hs256("ada")); ChatClient bob = join(moderatorOf("bob", "elsewhere"))) {
            for (ChatClient client : List.of(ada, bob)) {
                for (JsonObject command : List.of(frame("mute", f -> f.add("user", "ada").add("seconds", 60).add("cid", "x")),
                        frame("ban", f -> f.add("user", "ada").add("cid", "x")),
                        frame("unmute", f -> f.add("user", "ada").add("cid", "x")),
                        frame("unban", f -> f.add("user", "ada").add("cid", "x")))) {
                    client.send(command);
                    JsonObject error = client.nextOf("error");
                    assertEquals("forbidden", error.getString("code"), error::toString);
                    assertEquals("x", error.getString("cid"));
                }
            }
        }
    }

    @Test
    void aMutedUsersMessagesEditsReactionsAndTypingAreForbiddenUntilUnmuted() {
        try (ChatClient ada = join(TestTokens.hs256("ada")); ChatClient mia = join(moderatorOf("mia", room))) {
            long seq = say(ada, "before", "m1");
            mia.nextOf("message");
            command(mia, frame("mute", f -> f.add("user", "ada").add("seconds", 600).add("cid", "mute")));
            for (JsonObject refused : List.of(frame("message", f -> f.add("text", "hi").add("cid", "a")),
                    frame("edit", f -> f.add("ref", seq).add("text", "changed").add("cid", "b")),
                    frame("react", f -> f.add("ref", seq).add("emoji", "👍").add("on", true).add("cid", "c")))) {
                ada.send(refused);
                JsonObject error = ada.next("error");
                assertEquals("forbidden", error.getString("code"));
                assertEquals(refused.getString("cid"), error.getString("cid"));
                assertTrue(error.getString("message").matches(".*until \\d{4}-\\d\\d-\\d\\dT.*"), error::toString);
            }
            ada.send(frame("typing", f -> { }));
            assertEquals("forbidden", ada.next("error").getString("code"));
            mia.assertNothingPending();
            command(mia, frame("unmute", f -> f.add("user", "ada").add("cid", "unmute")));
            assertEquals(seq + 1, say(ada, "after", "m2"));
        }
    }

    @Test
    void aBanClosesTheUsersConnectionsAndRefusesItsJoinsUntilUnbanned() {
        try (ChatClient mia = join(moderatorOf("mia", room))) {
            ChatClient ada = join(TestTokens.hs256("ada"));
            ChatClient adaToo = join(TestTokens.hs256("ada"));
            command(mia, frame("ban", f -> f.add("user", "ada").add("cid", "ban")));
            for (ChatClient tab : List.of(ada, adaToo)) {
                assertEquals("forbidden", tab.nextOf("error").getString("code"));
                assertEquals(new ChatClient.Closed(1008, "banned"), tab.awaitClose());
            }
            try (ChatClient again = ChatClient.connect(chatUri(room))) {
                again.send(Json.createObjectBuilder().add("type", "join").add("token", TestTokens.hs256("ada")).build());
                JsonObject error = again.next("error");
                assertEquals("forbidden", error.getString("code"));
                again.send(frame("ping", f -> f.add("n", 1)));
                assertEquals(1, again.next("pong").getInt("n"), "the connection stays open");
                command(mia, frame("unban", f -> f.add("user", "ada").add("cid", "unban")));
                again.send(Json.createObjectBuilder().add("type", "join").add("token", TestTokens.hs256("ada")).build());
                assertEquals("ada", again.next("welcome").getString("user"));
            }
        }
    }

    @Test
    void aModeratorsCommandOutsideItsRulesIsRefused() {
        try (ChatClient mia = join(moderatorOf("mia", room))) {
            mia.send(frame("mute", f -> f.add("user", "ada").add("cid", "a")));
            assertEquals("bad-json", mia.next("error").getString("code"), "a mute needs seconds");
            mia.send(frame("mute", f -> f.add("user", "ada").add("seconds", 2_592_001).add("cid", "b")));
            assertEquals("bad-json", mia.next("error").getString("code"));
            mia.send(frame("ban", f -> f.add("user", " ").add("cid", "c")));
            assertEquals("bad-name", mia.next("error").getString("code"));
            mia.send(frame("unban", f -> f.add("cid", "d")));
            assertEquals("bad-name", mia.next("error").getString("code"));
        }
    }

    @Test
    void aReadPositionGoesToTheUsersOtherTabsAndTheRoomButNotBack() {
        try (ChatClient ada = join(TestTokens.hs256("ada")); ChatClient adaToo = join(TestTokens.hs256("ada"));
             ChatClient bob = join(TestTokens.hs256("bob"))) {
            long seq = say(bob, "read me", "m1");
            ada.nextOf("message");
            adaToo.nextOf("message");
            ada.send(frame("read", f -> f.add("seq", seq)));
            for (ChatClient other : List.of(adaToo, bob)) {
                JsonObject read = other.nextOf("read");
                assertEquals("ada", read.getString("user"));
                assertEquals(seq, read.getJsonNumber("seq").longValue());
            }
            ada.assertNothingPending();
        }
    }
}
