package dev.parley.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md's "Version 1.1 additions", one test per rule, on every target that runs
 * {@link ProtocolCases} (which extends this), over WebSocket and over the HTTP transport:
 * exactly-once sends, and edits, deletes, reactions and replies in the room's log.
 */
public abstract class LogCases {

    /** ws://…/chat/{room}, or http://…/sse/{room} for the HTTP transport. */
    protected abstract URI chatUri(String room);

    private String room;

    private URI uri() {
        if (room == null) {
            room = Rooms.fresh();
        }
        return chatUri(room);
    }

    private ChatClient join(String user) {
        return ChatClient.join(uri(), user);
    }

    /** Joins and returns the welcome. */
    private JsonObject joinWelcome(ChatClient client, String user, Long since) {
        JsonObjectBuilder join = Json.createObjectBuilder().add("type", "join").add("user", user);
        if (since != null) {
            join.add("since", since);
        }
        client.send(join.build());
        return client.next("welcome");
    }

    private static JsonObject frame(String type, Consumer<JsonObjectBuilder> members) {
        JsonObjectBuilder frame = Json.createObjectBuilder().add("type", type);
        members.accept(frame);
        return frame.build();
    }

    /** Sends the frame with cid and returns the seq its ack gives. */
    private static long acked(ChatClient client, JsonObject frame) {
        client.send(frame);
        JsonObject ack = client.next("ack");
        assertEquals(frame.getString("cid"), ack.getString("cid"));
        assertFalse(ack.containsKey("dup"), ack::toString);
        return ack.getJsonNumber("seq").longValue();
    }

    private static long say(ChatClient client, String text, String cid) {
        long seq = acked(client, frame("message", f -> f.add("text", text).add("cid", cid)));
        assertEquals(seq, client.next("message").getJsonNumber("seq").longValue());
        return seq;
    }

    private static JsonObject entry(JsonArray log, long seq) {
        return log.stream().map(JsonValue::asJsonObject).filter(e -> e.getJsonNumber("seq").longValue() == seq)
                .findFirst().orElseThrow(() -> new AssertionError("no " + seq + " in " + log));
    }

    private JsonObject welcomeOfNewcomer() {
        try (ChatClient newcomer = ChatClient.connect(uri())) {
            return joinWelcome(newcomer, "newcomer", null);
        }
    }

    // ---- welcome ----

    @Test
    void welcomeSaysProtocolOnePointOneAndTheReadPosition() {
        try (ChatClient ann = ChatClient.connect(uri())) {
            JsonObject welcome = joinWelcome(ann, "ann", null);
            assertEquals("1.1", welcome.getString("protocol"));
            assertEquals(0, welcome.getInt("read"));
        }
    }

    // ---- exactly-once ----

    @Test
    void aCidResentAfterAReconnectIsAckedWithTheFirstSeqAndDupAndReachesNobody() {
        try (ChatClient bob = join("bob")) {
            long seq;
            try (ChatClient ann = join("ann")) {
                bob.nextOf("joined");
                seq = say(ann, "once", "c-once");
                assertEquals("once", bob.next("message").getString("text"));
            }
            bob.nextOf("left");
            try (ChatClient ann = ChatClient.connect(uri())) {
                joinWelcome(ann, "ann", seq);
                bob.nextOf("joined");
                ann.send(frame("message", f -> f.add("text", "once").add("cid", "c-once")));
                JsonObject ack = ann.next("ack");
                assertEquals("c-once", ack.getString("cid"));
                assertEquals(seq, ack.getJsonNumber("seq").longValue());
                assertTrue(ack.getBoolean("dup"));
                ann.assertNothingPending();
                bob.assertNothingPending();
                assertEquals(seq + 1, say(ann, "next", "c-next"), "no seq was used by the duplicate");
            }
        }
    }

    @Test
    void theSameCidFromAnotherUserIsANewMessage() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            long first = say(ann, "mine", "c1");
            bob.next("message");
            long second = say(bob, "mine too", "c1");
            assertEquals(first + 1, second);
        }
    }

    // ---- edits ----

    @Test
    void anEditByItsAuthorGoesToEveryoneAndTheMessageIsServedWithItsNewestText() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            long seq = say(ann, "helo", "m1");
            bob.next("message");
            long editSeq = acked(ann, frame("edit", f -> f.add("ref", seq).add("text", "hello").add("cid", "e1")));
            assertEquals(seq + 1, editSeq);
            for (ChatClient member : List.of(ann, bob)) {
                JsonObject edit = member.next("edit");
                assertEquals(room, edit.getString("room"));
                assertEquals(editSeq, edit.getJsonNumber("seq").longValue());
                assertEquals(seq, edit.getJsonNumber("ref").longValue());
                assertEquals("ann", edit.getString("user"));
                assertEquals("hello", edit.getString("text"));
                assertTrue(edit.containsKey("ts"));
            }
            JsonArray history = welcomeOfNewcomer().getJsonArray("history");
            JsonObject message = entry(history, seq);
            assertEquals("hello", message.getString("text"));
            assertEquals(entry(history, editSeq).getString("ts"), message.getString("edited"));
            assertEquals("edit", entry(history, editSeq).getString("type"));
        }
    }

    @Test
    void anEditOfAnotherUsersMessageIsForbiddenAndStoresNothing() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            long seq = say(ann, "mine", "m1");
            bob.next("message");
            bob.send(frame("edit", f -> f.add("ref", seq).add("text", "yours now").add("cid", "e1")));
            assertEquals("e1", bob.nextError("forbidden").getString("cid"));
            ann.assertNothingPending();
            assertEquals(seq + 1, say(bob, "next", "m2"));
        }
    }

    @Test
    void aRefThatNamesNoMessageOfTheRoomIsNoSuchMessage() {
        try (ChatClient ann = join("ann")) {
            long seq = say(ann, "here", "m1");
            long edit = acked(ann, frame("edit", f -> f.add("ref", seq).add("text", "here!").add("cid", "e1")));
            ann.next("edit");
            List<JsonObject> bad = List.of(
                    frame("edit", f -> f.add("ref", 999).add("text", "x").add("cid", "a")),
                    frame("edit", f -> f.add("ref", edit).add("text", "an edit is no message").add("cid", "b")),
                    frame("delete", f -> f.add("ref", 0).add("cid", "c")),
                    frame("react", f -> f.add("ref", "1").add("emoji", "👍").add("on", true).add("cid", "d")),
                    frame("react", f -> f.add("emoji", "👍").add("on", true).add("cid", "e")),
                    frame("message", f -> f.add("text", "re").add("reply_to", 999).add("cid", "f")),
                    frame("message", f -> f.add("text", "re").add("reply_to", -1).add("cid", "g")));
            for (JsonObject frame : bad) {
                ann.send(frame);
                assertEquals(frame.getString("cid"), ann.nextError("no-such-message").getString("cid"), frame::toString);
            }
            ann.assertNothingPending();
            assertEquals(edit + 1, say(ann, "nothing was stored", "m2"));
        }
    }

    // ---- deletes ----

    @Test
    void aDeleteByItsAuthorGoesToEveryoneAndTakesTheWordsOfTheMessageAndItsEdits() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            long seq = say(ann, "oops, secret", "m1");
            bob.next("message");
            long editSeq = acked(ann, frame("edit", f -> f.add("ref", seq).add("text", "still secret").add("cid", "e1")));
            ann.next("edit");
            bob.next("edit");
            long deleteSeq = acked(ann, frame("delete", f -> f.add("ref", seq).add("cid", "d1")));
            for (ChatClient member : List.of(ann, bob)) {
                JsonObject delete = member.next("delete");
                assertEquals(deleteSeq, delete.getJsonNumber("seq").longValue());
                assertEquals(seq, delete.getJsonNumber("ref").longValue());
                assertEquals("ann", delete.getString("user"));
                assertEquals(room, delete.getString("room"));
            }
            JsonArray history = welcomeOfNewcomer().getJsonArray("history");
            JsonObject message = entry(history, seq);
            assertTrue(message.getBoolean("deleted"));
            assertEquals("", message.getString("text"));
            assertEquals("", entry(history, editSeq).getString("text"));
            assertFalse(history.toString().contains("secret"), history::toString);
            ann.nextOf("left"); // the newcomer's
            ann.send(frame("delete", f -> f.add("ref", seq).add("cid", "d2")));
            assertEquals("d2", ann.nextError("no-such-message").getString("cid"));
            ann.send(frame("edit", f -> f.add("ref", seq).add("text", "back").add("cid", "e2")));
            ann.nextError("no-such-message");
        }
    }

    @Test
    void aDeleteOfAnotherUsersMessageByANonModeratorIsForbidden() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            long seq = say(ann, "mine", "m1");
            bob.next("message");
            bob.send(frame("delete", f -> f.add("ref", seq).add("cid", "d1")));
            assertEquals("d1", bob.nextError("forbidden").getString("cid"));
            ann.assertNothingPending();
        }
    }

    // ---- reactions ----

    @Test
    void reactionsGoToEveryoneAndAreServedAsSortedNamesPerEmoji() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            long seq = say(ann, "lunch?", "m1");
            bob.next("message");
            long reactSeq = acked(bob, frame("react", f -> f.add("ref", seq).add("emoji", "👍").add("on", true).add("cid", "r1")));
            for (ChatClient member : List.of(ann, bob)) {
                JsonObject react = member.next("react");
                assertEquals(reactSeq, react.getJsonNumber("seq").longValue());
                assertEquals(seq, react.getJsonNumber("ref").longValue());
                assertEquals("bob", react.getString("user"));
                assertEquals("👍", react.getString("emoji"));
                assertTrue(react.getBoolean("on"));
            }
            acked(ann, frame("react", f -> f.add("ref", seq).add("emoji", "👍").add("on", true).add("cid", "r2")));
            ann.next("react");
            bob.next("react");
            JsonObject message = entry(welcomeOfNewcomer().getJsonArray("history"), seq);
            assertEquals(Json.createObjectBuilder().add("👍", Json.createArrayBuilder().add("ann").add("bob")).build(),
                    message.getJsonObject("reactions"));
        }
    }

    @Test
    void aReactionThatChangesNothingIsAckedWithoutASeqAndStoresNothing() {
        try (ChatClient ann = join("ann")) {
            long seq = say(ann, "hi", "m1");
            acked(ann, frame("react", f -> f.add("ref", seq).add("emoji", "🎉").add("on", true).add("cid", "r1")));
            ann.next("react");
            ann.send(frame("react", f -> f.add("ref", seq).add("emoji", "🎉").add("on", true).add("cid", "again")));
            JsonObject ack = ann.next("ack");
            assertEquals("again", ack.getString("cid"));
            assertFalse(ack.containsKey("seq"), ack::toString);
            ann.send(frame("react", f -> f.add("ref", seq).add("emoji", "🙂").add("on", false).add("cid", "never")));
            JsonObject none = ann.next("ack");
            assertEquals("never", none.getString("cid"));
            assertFalse(none.containsKey("seq"), none::toString);
            ann.assertNothingPending();
            assertEquals(seq + 2, say(ann, "next", "m2"));
        }
    }

    @Test
    void aMessageTakesTwentyEmojiAndTheTwentyFirstIsTooLong() {
        try (ChatClient ann = join("ann")) {
            long seq = say(ann, "vote", "m1");
            for (int i = 0; i < 20; i++) {
                String emoji = new String(Character.toChars(0x1F600 + i));
                acked(ann, frame("react", f -> f.add("ref", seq).add("emoji", emoji).add("on", true).add("cid", "r" + emoji)));
                ann.next("react");
            }
            ann.send(frame("react", f -> f.add("ref", seq).add("emoji", "🚀").add("on", true).add("cid", "r21")));
            assertEquals("r21", ann.nextError("too-long").getString("cid"));
        }
    }

    @Test
    void anEmojiOutsideItsRulesIsBadText() {
        try (ChatClient ann = join("ann")) {
            long seq = say(ann, "hi", "m1");
            for (String bad : List.of("", "👍 ", "a b", "x".repeat(17), "\u0007")) {
                ann.send(frame("react", f -> f.add("ref", seq).add("emoji", bad).add("on", true).add("cid", "r")));
                ann.nextError("bad-text");
            }
            ann.send(frame("react", f -> f.add("ref", seq).add("on", true).add("cid", "r")));
            ann.nextError("bad-text");
            ann.assertNothingPending();
        }
    }

    // ---- replies ----

    @Test
    void aReplyCarriesReplyToToEveryoneAndInHistory() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            long question = say(ann, "question?", "m1");
            bob.next("message");
            long answer = acked(bob, frame("message", f -> f.add("text", "answer").add("reply_to", question).add("cid", "m2")));
            for (ChatClient member : List.of(ann, bob)) {
                assertEquals(question, member.next("message").getJsonNumber("reply_to").longValue());
            }
            assertEquals(question, entry(welcomeOfNewcomer().getJsonArray("history"), answer)
                    .getJsonNumber("reply_to").longValue());
        }
    }

    // ---- the log in recovery and history ----

    @Test
    void recoveryAndHistoryReturnEventsInSeqOrderAndLimitCountsThem() {
        long first;
        try (ChatClient ann = join("ann")) {
            first = say(ann, "one", "m1");
            acked(ann, frame("react", f -> f.add("ref", first).add("emoji", "👀").add("on", true).add("cid", "r1")));
            ann.next("react");
            acked(ann, frame("edit", f -> f.add("ref", first).add("text", "one!").add("cid", "e1")));
            ann.next("edit");
            say(ann, "two", "m2");
        }
        try (ChatClient ann = ChatClient.connect(uri())) {
            JsonObject welcome = joinWelcome(ann, "ann", first);
            assertTrue(welcome.getBoolean("recovered"));
            JsonArray missed = welcome.getJsonArray("history");
            assertEquals(List.of("react", "edit", "message"),
                    missed.stream().map(e -> e.asJsonObject().getString("type")).toList());
            ann.send(frame("history", f -> f.add("limit", 3)));
            JsonArray page = ann.next("history").getJsonArray("messages");
            assertEquals(List.of(first + 1, first + 2, first + 3),
                    page.stream().map(e -> e.asJsonObject().getJsonNumber("seq").longValue()).toList());
            ann.send(frame("history", f -> f.add("before", first + 1)));
            JsonObject message = ann.next("history").getJsonArray("messages").getJsonObject(0);
            assertEquals("one!", message.getString("text"));
            assertEquals(List.of("ann"), message.getJsonObject("reactions").getJsonArray("👀").getValuesAs(
                    (JsonValue v) -> ((jakarta.json.JsonString) v).getString()));
        }
    }

    // ---- read positions ----

    private static JsonObject read(long seq) {
        return frame("read", f -> f.add("seq", seq));
    }

    @Test
    void aReadPositionGoesToTheOthersNotBackAndIsKeptForTheNextWelcome() {
        try (ChatClient bob = join("bob")) {
            try (ChatClient ann = join("ann")) {
                bob.nextOf("joined");
                for (int i = 1; i <= 3; i++) {
                    say(ann, "m" + i, "m" + i);
                    bob.next("message");
                }
                ann.send(read(2));
                JsonObject read = bob.next("read");
                assertEquals(room, read.getString("room"));
                assertEquals("ann", read.getString("user"));
                assertEquals(2, read.getInt("seq"));
                ann.assertNothingPending();
            }
            bob.nextOf("left");
            try (ChatClient ann = ChatClient.connect(uri())) {
                assertEquals(2, joinWelcome(ann, "ann", null).getInt("read"));
            }
        }
    }

    @Test
    void readPositionsAreCoalescedNewestFirstAndNeverGoBack() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            for (int i = 1; i <= 5; i++) {
                say(ann, "m" + i, "m" + i);
                bob.next("message");
            }
            for (int seq = 1; seq <= 5; seq++) {
                ann.send(read(seq));
            }
            List<Integer> seen = new java.util.ArrayList<>();
            while (seen.isEmpty() || seen.get(seen.size() - 1) < 5) {
                seen.add(bob.next("read").getInt("seq"));
            }
            assertTrue(seen.size() <= 2, "at most one now and the newest a second later: " + seen);
            assertEquals(seen.stream().sorted().distinct().toList(), seen, "ascending");
            ann.send(read(3));
            ann.send(read(5));
            bob.assertNothingPending();
        }
    }

    @Test
    void aReadPositionBeyondTheRoomIsTheRoomsNewestSeq() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            long seq = say(ann, "only", "m1");
            bob.next("message");
            ann.send(read(1_000_000));
            assertEquals(seq, bob.next("read").getJsonNumber("seq").longValue());
        }
    }

    @Test
    void roomsGivesEachRoomsNewestSeqAndTheUnreadMessagesOfOthers() {
        try (ChatClient ann = join("ann"); ChatClient bob = join("bob")) {
            ann.nextOf("joined");
            long first = 0;
            for (int i = 1; i <= 4; i++) {
                long seq = say(ann, "m" + i, "m" + i);
                first = first == 0 ? seq : first;
                bob.next("message");
            }
            say(bob, "my own", "b1");
            ann.next("message");
            bob.send(frame("rooms", f -> { }));
            JsonObject never = roomIn(bob.next("rooms"));
            assertEquals(first + 4, never.getJsonNumber("last").longValue());
            assertEquals(0, never.getInt("unread"), "a room never read in");
            bob.send(read(first + 1));
            ann.next("read"); // kept before it went out
            bob.send(frame("rooms", f -> { }));
            JsonObject unread = roomIn(bob.next("rooms"));
            assertEquals(2, unread.getInt("unread"), "ann's m3 and m4; not bob's own");
            long fourth = first + 3;
            acked(ann, frame("delete", f -> f.add("ref", fourth).add("cid", "d")));
            bob.next("delete");
            ann.next("delete");
            bob.send(frame("rooms", f -> { }));
            assertEquals(1, roomIn(bob.next("rooms")).getInt("unread"), "a deleted message is not unread");
        }
    }

    private JsonObject roomIn(JsonObject rooms) {
        return rooms.getJsonArray("rooms").stream().map(JsonValue::asJsonObject)
                .filter(r -> r.getString("room").equals(room)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + room + " in " + rooms));
    }

    @Test
    void aReadWithoutANonNegativeIntegerSeqIsBadJson() {
        try (ChatClient ann = join("ann")) {
            for (JsonObject bad : List.of(frame("read", f -> { }), frame("read", f -> f.add("seq", "3")),
                    frame("read", f -> f.add("seq", -1)), frame("read", f -> f.add("seq", 1.5)))) {
                ann.send(bad);
                ann.nextError("bad-json");
            }
        }
    }
}
