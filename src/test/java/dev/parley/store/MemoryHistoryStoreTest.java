package dev.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.protocol.ChatMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MemoryHistoryStoreTest {
    private final MemoryHistoryStore store = new MemoryHistoryStore(100);

    private void append(String room, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            store.append(new ChatMessage(room, seq, "ann", "m" + seq, Instant.EPOCH));
        }
    }

    private static List<Long> seqs(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::seq).collect(Collectors.toList());
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    @Test
    void anUnknownRoomIsEmpty() {
        assertEquals(0, store.lastSeq("none"));
        assertEquals(List.of(), store.before("none", Long.MAX_VALUE, 50));
        assertEquals(Optional.of(List.of()), store.after("none", 0, 1000));
        assertEquals(Optional.empty(), store.after("none", 5, 1000));
    }

    @Test
    void keepsTheNewestMessagesOfARoomOnceItWraps() {
        append("r", 1, 250);
        assertEquals(250, store.lastSeq("r"));
        assertEquals(range(201, 250), seqs(store.before("r", Long.MAX_VALUE, 50)));
        assertEquals(range(151, 200), seqs(store.before("r", 201, 50)));
        assertEquals(range(151, 160), seqs(store.before("r", 161, 50)), "nothing before the oldest kept");
        assertEquals(List.of(), seqs(store.before("r", 151, 50)));
        assertEquals("m250", store.before("r", 251, 1).get(0).text());
    }

    @Test
    void afterGivesEverythingMissedOnlyWhenAllOfItIsKeptAndWithinTheCap() {
        append("r", 1, 250);
        assertEquals(range(151, 250), seqs(store.after("r", 150, 1000).orElseThrow()));
        assertEquals(Optional.empty(), store.after("r", 149, 1000), "seq 150 is gone");
        assertEquals(Optional.empty(), store.after("r", 200, 49), "over the cap");
        assertEquals(range(201, 250), seqs(store.after("r", 200, 50).orElseThrow()));
        assertEquals(Optional.of(List.of()), store.after("r", 250, 1000));
        assertEquals(Optional.empty(), store.after("r", 251, 1000), "beyond the newest: a different history");
    }

    @Test
    void roomsAreIndependent() {
        append("a", 1, 3);
        append("b", 1, 5);
        assertEquals(3, store.lastSeq("a"));
        assertEquals(5, store.lastSeq("b"));
        assertTrue(store.before("a", 10, 10).stream().allMatch(m -> m.room().equals("a")));
    }

    @Test
    void aSeqOutOfOrderIsRefused() {
        append("r", 1, 3);
        assertThrows(IllegalStateException.class,
                () -> store.append(new ChatMessage("r", 5, "ann", "skip", Instant.EPOCH)));
    }
}
