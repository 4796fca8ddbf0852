package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Logged;
import dev.parley.support.Rooms;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The room's log of protocol 1.1 as every store keeps it: exactly-once by cid, edits,
 * deletes, reactions and replies, each checked under the room's sequencer, and messages
 * read back with their current state. Every store runs these (a subclass says which).
 */
public abstract class RoomLogContract {
    private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    private final List<HistoryStore> opened = new ArrayList<>();

    /** A store keeping {@code keep} messages per room (0: all), on this class's database. */
    protected abstract HistoryStore create(int keep);

    protected final HistoryStore open(int keep) {
        HistoryStore store = create(keep);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(HistoryStore::close);
    }

    protected static Appended run(HistoryStore store, String room, Append append) throws Exception {
        return store.append(room, append).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    protected static Logged stored(HistoryStore store, String room, Append append) throws Exception {
        Appended appended = run(store, room, append);
        return assertInstanceOf(Appended.Stored.class, appended, appended::toString).entry();
    }

    private static void refused(HistoryStore store, String room, Append append, ErrorCode code) throws Exception {
        Appended appended = run(store, room, append);
        assertEquals(code, assertInstanceOf(Appended.Refused.class, appended, appended::toString).code());
    }

    private static Instant at(int second) {
        return T0.plusSeconds(second);
    }

    private static ChatMessage messageAt(List<Logged> log, long seq) {
        return (ChatMessage) log.stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
    }

    @Test
    void aCidResentByTheSameUserIsADuplicateOfTheFirstAndStoresNothing() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        assertEquals(1, stored(store, room, Append.message("ann", "hello", "c1", 0, at(1))).seq());
        assertEquals(new Appended.Duplicate(1, at(1)), run(store, room, Append.message("ann", "hello", "c1", 0, at(2))));
        assertEquals(2, stored(store, room, Append.message("bob", "hello", "c1", 0, at(3))).seq(), "another user's cid");
        assertEquals(3, stored(store, room, Append.message("ann", "again", "c2", 0, at(4))).seq());
        assertEquals(new Appended.Duplicate(1, at(1)), run(store, room, Append.message("ann", "hello", "c1", 0, at(5))));
        assertEquals(3, store.lastSeq(room));
        assertEquals(List.of("hello", "hello", "again"),
                store.before(room, Long.MAX_VALUE, 10).stream().map(e -> ((ChatMessage) e).text()).toList());
        String other = Rooms.fresh();
        assertEquals(1, stored(store, other, Append.message("ann", "hello", "c1", 0, at(6))).seq(), "another room");
    }

    /**
     * A cid or key is any string of up to 64 characters: U+0000 too, which PostgreSQL's text
     * refuses (the fuzz suite sent one and failed the whole batch with it), and backslashes,
     * which the stores' escape for it must tell apart from it.
     */
    @Test
    void aCidOrKeyOfAnyCharactersIsStoredAndFoundAgainTellingEachApart() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        List<String> ids = List.of("nul\u0000", "nul\\0", "back\\slash", "\\", "\u0000", "\\\\0", "\\\u0000");
        for (int i = 0; i < ids.size(); i++) {
            stored(store, room, Append.message("ann", "m" + i, ids.get(i), 0, at(i)));
        }
        stored(store, room, Append.published("bot", "keyed", "k\u0000\\", 0, at(10)));
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(new Appended.Duplicate(i + 1, at(i)), run(store, room, Append.message("ann", "again", ids.get(i), 0,
                    at(20))), ids.get(i));
        }
        assertEquals(new Appended.Duplicate(ids.size() + 1, at(10)), run(store, room, Append.published("bot", "again",
                "k\u0000\\", 0, at(21))));
    }

    @Test
    void aCidOlderThanADayAndAThousandOfItsUsersEntriesIsNoLongerADuplicate() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        stored(store, room, Append.message("ann", "first", "c1", 0, T0));
        Instant dayLater = T0.plus(Duration.ofHours(25));
        ChatMessage last = null;
        for (int i = 0; i < 999; i++) { // plain messages of the same user, seqs 2 to 1000
            last = store.append(room, "ann", "m" + i, dayLater).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        assertEquals(1000, last.seq());
        assertEquals(new Appended.Duplicate(1, T0), run(store, room, Append.message("ann", "first", "c1", 0, dayLater)),
                "a day old, but within its user's last 1000");
        stored(store, room, Append.message("bob", "not ann's", null, 0, dayLater));
        assertEquals(new Appended.Duplicate(1, T0), run(store, room, Append.message("ann", "first", "c1", 0, dayLater)),
                "only the user's own entries count");
        stored(store, room, Append.message("ann", "one more", null, 0, dayLater));
        assertEquals(1003, stored(store, room, Append.message("ann", "first", "c1", 0, dayLater)).seq(),
                "a day old and 1000 of its user's entries back: a new message");
        assertEquals(new Appended.Duplicate(1003, dayLater), run(store, room, Append.message("ann", "first", "c1", 0, dayLater)),
                "and the new one is what a resend finds now");
    }

    @Test
    void anIdempotencyKeyIsOncePerRoomWhoeverTheUserAndWhateverTheText() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        assertEquals(1, stored(store, room, Append.published("bot", "deploy done", "k1", 0, at(1))).seq());
        assertEquals(new Appended.Duplicate(1, at(1)), run(store, room, Append.published("other", "else", "k1", 0, at(2))));
        assertEquals(2, stored(store, room, Append.message("ann", "mine", "k1", 0, at(3))).seq(),
                "a member's cid never meets a key");
        assertEquals(new Appended.Duplicate(2, at(3)), run(store, room, Append.message("ann", "mine", "k1", 0, at(4))));
        assertEquals(new Appended.Duplicate(1, at(1)), run(store, room, Append.published("bot", "deploy done", "k1", 0,
                at(5))), "the member's cid did not take the key's place");
        assertEquals(1, stored(store, Rooms.fresh(), Append.published("bot", "deploy done", "k1", 0, at(6))).seq(),
                "another room");
        assertEquals(2, store.lastSeq(room));
    }

    @Test
    void anIdempotencyKeyOlderThanADayPublishesAgain() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        stored(store, room, Append.published("bot", "daily digest", "digest", 0, T0));
        Instant almost = T0.plus(Duration.ofHours(24));
        assertEquals(new Appended.Duplicate(1, T0), run(store, room, Append.published("bot", "daily digest", "digest", 0,
                almost)), "24 hours to the millisecond: still the same");
        assertEquals(2, stored(store, room, Append.published("bot", "daily digest", "digest", 0,
                almost.plusMillis(1))).seq());
        assertEquals(new Appended.Duplicate(2, almost.plusMillis(1)), run(store, room,
                Append.published("bot", "daily digest", "digest", 0, almost.plusSeconds(1))), "the new one counts now");
    }

    @Test
    void anEditByTheAuthorIsStoredAndTheMessageIsServedWithItsNewestText() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        stored(store, room, Append.message("ann", "helo", "c1", 0, at(1)));
        Logged edit = stored(store, room, Append.edit("ann", 1, "hello", "c2", at(2)));
        assertEquals(new Logged.Edit(room, 2, 1, "ann", "hello", at(2)), edit);
        stored(store, room, Append.edit("ann", 1, "hello!", null, at(3)));
        refused(store, room, Append.edit("bob", 1, "hacked", null, at(4)), ErrorCode.FORBIDDEN);
        refused(store, room, Append.edit("ann", 2, "an edit is no message", null, at(4)), ErrorCode.NO_SUCH_MESSAGE);
        refused(store, room, Append.edit("ann", 99, "nothing there", null, at(4)), ErrorCode.NO_SUCH_MESSAGE);
        assertEquals(3, store.lastSeq(room), "nothing stored after a refusal");
        List<Logged> log = store.before(room, Long.MAX_VALUE, 10);
        assertEquals(List.of(1L, 2L, 3L), log.stream().map(Logged::seq).toList());
        ChatMessage message = messageAt(log, 1);
        assertEquals("hello!", message.text());
        assertEquals(at(3), message.edited());
        assertEquals(at(1), message.ts());
        assertEquals(new Logged.Edit(room, 2, 1, "ann", "hello", at(2)), log.get(1));
        assertEquals(log, store.after(room, 0, 100).orElseThrow());
        assertEquals(log, store.following(room, 0, 100));
    }

    @Test
    void aMessageTakesAtMostAHundredEditsAndTheNextIsTooLong() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        stored(store, room, Append.message("ann", "v0", null, 0, at(0)));
        for (int i = 1; i <= LogRules.MAX_EDITS; i++) {
            stored(store, room, Append.edit("ann", 1, "v" + i, null, at(i)));
        }
        refused(store, room, Append.edit("ann", 1, "one too many", null, at(999)), ErrorCode.TOO_LONG);
        assertEquals("v100", messageAt(store.before(room, 2, 1), 1).text());
    }

    @Test
    void aDeleteTakesTheWordsOfTheMessageAndOfItsEditsAndItsReactions() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        stored(store, room, Append.message("ann", "secret", null, 0, at(1)));
        stored(store, room, Append.edit("ann", 1, "secret, edited", null, at(2)));
        stored(store, room, Append.react("bob", 1, "👍", true, null, at(3)));
        refused(store, room, Append.delete("bob", 1, false, null, at(4)), ErrorCode.FORBIDDEN);
        assertEquals(new Logged.Delete(room, 4, 1, "ann", at(5)), stored(store, room, Append.delete("ann", 1, false, "d", at(5))));
        refused(store, room, Append.delete("ann", 1, false, null, at(6)), ErrorCode.NO_SUCH_MESSAGE);
        refused(store, room, Append.edit("ann", 1, "back", null, at(6)), ErrorCode.NO_SUCH_MESSAGE);
        refused(store, room, Append.react("bob", 1, "👍", false, null, at(6)), ErrorCode.NO_SUCH_MESSAGE);
        refused(store, room, Append.message("bob", "re: secret", null, 1, at(6)), ErrorCode.NO_SUCH_MESSAGE);
        List<Logged> log = store.before(room, Long.MAX_VALUE, 10);
        assertEquals(4, log.size());
        ChatMessage deleted = messageAt(log, 1);
        assertTrue(deleted.deleted());
        assertEquals("", deleted.text());
        assertEquals(Map.of(), deleted.reactions());
        assertEquals("", ((Logged.Edit) log.get(1)).text(), "an edit's words go with the message");
        for (Logged entry : log) {
            assertFalse(entry.toString().contains("secret"), entry.toString());
        }
    }

    @Test
    void aModeratorDeletesAnyonesMessage() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        stored(store, room, Append.message("ann", "spam", null, 0, at(1)));
        assertEquals(new Logged.Delete(room, 2, 1, "mia", at(2)), stored(store, room, Append.delete("mia", 1, true, null, at(2))));
        assertTrue(messageAt(store.before(room, Long.MAX_VALUE, 10), 1).deleted());
    }

    @Test
    void reactionsAreAddedAndRemovedOnceEachAndServedAsSortedNames() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        stored(store, room, Append.message("ann", "lunch?", null, 0, at(1)));
        assertEquals(new Logged.React(room, 2, 1, "zoe", "👍", true, at(2)), stored(store, room, Append.react("zoe", 1, "👍", true, "r1", at(2))));
        stored(store, room, Append.react("bob", 1, "👍", true, null, at(3)));
        stored(store, room, Append.react("bob", 1, "🎉", true, null, at(4)));
        assertEquals(new Appended.Unchanged(), run(store, room, Append.react("bob", 1, "👍", true, null, at(5))));
        assertEquals(new Appended.Unchanged(), run(store, room, Append.react("ann", 1, "👍", false, null, at(5))));
        assertEquals(Map.of("👍", List.of("bob", "zoe"), "🎉", List.of("bob")),
                messageAt(store.before(room, Long.MAX_VALUE, 10), 1).reactions());
        stored(store, room, Append.react("bob", 1, "🎉", false, null, at(6)));
        List<Logged> log = store.before(room, Long.MAX_VALUE, 10);
        assertEquals(Map.of("👍", List.of("bob", "zoe")), messageAt(log, 1).reactions());
        assertEquals(5, log.size());
        assertEquals(new Logged.React(room, 5, 1, "bob", "🎉", false, at(6)), log.get(4));
        refused(store, room, Append.react("bob", 7, "👍", true, null, at(7)), ErrorCode.NO_SUCH_MESSAGE);
    }

    @Test
    void aMessageHasAtMostTwentyEmoji() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        stored(store, room, Append.message("ann", "pick one", null, 0, at(0)));
        for (int i = 0; i < LogRules.MAX_EMOJI; i++) {
            stored(store, room, Append.react("ann", 1, "e" + i, true, null, at(i)));
        }
        refused(store, room, Append.react("ann", 1, "e20", true, null, at(30)), ErrorCode.TOO_LONG);
        stored(store, room, Append.react("bob", 1, "e3", true, null, at(31))); // an emoji it has already
        assertEquals(LogRules.MAX_EMOJI, messageAt(store.before(room, 2, 1), 1).reactions().size());
    }

    @Test
    void aReplyNamesAMessageOfTheRoom() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        stored(store, room, Append.message("ann", "question", null, 0, at(1)));
        assertEquals(ChatMessage.of(room, 2, "bob", "answer", at(2), 1),
                stored(store, room, Append.message("bob", "answer", "c1", 1, at(2))));
        refused(store, room, Append.message("bob", "to nothing", null, 5, at(3)), ErrorCode.NO_SUCH_MESSAGE);
        assertEquals(3, stored(store, room, Append.message("bob", "next", null, 0, at(4))).seq(), "no seq used by a refusal");
        assertEquals(1, messageAt(store.before(room, Long.MAX_VALUE, 10), 2).replyTo());
    }

    @Test
    void aPageOfHistoryCountsEventsAndCarriesTheStateOfItsMessages() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        for (int i = 1; i <= 5; i++) {
            stored(store, room, Append.message("ann", "m" + i, null, 0, at(i)));
        }
        stored(store, room, Append.react("bob", 4, "👀", true, null, at(10)));
        stored(store, room, Append.edit("ann", 5, "m5!", null, at(11)));
        List<Logged> page = store.before(room, Long.MAX_VALUE, 3);
        assertEquals(List.of(5L, 6L, 7L), page.stream().map(Logged::seq).toList());
        assertEquals("m5!", ((ChatMessage) page.get(0)).text());
        List<Logged> older = store.before(room, 5, 3);
        assertEquals(List.of(2L, 3L, 4L), older.stream().map(Logged::seq).toList());
        assertEquals(Map.of("👀", List.of("bob")), ((ChatMessage) older.get(2)).reactions());
        assertEquals(Map.of(), ((ChatMessage) older.get(1)).reactions());
    }

    @Test
    void aReadPositionOnlyGoesUpAndUnreadCountsOthersMessagesNotDeleted() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        assertEquals(0, store.readPosition(room, "bob"));
        assertEquals(new HistoryStore.ReadState(0, 0, 0), store.readState(room, "bob"));
        for (int i = 1; i <= 4; i++) {
            stored(store, room, Append.message("ann", "m" + i, null, 0, at(i)));
        }
        stored(store, room, Append.message("bob", "mine", null, 0, at(5)));
        stored(store, room, Append.react("bob", 4, "👍", true, null, at(6)));
        assertEquals(new HistoryStore.ReadState(6, 0, 0), store.readState(room, "bob"), "never read: 0");
        assertTrue(store.markRead(room, "bob", 1));
        assertFalse(store.markRead(room, "bob", 1));
        assertTrue(store.markRead(room, "bob", 2));
        assertFalse(store.markRead(room, "bob", 1), "never back");
        assertEquals(2, store.readPosition(room, "bob"));
        assertEquals(new HistoryStore.ReadState(6, 2, 2), store.readState(room, "bob"), "ann's 3 and 4");
        stored(store, room, Append.delete("ann", 3, false, null, at(7)));
        assertEquals(new HistoryStore.ReadState(7, 2, 1), store.readState(room, "bob"));
        assertEquals(0, store.readPosition(room, "ann"), "per user");
        assertEquals(0, store.readPosition(Rooms.fresh(), "bob"), "per room");
    }
}
