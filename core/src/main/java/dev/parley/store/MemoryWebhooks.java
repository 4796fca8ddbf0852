package dev.parley.store;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The memory store's webhook events: in memory, so a restart loses what waits (the
 * start-up line and docs say so). Each room's events in a queue, in the order the store
 * took them; the bounds are exact. Thread-safe: one lock, held for a few map operations.
 */
final class MemoryWebhooks implements WebhookOutbox {
    private static final Logger LOG = Logger.getLogger(MemoryWebhooks.class.getName());
    private static final int TOP_ROOMS = 20;

    private final Map<String, ArrayDeque<Event>> rooms = new HashMap<>();
    /** When each waiting event (by id) may be tried again; absent: at once. */
    private final Map<Long, Instant> next = new HashMap<>();
    private long nextId = 1;
    private long events;
    private long bytes;
    private long dropped;
    private long lastWarning;

    /** Keeps the event unless the backlog is full. */
    synchronized void add(String room, String body, Instant now) {
        ArrayDeque<Event> queue = rooms.get(room);
        if (events >= MAX_EVENTS || bytes + body.length() > MAX_BYTES
                || queue != null && queue.size() >= MAX_ROOM_EVENTS) {
            dropped++;
            if (now.toEpochMilli() - lastWarning > 60_000) {
                lastWarning = now.toEpochMilli();
                LOG.warning(() -> "Webhooks: the backlog is full (" + events + " events; " + MAX_ROOM_EVENTS
                        + " a room at most): new events are not kept until the receiver takes the waiting ones");
            }
            return;
        }
        rooms.computeIfAbsent(room, r -> new ArrayDeque<>()).add(new Event(nextId++, room, body, 0, now));
        events++;
        bytes += body.length();
    }

    @Override
    public synchronized List<Event> due(Instant now, Set<String> busy, int max) {
        List<Event> due = new ArrayList<>();
        for (ArrayDeque<Event> queue : rooms.values()) {
            Event head = queue.peekFirst();
            if (!busy.contains(head.room()) && !next.getOrDefault(head.id(), Instant.MIN).isAfter(now)) {
                due.add(head);
            }
        }
        due.sort(Comparator.comparingLong(Event::id));
        return due.size() > max ? List.copyOf(due.subList(0, max)) : due;
    }

    @Override
    public synchronized void delivered(List<Event> events) {
        events.forEach(this::remove);
    }

    private void remove(Event event) {
        ArrayDeque<Event> queue = rooms.get(event.room());
        if (queue != null && !queue.isEmpty() && queue.peekFirst().id() == event.id()) {
            queue.removeFirst();
            next.remove(event.id());
            events--;
            bytes -= event.body().length();
            if (queue.isEmpty()) {
                rooms.remove(event.room());
            }
        }
    }

    @Override
    public synchronized void failed(List<Retry> retries) {
        for (Retry retry : retries) {
            Event event = retry.event();
            ArrayDeque<Event> queue = rooms.get(event.room());
            if (queue != null && !queue.isEmpty() && queue.peekFirst().id() == event.id()) {
                Event head = queue.removeFirst();
                queue.addFirst(new Event(head.id(), head.room(), head.body(), head.attempts() + 1, head.created()));
                next.put(event.id(), retry.next());
            }
        }
    }

    @Override
    public synchronized Backlog backlog() {
        Map<String, Long> top = new LinkedHashMap<>();
        rooms.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                .limit(TOP_ROOMS).forEach(room -> top.put(room.getKey(), (long) room.getValue().size()));
        return new Backlog(events, bytes, top);
    }

    @Override
    public synchronized long dropped() {
        return dropped;
    }
}
