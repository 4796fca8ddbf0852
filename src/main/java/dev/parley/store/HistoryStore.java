package dev.parley.store;

import dev.parley.protocol.ChatMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a room's messages are kept. The registry assigns seqs (one room at a time,
 * under the room's lock) and appends in seq order; readers may come from any thread.
 * Seqs of a room are contiguous from 1, so a store can tell what it still holds.
 * Reads throw {@link StoreException} when the database cannot answer.
 */
public interface HistoryStore extends AutoCloseable {

    /** The highest seq stored for the room; 0 when it has none. */
    long lastSeq(String room);

    /**
     * Stores a room's next message. The stage completes once the message is stored
     * (durably, for a durable store), in the order of the appends; it fails, and stores
     * nothing, if the message's seq does not follow the room's last stored seq or the
     * database fails. A failed append fails every later pending append of that room too,
     * so a room never gets a gap: the caller re-reads {@link #lastSeq} and goes on.
     */
    CompletionStage<Void> append(ChatMessage message);

    /** The {@code limit} newest messages with seq < {@code before}, oldest first. */
    List<ChatMessage> before(String room, long before, int limit);

    /**
     * Every message with seq > {@code since}, oldest first, if all of them are still
     * stored and there are at most {@code max}; empty otherwise (also when
     * {@code since} is beyond the newest seq, as after a reset of the store).
     */
    Optional<List<ChatMessage>> after(String room, long since, int max);

    /** What this store is, for the start-up line, for example "memory (10000 per room)". */
    String describe();

    @Override
    default void close() {
    }
}
