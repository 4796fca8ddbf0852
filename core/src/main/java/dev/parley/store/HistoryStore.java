package dev.parley.store;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a room's log is kept, and the sequencer of each room: the store gives a message,
 * or an edit, delete or reaction (PROTOCOL.md 1.1), its seq as it stores it, so every node
 * sharing a database counts one room alike, and checks it against the log
 * ({@link LogRules}) in the same step. Seqs of a room are contiguous from 1, so a store
 * can tell what it still holds. Reads return messages with their current state (text
 * after the newest edit, reactions, deleted) and the events in seq order.
 * Any thread may call any method. Reads throw {@link StoreException} when the database
 * cannot answer.
 */
public interface HistoryStore extends AutoCloseable {

    /** The highest seq stored for the room; 0 when it has none. */
    long lastSeq(String room);

    /** A room and its newest seq. */
    record RoomLast(String room, long last) {
    }

    /**
     * The rooms with history (a newest seq above 0) whose names sort after {@code after}
     * ("" for the first), by name, at most {@code limit}: the server API's list of rooms.
     */
    List<RoomLast> rooms(String after, int limit);

    /**
     * Checks the entry against the room's log and, if it passes, stores it with the room's
     * next seq. The stage completes with what became of it once that is decided (stored
     * durably, for a durable store), and a room's appends complete in seq order; it fails,
     * and nothing is stored and no seq used, if the database fails or the store is not
     * taking entries (its queue is full).
     */
    CompletionStage<Appended> append(String room, Append entry);

    /** A plain message (no cid, no reply): version 1's append. */
    default CompletionStage<ChatMessage> append(String room, String user, String text, Instant ts) {
        return append(room, Append.message(user, text, null, 0, ts))
                .thenApply(appended -> (ChatMessage) ((Appended.Stored) appended).entry());
    }

    /** The {@code limit} newest entries with seq < {@code before}, oldest first. */
    List<Logged> before(String room, long before, int limit);

    /** The {@code limit} oldest entries with seq > {@code since}, oldest first: what a node fills a gap with. */
    List<Logged> following(String room, long since, int limit);

    /**
     * Every entry with seq > {@code since}, oldest first, if all of them are still
     * stored and there are at most {@code max}; empty otherwise (also when
     * {@code since} is beyond the newest seq, as after a reset of the store).
     */
    Optional<List<Logged>> after(String room, long since, int max);

    // ---- read positions (PROTOCOL.md 1.1) ----

    /** The user's kept read position in the room: 0 when none. */
    long readPosition(String room, String user);

    /**
     * Keeps {@code seq} as the user's read position in the room if it is greater than the
     * kept one. True if it was: then it is news for the user's other connections and the room.
     */
    boolean markRead(String room, String user, long seq);

    /** The room's newest seq, the user's position there, and what the user has not read. */
    record ReadState(long last, long read, long unread) {
    }

    /**
     * {@code unread}: messages by others with seq greater than the user's position, not
     * deleted, as far as the store still holds them; 0 where the user never read.
     */
    ReadState readState(String room, String user);

    // ---- moderators' mutes and bans (PROTOCOL.md 1.1) ----

    /** Puts {@code user} under a mute or ban in the room until {@code until}, or lifts it ({@code until} null). */
    void sanction(String room, String user, Sanction.Kind kind, Instant until);

    /** The room's mutes and bans in force at {@code now}, at most {@link Sanction#MAX_PER_ROOM}. */
    List<Sanction> sanctions(String room, Instant now);

    /** Whether an administrator closed the room (nobody may join it until it is reopened). */
    boolean closed(String room);

    /** Closes the room to joins, or reopens it; remembered across restarts by a durable store. */
    void markClosed(String room, boolean closed);

    /** The closed rooms, sorted, at most {@code limit}. */
    List<String> closedRooms(int limit);

    // ---- webhooks (SERVER-API.md) ----

    /**
     * From now on, keeps a webhook event with every entry it stores and every
     * {@link #note}, until the sender has delivered it. Called once, before the first append.
     */
    default void recordWebhooks() {
        throw new UnsupportedOperationException(describe() + " keeps no webhook events");
    }

    /** The webhook events waiting: {@link WebhookOutbox#NONE} unless {@link #recordWebhooks} was called. */
    default WebhookOutbox webhooks() {
        return WebhookOutbox.NONE;
    }

    /**
     * A {@code joined} or {@code left} for the webhooks ({@code frame} as the encoder wrote
     * it), kept in the writer's order with the room's entries; nothing unless recording.
     */
    default void note(String room, String frame) {
    }

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
