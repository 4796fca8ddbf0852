package dev.parley.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Webhook events waiting for the application's receiver (SERVER-API.md, "Webhooks"): the
 * store writes an event with the entry it is about, in the same step (the same transaction,
 * for a database), so nothing is stored without its event and a room's events are in its
 * seq order; {@code joined} and {@code left} are written in the writer's order too. An
 * event stays until it is delivered: across restarts with a durable store.
 *
 * <p>Bounded: at most {@link #MAX_ROOM_EVENTS} events wait for one room and
 * {@link #MAX_EVENTS} or {@link #MAX_BYTES} in all. An event beyond that is not kept (the
 * oldest are: they go first), logged and counted. A database store learns how full it is
 * from {@link #backlog}, which the sender asks every 5 seconds on every node (the sending
 * node knows it; another counts the table every 30 seconds), so it may pass the bound by
 * that long's events.
 */
public interface WebhookOutbox {
    int MAX_ROOM_EVENTS = 10_000;
    int MAX_EVENTS = 100_000;
    long MAX_BYTES = 256L * 1024 * 1024;

    /**
     * An event waiting: {@code id} orders a room's events (and is the store's handle on it),
     * {@code body} is the JSON sent, its own {@code "id"} inside.
     */
    record Event(long id, String room, String body, int attempts, Instant created) {
    }

    /** What waits: events and bytes in all, and the rooms with the most events (at most a few dozen), most first. */
    record Backlog(long events, long bytes, Map<String, Long> rooms) {
        public static final Backlog NONE = new Backlog(0, 0, Map.of());
    }

    /**
     * The oldest waiting event of each room whose next attempt is due at {@code now}, rooms
     * in {@code busy} left out (their oldest is on its way), at most {@code max}, oldest first.
     */
    List<Event> due(Instant now, Set<String> busy, int max);

    /** An event not taken, to be tried again at {@code next}. */
    record Retry(Event event, Instant next) {
    }

    /** The receiver took these (or they were given up): they go. */
    void delivered(List<Event> events);

    /** Not taken: each tried again at its time, one attempt more. */
    void failed(List<Retry> retries);

    default void delivered(Event event) {
        delivered(List.of(event));
    }

    default void failed(Event event, Instant next) {
        failed(List.of(new Retry(event, next)));
    }

    /** How much waits; also what tells the store which rooms are full. */
    Backlog backlog();

    /** Events not kept since the start, the backlog being full. */
    long dropped();

    /**
     * Takes or renews the lease that makes {@code holder} the one node that sends, until
     * {@code now + ttl}; false while another holds a lease that has not lapsed. A store no
     * other node shares grants it always.
     */
    default boolean lease(String holder, Instant now, java.time.Duration ttl) {
        return true;
    }

    /** Gives the lease up (a node that stops), so that another takes it at once. */
    default void release(String holder) {
    }

    /**
     * The JSON of an event about a frame ({@code frame}: a frame as the encoder wrote it,
     * {@code {"type":…}}): the frame's members after a new, unique {@code "id"}.
     */
    static String event(String frame) {
        return "{\"id\":\"" + UUID.randomUUID() + "\"," + frame.substring(1);
    }

    /** An outbox that keeps nothing: webhooks off. */
    WebhookOutbox NONE = new WebhookOutbox() {
        @Override
        public List<Event> due(Instant now, Set<String> busy, int max) {
            return List.of();
        }

        @Override
        public void delivered(List<Event> events) {
        }

        @Override
        public void failed(List<Retry> retries) {
        }

        @Override
        public Backlog backlog() {
            return Backlog.NONE;
        }

        @Override
        public long dropped() {
            return 0;
        }
    };
}
