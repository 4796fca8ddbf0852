package dev.parley.store;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import dev.parley.protocol.OutboundEncoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
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
    /** A reaction's emoji: its map entry, list and String. */
    private static final int REACTION = 120;
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
    /** Webhook events, once they are recorded (in memory: lost at a restart); guarded by lock for writes. */
    private volatile MemoryWebhooks webhooks;
    private final OutboundEncoder encoder = new OutboundEncoder();
    /** Mutes and bans: room to (user and kind) to the sanction; rooms at most {@value #MAX_CLOSED_ROOMS}. */
    private final Map<String, Map<String, Sanction>> sanctions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Sanction>> eldest) {
            return size() > MAX_CLOSED_ROOMS;
        }
    };
    /** Read positions, room and user to seq; at most {@value #MAX_READ_POSITIONS}, in access order. */
    static final int MAX_READ_POSITIONS = 100_000;
    private final Map<String, Long> readPositions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_READ_POSITIONS;
        }
    };

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

    /** Checked and stored under the store's lock ({@link LogRules} over the room's ring). */
    @Override
    public CompletionStage<Appended> append(String room, Append entry) {
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
            long before = log.weight;
            Appended appended = LogRules.apply(room, log.lastSeq + 1, entry, log);
            weight += log.weight - before;
            fit(log);
            if (webhooks != null && appended instanceof Appended.Stored stored) {
                webhooks.add(room, WebhookOutbox.event(encoder.encode(stored.entry())), entry.ts());
            }
            return CompletableFuture.completedStage(appended);
        }
    }

    @Override
    public void recordWebhooks() {
        synchronized (lock) {
            webhooks = new MemoryWebhooks();
        }
    }

    @Override
    public WebhookOutbox webhooks() {
        MemoryWebhooks outbox = webhooks;
        return outbox == null ? WebhookOutbox.NONE : outbox;
    }

    @Override
    public void note(String room, String frame) {
        if (webhooks == null) {
            return; // off: a join takes no store lock
        }
        synchronized (lock) { // in order with the room's entries
            if (webhooks != null) {
                webhooks.add(room, WebhookOutbox.event(frame), Instant.now());
            }
        }
    }

    @Override
    public List<Logged> before(String room, long before, int limit) {
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
    public List<Logged> following(String room, long since, int limit) {
        synchronized (lock) {
            RoomLog log = rooms.get(room);
            return log == null ? List.of() : log.following(since, limit);
        }
    }

    @Override
    public Optional<List<Logged>> after(String room, long since, int max) {
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

    // ---- read positions: a bounded map, the positions used longest ago forgotten first ----

    @Override
    public long readPosition(String room, String user) {
        synchronized (readPositions) {
            return readPositions.getOrDefault(readKey(room, user), 0L);
        }
    }

    @Override
    public boolean markRead(String room, String user, long seq) {
        synchronized (readPositions) {
            String key = readKey(room, user);
            Long kept = readPositions.get(key);
            if (kept != null && kept >= seq) {
                return false;
            }
            readPositions.put(key, seq);
            return true;
        }
    }

    @Override
    public ReadState readState(String room, String user) {
        long read = readPosition(room, user);
        synchronized (lock) {
            RoomLog log = rooms.get(room);
            if (log == null) {
                return new ReadState(lastSeq(room), read, 0);
            }
            long unread = 0;
            if (read > 0) {
                for (long seq = Math.max(read + 1, log.lastSeq - log.size + 1); seq <= log.lastSeq; seq++) {
                    if (log.entry(seq) instanceof ChatMessage m && !m.deleted() && !m.user().equals(user)) {
                        unread++;
                    }
                }
            }
            return new ReadState(log.lastSeq, read, unread);
        }
    }

    // ---- sanctions: per room, bounded ----

    @Override
    public void sanction(String room, String user, Sanction.Kind kind, Instant until) {
        synchronized (sanctions) {
            Map<String, Sanction> inRoom = sanctions.computeIfAbsent(room, r -> new LinkedHashMap<>());
            String key = user + '\n' + kind;
            if (until == null) {
                inRoom.remove(key);
                if (inRoom.isEmpty()) {
                    sanctions.remove(room);
                }
                return;
            }
            Instant now = Instant.now();
            inRoom.values().removeIf(s -> !s.until().isAfter(now));
            if (!inRoom.containsKey(key) && inRoom.size() >= Sanction.MAX_PER_ROOM) {
                throw new StoreException("Cannot keep more than " + Sanction.MAX_PER_ROOM + " mutes and bans in a room");
            }
            inRoom.put(key, new Sanction(user, kind, until));
        }
    }

    @Override
    public List<Sanction> sanctions(String room, Instant now) {
        synchronized (sanctions) {
            Map<String, Sanction> inRoom = sanctions.getOrDefault(room, Map.of());
            return inRoom.values().stream().filter(s -> s.until().isAfter(now)).limit(Sanction.MAX_PER_ROOM).toList();
        }
    }

    private static String readKey(String room, String user) {
        return room + '\n' + user;
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
    public List<RoomLast> rooms(String after, int limit) {
        java.util.TreeMap<String, Long> found = new java.util.TreeMap<>();
        synchronized (lock) {
            rooms.values().forEach(log -> found.put(log.name, log.lastSeq));
            found.putAll(tombstones);
        }
        return found.tailMap(after, false).entrySet().stream().filter(room -> room.getValue() > 0).limit(limit)
                .map(room -> new RoomLast(room.getKey(), room.getValue())).toList();
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
                + ", at most " + Math.max(1, bound / (1024 * 1024)) + " MiB in all" + (why == null ? "" : "; " + why)
                + (webhooks == null ? "" : "; webhook events in memory, lost at a restart") + ")";
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

    /**
     * An entry's weight: a message's as above, an event's counted as a message's (it holds
     * as many fields or fewer), plus each reaction's name (a list slot, a map entry) and cid.
     */
    static long entryWeight(Logged entry, String cid) {
        long chars = entry.user().length() + entry.room().length() + (cid == null ? 0 : cid.length() + 20);
        long reactions = 0;
        if (entry instanceof ChatMessage message) {
            chars += message.text().length();
            for (Map.Entry<String, List<String>> reaction : message.reactions().entrySet()) {
                reactions += REACTION + 2L * reaction.getKey().length();
                for (String name : reaction.getValue()) {
                    reactions += SLOT + 2L * name.length() + 40;
                }
            }
        } else if (entry instanceof Logged.Edit edit) {
            chars += edit.text().length();
        } else if (entry instanceof Logged.React react) {
            chars += react.emoji().length();
        }
        return MESSAGE + 2L * chars + reactions;
    }

    private static long tombstoneWeight(String room) {
        return TOMBSTONE + 2L * room.length();
    }

    /**
     * A ring of one room's newest entries; seqs in it are contiguous and end at
     * {@code lastSeq}, which stays when the ring is emptied. Each entry's cid (or, for a
     * message the server API published, its idempotency key) sits beside it, and an index
     * finds the newest entry of a user's cid, another that of a key; all go with the entry.
     */
    private static final class RoomLog implements LogRules.Ledger {
        final String name;
        long lastSeq;
        long weight;
        int size;
        private Logged[] ring;
        private String[] cids;
        private int head;
        /** user and cid to the newest seq stored with them, of the entries in the ring */
        private final Map<String, Long> byCid = new HashMap<>();
        /** idempotency key to the seq published with it, and back: only the server API's messages */
        private final Map<String, Long> byKey = new HashMap<>();
        private final Map<Long, String> keyOf = new HashMap<>();
        /** Entries kept at most: the store's {@code keep}. */
        private final int keepLimit;

        RoomLog(String name, int keep) {
            this.name = name;
            this.keepLimit = keep;
            this.ring = new Logged[Math.min(FIRST_RING, keep)];
            this.cids = new String[ring.length];
            this.weight = ROOM + 2L * name.length() + 2L * SLOT * ring.length;
        }

        // ---- the ledger, under the store's lock ----

        @Override
        public LogRules.Sent sent(String user, String cid) {
            Long seq = byCid.get(cidKey(user, cid));
            return seq == null ? null : new LogRules.Sent(seq, entry(seq).ts());
        }

        @Override
        public LogRules.Sent keyed(String key) {
            Long seq = byKey.get(key);
            return seq == null ? null : new LogRules.Sent(seq, entry(seq).ts());
        }

        @Override
        public long sentAfter(String user, long seq) {
            long count = 0;
            for (long s = seq + 1; s <= lastSeq; s++) {
                if (entry(s).user().equals(user)) {
                    count++;
                }
            }
            return count;
        }

        @Override
        public LogRules.Target message(long seq) {
            if (!(entry(seq) instanceof ChatMessage message)) {
                return null;
            }
            int edits = 0;
            for (long s = seq + 1; s <= lastSeq; s++) {
                if (get(index(s)) instanceof Logged.Edit edit && edit.ref() == seq) {
                    edits++;
                }
            }
            return new LogRules.Target(message.user(), message.deleted(), edits);
        }

        @Override
        public Map<String, List<String>> reactions(long seq) {
            return ((ChatMessage) entry(seq)).reactions();
        }

        @Override
        public void store(Logged entry, String cid, String key) {
            if (size == ring.length && size < keepLimit) {
                grow(keepLimit);
            }
            if (size == ring.length) {
                dropOldest();
            }
            int at = (head + size) % ring.length;
            ring[at] = entry;
            cids[at] = cid != null ? cid : key; // weighed alike
            size++;
            lastSeq = entry.seq();
            weight += entryWeight(entry, cids[at]);
            if (cid != null) {
                byCid.put(cidKey(entry.user(), cid), entry.seq());
            }
            if (key != null) {
                byKey.put(key, entry.seq());
                keyOf.put(entry.seq(), key);
            }
        }

        @Override
        public void edited(long ref, String text, Instant ts) {
            replace(ref, ((ChatMessage) entry(ref)).withEdit(text, ts));
        }

        @Override
        public void deleted(long ref) {
            replace(ref, ((ChatMessage) entry(ref)).asDeleted());
            for (long s = ref + 1; s <= lastSeq; s++) {
                if (entry(s) instanceof Logged.Edit edit && edit.ref() == ref) {
                    replace(s, edit.withText(""));
                }
            }
        }

        @Override
        public void reacted(long ref, String emoji, String user, boolean on) {
            ChatMessage message = (ChatMessage) entry(ref);
            SortedMap<String, List<String>> now = new TreeMap<>();
            message.reactions().forEach((e, names) -> now.put(e, names));
            List<String> names = new ArrayList<>(now.getOrDefault(emoji, List.of()));
            if (on) {
                names.add(user);
                names.sort(null);
            } else {
                names.remove(user);
            }
            if (names.isEmpty()) {
                now.remove(emoji);
            } else {
                now.put(emoji, List.copyOf(names));
            }
            replace(ref, message.withReactions(java.util.Collections.unmodifiableSortedMap(now)));
        }

        // ---- the ring ----

        private static String cidKey(String user, String cid) {
            return user + '\n' + cid;
        }

        /** The entry under {@code seq}, or null if the ring does not hold it. */
        private Logged entry(long seq) {
            long first = lastSeq - size + 1;
            return seq < first || seq > lastSeq ? null : get((int) (seq - first));
        }

        private int index(long seq) {
            return (int) (seq - (lastSeq - size + 1));
        }

        private void replace(long seq, Logged now) {
            int at = (head + index(seq)) % ring.length;
            weight += entryWeight(now, cids[at]) - entryWeight(ring[at], cids[at]);
            ring[at] = now;
        }

        /** Drops the oldest entry; returns its weight. */
        long dropOldest() {
            long dropped = entryWeight(ring[head], cids[head]);
            if (cids[head] != null) {
                byCid.remove(cidKey(ring[head].user(), cids[head]), ring[head].seq());
                String key = keyOf.remove(ring[head].seq());
                if (key != null) {
                    byKey.remove(key, ring[head].seq());
                }
            }
            ring[head] = null;
            cids[head] = null;
            head = (head + 1) % ring.length;
            size--;
            weight -= dropped;
            return dropped;
        }

        List<Logged> before(long before, int limit) {
            long first = lastSeq - size + 1;
            int end = (int) Math.max(0, Math.min(size, before - first)); // exclusive index
            int start = Math.max(0, end - limit);
            return copy(start, end);
        }

        List<Logged> following(long since, int limit) {
            long first = lastSeq - size + 1;
            int start = (int) Math.max(0, Math.min(size, since + 1 - first));
            return copy(start, (int) Math.min(size, (long) start + limit));
        }

        Optional<List<Logged>> after(long since, int max) {
            long first = lastSeq - size + 1;
            if (since > lastSeq || lastSeq - since > max || since + 1 < first) {
                return Optional.empty();
            }
            return Optional.of(copy((int) (since + 1 - first), size));
        }

        private Logged get(int index) {
            return ring[(head + index) % ring.length];
        }

        private List<Logged> copy(int start, int end) {
            Logged[] out = new Logged[end - start];
            for (int i = start; i < end; i++) {
                out[i - start] = get(i);
            }
            return List.of(out);
        }

        private void grow(int keep) {
            Logged[] bigger = new Logged[(int) Math.min(keep, 2L * ring.length)];
            String[] biggerCids = new String[bigger.length];
            for (int i = 0; i < size; i++) {
                bigger[i] = get(i);
                biggerCids[i] = cids[(head + i) % ring.length];
            }
            weight += 2L * SLOT * (bigger.length - ring.length);
            ring = bigger;
            cids = biggerCids;
            head = 0;
        }
    }
}
