package dev.parley.store;

import dev.parley.protocol.ChatMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a room's messages are kept, and the sequencer of each room: the store gives a
 * message its seq as it stores it, so every node sharing a database counts one room
 * alike. Seqs of a room are contiguous from 1, so a store can tell what it still holds.
 * Any thread may call any method. Reads throw {@link StoreException} when the database
 * cannot answer.
 */
public interface HistoryStore extends AutoCloseable {

    /** The highest seq stored for the room; 0 when it has none. */
    long lastSeq(String room);

    /**
     * Stores a room's next message with the room's next seq. The stage completes with the
     * stored message once it is stored (durably, for a durable store), and a room's
     * appends complete in seq order; it fails, and nothing is stored and no seq used, if
     * the database fails or the store is not taking messages (its queue is full).
     */
    CompletionStage<ChatMessage> append(String room, String user, String text, Instant ts);

    /** The {@code limit} newest messages with seq < {@code before}, oldest first. */
    List<ChatMessage> before(String room, long before, int limit);

    /** The {@code limit} oldest messages with seq > {@code since}, oldest first: what a node fills a gap with. */
    List<ChatMessage> following(String room, long since, int limit);

    /**
     * Every message with seq > {@code since}, oldest first, if all of them are still
     * stored and there are at most {@code max}; empty otherwise (also when
     * {@code since} is beyond the newest seq, as after a reset of the store).
     */
    Optional<List<ChatMessage>> after(String room, long since, int max);

    /** Whether an administrator closed the room (nobody may join it until it is reopened). */
    boolean closed(String room);

    /** Closes the room to joins, or reopens it; remembered across restarts by a durable store. */
    void markClosed(String room, boolean closed);

    /** The closed rooms, sorted, at most {@code limit}. */
    List<String> closedRooms(int limit);

    /** Whether nodes of a cluster can share this store: a server database, not memory or an embedded file. */
    boolean shareable();

    /**
     * Asks the database whether it answers (health checks); waits at most a few seconds.
     *
     * @throws StoreException if it does not
     */
    default void check() {
    }

    /** What this store is, for the start-up line, for example "memory (10000 per room)". */
    String describe();

    /**
     * What this store is in a few words, for anyone who may read {@code /health/ready}: no
     * database URL. For example "jdbc, PostgreSQL 16.4" or "memory".
     */
    default String kind() {
        return describe();
    }

    @Override
    default void close() {
    }
}
