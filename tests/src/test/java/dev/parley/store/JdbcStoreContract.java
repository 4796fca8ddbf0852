package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.protocol.ChatMessage;
import dev.parley.support.Rooms;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The contract, plus what only a database gives: history that outlives the store. */
public abstract class JdbcStoreContract extends HistoryStoreContract {

    protected abstract DataSource database();

    @Override
    protected HistoryStore create(int keep) {
        return new JdbcHistoryStore(database(), keep);
    }

    @Test
    void aStoreOpenedAgainOnTheSameDatabaseHasTheHistoryAndContinuesTheSeq() throws Exception {
        String room = Rooms.fresh();
        HistoryStore first = open(0);
        append(first, room, 1, 30);
        first.close();
        HistoryStore second = open(0);
        assertEquals(30, second.lastSeq(room));
        append(second, room, 31, 31);
        assertEquals(range(1, 31), seqs(second.after(room, 0, 1000).orElseThrow()));
    }

    /** Exactly-once across a restart (PROTOCOL.md 1.1): the cid is kept with the message, and so is its state. */
    @Test
    void aCidAndAMessagesStateOutliveARestart() throws Exception {
        String room = Rooms.fresh();
        Instant now = Instant.now();
        HistoryStore first = open(0);
        first.append(room, Append.message("ann", "before the restart", "c1", 0, now)).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        first.append(room, Append.react("bob", 1, "👍", true, null, now)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        first.append(room, Append.published("bot", "published", "key-1", 0, now)).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        first.close();
        HistoryStore second = open(0);
        assertEquals(new Appended.Duplicate(1, now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)), second.append(room, Append.message("ann", "before the restart", "c1", 0,
                now.plusSeconds(5))).toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertEquals(java.util.Map.of("👍", java.util.List.of("bob")),
                ((ChatMessage) second.before(room, Long.MAX_VALUE, 10).get(0)).reactions());
        assertEquals(new Appended.Duplicate(3, now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)),
                second.append(room, Append.published("someone", "else", "key-1", 0, now.plusSeconds(5)))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS), "an idempotency key outlives a restart too");
        assertEquals(3, second.lastSeq(room));
    }

    /** The text of the largest frame PARLEY_MAX_FRAME allows, 16 MiB of UTF-8, is stored and read back whole. */
    @Test
    void theTextOfTheLargestFrameIsStoredWhole() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        String text = "\u00e9\u20ac\ud83d\ude00\u0000\ud83d\ude00ab".repeat(1 << 20); // 2+3+4+1+4+1+1 = 16 bytes
        assertEquals(16 << 20, text.getBytes(StandardCharsets.UTF_8).length);
        Instant ts = Instant.ofEpochMilli(1_700_000_000_000L);
        ChatMessage stored = store.append(room, "ann", text, ts).toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertEquals(new ChatMessage(room, 1, "ann", text, ts), stored);
        assertEquals(stored, store.before(room, Long.MAX_VALUE, 1).get(0));
    }

    /** Two stores on one database are two nodes: the database's sequence row keeps them from using one seq twice. */
    @Test
    void twoStoresOnOneDatabaseNeverGiveOneSeqTwice() throws Exception {
        String room = Rooms.fresh();
        HistoryStore[] nodes = {open(0), open(0)};
        int each = 300;
        List<CompletableFuture<ChatMessage>> stored = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (HistoryStore node : nodes) { // interleaved, so both writers' commits contend for the room's row
                stored.add(node.append(room, "ann", "m" + stored.size(), Instant.now()).toCompletableFuture());
            }
        }
        Set<Long> seqs = new TreeSet<>();
        for (CompletableFuture<ChatMessage> s : stored) {
            seqs.add(s.get(60, TimeUnit.SECONDS).seq());
        }
        assertEquals(new TreeSet<>(range(1, 2L * each)), seqs, "every seq once, none skipped");
        assertEquals(range(1, 2L * each), seqs(nodes[0].after(room, 0, 10_000).orElseThrow()));
        assertEquals(2L * each, nodes[1].lastSeq(room));
    }

    /**
     * A room whose sequence row is gone (with its messages) behind the writer's back, which
     * remembers having made it: the commit fails and uses no seq; the next makes the row again.
     */
    @Test
    void aRoomWhoseRowIsGoneFailsOneCommitAndThenHasItsRowMadeAgain() throws Exception {
        HistoryStore store = open(0);
        String room = Rooms.fresh();
        append(store, room, 1, 1);
        run("delete from parley_message where room = ?", room);
        run("delete from parley_room where room = ?", room);

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> store.append(room, "ann", "refused", Instant.now()).toCompletableFuture().get(30, TimeUnit.SECONDS));
        assertInstanceOf(StoreException.class, failed.getCause());
        append(store, room, 1, 2);
    }

    private void run(String sql, String room) throws SQLException {
        try (Connection connection = database().getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, room);
            statement.executeUpdate();
        }
    }
}
