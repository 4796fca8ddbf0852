package dev.parley.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the sending node knows of the webhook events waiting in the database, so that it
 * reads each row once instead of the whole table every pass ({@link JdbcWebhooks}): each
 * room's events in id order (no bodies: those are read when an event goes), which rooms'
 * oldest are due, and the counts the backlog reports.
 *
 * <p>Rows are learnt by reading past the highest id seen. In a cluster, one node's
 * transaction may commit after another's that took higher ids; the ids skipped over are
 * kept as gaps, read again until they fill or {@code gapMillis} pass (a transaction
 * longer than that is caught by {@link #unknown}, which the owner runs now and then).
 * A room's next event always has a higher id than its last one (its entries take
 * their seq under the room's lock, and their events' ids after it), so a room's order
 * holds.
 *
 * <p>Not thread-safe: the sender's thread alone uses it.
 */
final class PendingEvents {
    /** A waiting event as its row says, without its body. */
    record Row(long id, String room, int bytes, int attempts, long nextAt, long created) {
    }

    /** Ids {@code from}..{@code to} not seen when higher ones were, until {@code until}. */
    record Gap(long from, long to, long until) {
    }

    /** A room's waiting events, oldest first. */
    private static final class Room {
        final String name;
        final ArrayDeque<Row> events = new ArrayDeque<>();

        Room(String name) {
            this.name = name;
        }

        Row head() {
            return events.peekFirst();
        }
    }

    private static final Comparator<Room> BY_DUE = Comparator.<Room>comparingLong(r -> r.head().nextAt())
            .thenComparingLong(r -> r.head().id());

    private final long gapMillis;
    private final int maxGaps;
    private final Map<String, Room> rooms = new HashMap<>();
    /** The rooms with events, by when their oldest is due: a room's head changes only while it is out of here. */
    private final TreeSet<Room> byDue = new TreeSet<>(BY_DUE);
    private final TreeMap<Long, Gap> gaps = new TreeMap<>();
    private long highest;
    private long events;
    private long bytes;

    PendingEvents(long gapMillis, int maxGaps) {
        this.gapMillis = gapMillis;
        this.maxGaps = maxGaps;
    }

    /** The highest id seen: read the rows after it. */
    long highest() {
        return highest;
    }

    /** The gaps still worth reading again at {@code now}; older ones are forgotten. */
    List<Gap> gaps(long now) {
        gaps.values().removeIf(gap -> gap.until() < now);
        return List.copyOf(gaps.values());
    }

    /**
     * A row read past {@link #highest} (in id order) or in a gap: kept, unless it is one
     * already known (a row read again), which is ignored.
     */
    void add(Row row, long now) {
        long id = row.id();
        if (id > highest) {
            if (id > highest + 1 && highest > 0) {
                gaps.put(highest + 1, new Gap(highest + 1, id - 1, now + gapMillis));
                while (gaps.size() > maxGaps) {
                    gaps.pollFirstEntry();
                }
            }
            highest = id;
        } else if (!fillGap(id)) {
            return;
        }
        keep(row);
    }

    /** A row found by {@link #unknown}: kept in its room's order. */
    void addLate(Row row) {
        keep(row);
    }

    private void keep(Row row) {
        long id = row.id();
        Room room = rooms.computeIfAbsent(row.room(), Room::new);
        boolean head = room.events.isEmpty() || room.head().id() > id;
        if (head && !room.events.isEmpty()) {
            byDue.remove(room);
        }
        if (room.events.isEmpty() || room.events.peekLast().id() < id) {
            room.events.addLast(row);
        } else { // a late row: in its place
            ArrayDeque<Row> later = new ArrayDeque<>();
            while (!room.events.isEmpty() && room.events.peekLast().id() > id) {
                later.addFirst(room.events.pollLast());
            }
            room.events.addLast(row);
            room.events.addAll(later);
        }
        events++;
        bytes += row.bytes();
        if (head) {
            byDue.add(room);
        }
    }

    /** Whether {@code id} was in a gap (now split around it). */
    private boolean fillGap(long id) {
        Map.Entry<Long, Gap> entry = gaps.floorEntry(id);
        if (entry == null || entry.getValue().to() < id) {
            return false;
        }
        Gap gap = entry.getValue();
        gaps.remove(gap.from());
        if (gap.from() < id) {
            gaps.put(gap.from(), new Gap(gap.from(), id - 1, gap.until()));
        }
        if (id < gap.to()) {
            gaps.put(id + 1, new Gap(id + 1, gap.to(), gap.until()));
        }
        return true;
    }

    /** Of {@code ids} (every id the table holds, now and then), those not known: rows to add. */
    List<Long> unknown(Iterable<Long> ids) {
        Set<Long> known = new HashSet<>();
        rooms.values().forEach(room -> room.events.forEach(row -> known.add(row.id())));
        List<Long> unknown = new ArrayList<>();
        for (long id : ids) {
            if (id <= highest && !known.contains(id)) {
                unknown.add(id);
            }
        }
        return unknown;
    }

    /** Each room's oldest event that is due at {@code now}, rooms in {@code busy} left out, at most {@code max}, soonest due first. */
    List<Row> due(long now, Set<String> busy, int max) {
        List<Row> due = new ArrayList<>();
        Iterator<Room> rooms = byDue.iterator();
        while (due.size() < max && rooms.hasNext()) {
            Room room = rooms.next();
            if (room.head().nextAt() > now) {
                break;
            }
            if (!busy.contains(room.name)) {
                due.add(room.head());
            }
        }
        return due;
    }

    /** The event went (delivered, given up, or no longer in the table): forgotten. */
    void remove(String name, long id) {
        Room room = rooms.get(name);
        if (room == null) {
            return;
        }
        boolean head = room.head().id() == id;
        if (head) {
            byDue.remove(room);
        }
        Iterator<Row> rows = room.events.iterator();
        while (rows.hasNext()) {
            Row row = rows.next();
            if (row.id() == id) {
                rows.remove();
                events--;
                bytes -= row.bytes();
                break;
            }
            if (row.id() > id) {
                break;
            }
        }
        if (room.events.isEmpty()) {
            rooms.remove(name);
        } else if (head) {
            byDue.add(room);
        }
    }

    /** The room's oldest was not taken: tried again at {@code nextAt}, one attempt more. */
    void failed(String name, long id, long nextAt) {
        Room room = rooms.get(name);
        if (room == null || room.head().id() != id) {
            return;
        }
        byDue.remove(room);
        Row head = room.events.pollFirst();
        room.events.addFirst(new Row(id, name, head.bytes(), head.attempts() + 1, nextAt, head.created()));
        byDue.add(room);
    }

    long events() {
        return events;
    }

    long bytes() {
        return bytes;
    }

    /** Events per room, for every room that has some. */
    Map<String, Long> rooms() {
        Map<String, Long> counts = new HashMap<>();
        rooms.forEach((name, room) -> counts.put(name, (long) room.events.size()));
        return counts;
    }
}
