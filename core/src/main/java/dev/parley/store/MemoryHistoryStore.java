package dev.parley.store;

import dev.parley.protocol.ChatMessage;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * History in memory, gone at restart: at most {@code keep} messages per room, and at
 * most {@code bound} bytes of heap (estimated, see below) for all rooms together.
 *
 * <p>When an append takes the store above its bound, the rooms used longest ago (an
 * append, {@code lastSeq}, {@code before} or {@code after} is a use) lose their whole
 * history, one after the other, until it fits again. The room appended to is never one
 * of them; if it alone weighs more than the bound, its own oldest messages go instead.
 * A room that lost its history leaves a tombstone, its name and last seq, so its next
 * message continues at last seq + 1 and no seq is used twice: {@code lastSeq} still
 * answers it, {@code before} answers nothing, and {@code after} a seq before it answers
 * empty (not recoverable). Tombstones are weighed too: when they fill the bound (millions
 * of rooms), the oldest go, and such a room starts again at seq 1, as after a restart
 * (the registry's rooms take a seq that goes back as such a restart, see OrderedStream).
 *
 * <p>Weights estimate the heap held on a 64-bit JVM with compressed references (heaps
 * under 32 GB), as an upper bound; they were checked with JOL. A message weighs
 * {@value #MESSAGE} bytes (the record 40, its {@code Instant} 24, three Strings with
 * their arrays 3 × 40, and padding) plus 2 per char of its text, user and room, counted
 * as if no message shared a String with another (the registry's share their room's and
 * their sender's). A room with history weighs {@value #ROOM} bytes (map entry, the log, its
 * ring's header, the name) plus 2 per char of its name plus 4 per slot of its ring; a
 * tombstone {@value #TOMBSTONE} plus 2 per char of its name. Against JOL's count of the
 * store's whole object graph that is about twice the heap held for Latin-1 text (one
 * byte per char) and a little above it for other text, 1.4 times for tombstones.
 *
 * <p>One lock guards the whole store: an append happens once per message, not per
 * delivery, and a read holds it only to copy the references it returns.
 */
public final class MemoryHistoryStore implements HistoryStore {
    static final int MESSAGE = 208;
    static final int ROOM = 160;
    static final int TOMBSTONE = 128;
    private static final int SLOT = 4;
    private static final int FIRST_RING = 16;

    private final int keep;
    private final long bound;
    private final Object lock = new Object();

    // guarded by lock; both in access order, so the first entry is the one used longest ago
    private final LinkedHashMap<String, RoomLog> rooms = new LinkedHashMap<>(16, 0.75f, true);
    private final LinkedHashMap<String, Long> tombstones = new LinkedHashMap<>(16, 0.75f, true);
    private long weight;
    /** Rooms an administrator closed (not a client's to grow; bounded all the same). */
    private final Set<String> closedRooms = new ConcurrentSkipListSet<>();
    static final int MAX_CLOSED_ROOMS = 100_000;
    private final String why;

    /**
     * @param keep  messages kept per room; 0 keeps all
     * @param bound bytes of heap (estimated) kept for all rooms together
     */
    public MemoryHistoryStore(int keep, long bound) {
        this(keep, bound, null);
    }

    /**
     * @param why why history is in memory, where a database was wanted (for {@link #describe}), or null
     */
    MemoryHistoryStore(int keep, long bound, String why) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must not be negative");
        }
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        this.keep = keep == 0 ? Integer.MAX_VALUE : keep;
        this.bound = bound;
        this.why = why;
    }

    @Override
    public long lastSeq(String room) {
        synchronized (lock) {
            RoomLog log = rooms.get(room);
            if (log != null) {
                return log.lastSeq;
            }
            Long tombstone = tombstones.get(room);
            return tombstone == null ? 0 : tombstone;
        }
    }

    @Override
    public CompletionStage<ChatMessage> append(String room, String user, String text, Instant ts) {
        synchronized (lock) {
            RoomLog log = rooms.get(room);
            if (log == null) {
                Long tombstone = tombstones.remove(room);
                log = new RoomLog(room, keep);
                if (tombstone != null) {
                    weight -= tombstoneWeight(room);
                    log.lastSeq = tombstone;
                }
                rooms.put(room, log);
                weight += log.weight;
            }
            ChatMessage message = new ChatMessage(room, log.lastSeq + 1, user, text, ts);
            weight += log.append(message, keep);
            fit(log);
            return CompletableFuture.completedStage(message);
        }
    }

    @Override
    public List<ChatMessage> before(String room, long before, int limit) {
        synchronized (lock) {
            RoomLog log = rooms.get(room);
            if (log == null) {
                tombstones.get(room); // a use
                return List.of();
            }
            return log.before(before, limit);
        }
    }

    @Override
    public List<ChatMessage> following(String room, long since, int limit) {
        synchronized (lock) {
            RoomLog log = rooms.get(room);
            return log == null ? List.of() : log.following(since, limit);
        }
    }

    @Override
    public Optional<List<ChatMessage>> after(String room, long since, int max) {
        synchronized (lock) {
            RoomLog log = rooms.get(room);
            if (log != null) {
                return log.after(since, max);
            }
            Long tombstone = tombstones.get(room);
            long last = tombstone == null ? 0 : tombstone;
            return since == last ? Optional.of(List.of()) : Optional.empty();
        }
    }

    @Override
    public boolean closed(String room) {
        return closedRooms.contains(room);
    }

    @Override
    public void markClosed(String room, boolean closed) {
        if (!closed) {
            closedRooms.remove(room);
        } else if (closedRooms.size() >= MAX_CLOSED_ROOMS) {
            throw new StoreException("Cannot close more than " + MAX_CLOSED_ROOMS + " rooms");
        } else {
            closedRooms.add(room);
        }
    }

    @Override
    public List<String> closedRooms(int limit) {
        return closedRooms.stream().limit(limit).toList();
    }

    @Override
    public boolean shareable() {
        return false;
    }

    @Override
    public String kind() {
        return why == null ? "memory" : "memory (" + why + ")";
    }

    @Override
    public String describe() {
        return "memory (" + (keep == Integer.MAX_VALUE ? "every message" : keep + " messages per room")
                + ", at most " + Math.max(1, bound / (1024 * 1024)) + " MiB in all" + (why == null ? "" : "; " + why) + ")";
    }

    /** The estimated heap held now, in bytes; never above the bound once an append returns. */
    long weight() {
        synchronized (lock) {
            return weight;
        }
    }

    /** Back within the bound after an append to {@code appended}, which has just been used. */
    private void fit(RoomLog appended) {
        Iterator<Map.Entry<String, RoomLog>> oldest = rooms.entrySet().iterator();
        while (weight > bound && rooms.size() > 1) {
            RoomLog log = oldest.next().getValue(); // never the appended room: it is the newest
            oldest.remove();
            weight -= log.weight;
            tombstones.put(log.name, log.lastSeq);
            weight += tombstoneWeight(log.name);
        }
        while (appended.weight > bound && appended.size > 0) {
            weight -= appended.dropOldest();
        }
        Iterator<Map.Entry<String, Long>> oldestTombstone = tombstones.entrySet().iterator();
        while (weight > bound && oldestTombstone.hasNext()) {
            String name = oldestTombstone.next().getKey();
            oldestTombstone.remove();
            weight -= tombstoneWeight(name);
        }
    }

    static long messageWeight(ChatMessage message) {
        return MESSAGE + 2L * (message.text().length() + message.user().length() + message.room().length());
    }

    private static long tombstoneWeight(String room) {
        return TOMBSTONE + 2L * room.length();
    }

    /**
     * A ring of one room's newest messages; seqs in it are contiguous and end at
     * {@code lastSeq}, which stays when the ring is emptied.
     */
    private static final class RoomLog {
        final String name;
        long lastSeq;
        long weight;
        int size;
        private ChatMessage[] ring;
        private int head;

        RoomLog(String name, int keep) {
            this.name = name;
            this.ring = new ChatMessage[Math.min(FIRST_RING, keep)];
            this.weight = ROOM + 2L * name.length() + (long) SLOT * ring.length;
        }

        /** Appends the room's next message; returns how much heavier the room got. */
        long append(ChatMessage message, int keep) {
            long before = weight;
            if (size == ring.length && size < keep) {
                grow(keep);
            }
            if (size == ring.length) {
                dropOldest();
            }
            ring[(head + size) % ring.length] = message;
            size++;
            lastSeq = message.seq();
            weight += messageWeight(message);
            return weight - before;
        }

        /** Drops the oldest message; returns its weight. */
        long dropOldest() {
            long dropped = messageWeight(ring[head]);
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
            weight -= dropped;
            return dropped;
        }

        List<ChatMessage> before(long before, int limit) {
            long first = lastSeq - size + 1;
            int end = (int) Math.max(0, Math.min(size, before - first)); // exclusive index
            int start = Math.max(0, end - limit);
            return copy(start, end);
        }

        List<ChatMessage> following(long since, int limit) {
            long first = lastSeq - size + 1;
            int start = (int) Math.max(0, Math.min(size, since + 1 - first));
            return copy(start, (int) Math.min(size, (long) start + limit));
        }

        Optional<List<ChatMessage>> after(long since, int max) {
            long first = lastSeq - size + 1;
            if (since > lastSeq || lastSeq - since > max || since + 1 < first) {
                return Optional.empty();
            }
            return Optional.of(copy((int) (since + 1 - first), size));
        }

        private ChatMessage get(int index) {
            return ring[(head + index) % ring.length];
        }

        private List<ChatMessage> copy(int start, int end) {
            ChatMessage[] out = new ChatMessage[end - start];
            for (int i = start; i < end; i++) {
                out[i - start] = get(i);
            }
            return List.of(out);
        }

        private void grow(int keep) {
            ChatMessage[] bigger = new ChatMessage[(int) Math.min(keep, 2L * ring.length)];
            for (int i = 0; i < size; i++) {
                bigger[i] = get(i);
            }
            weight += (long) SLOT * (bigger.length - ring.length);
            ring = bigger;
            head = 0;
        }
    }
}
