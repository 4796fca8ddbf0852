package dev.parley.room;

import java.util.TreeMap;

/**
 * One room's messages in seq order, whatever order they arrive in: from this node's own
 * commits and, in a cluster, from the broker, where messages of different nodes may
 * overtake each other and some may be lost. A message whose seq follows the last one
 * delivered goes out at once, with any held ones it unblocks; one that is early waits
 * here (bounded: past the bound it is dropped, and a fill brings it back); one at or
 * below the position is a duplicate and is dropped.
 *
 * <p>The room fills a gap from the store when it has been open a moment: every seq below
 * a committed one is committed too, so the store has them all, unless history was
 * trimmed below them, in which case the stream skips ahead.
 *
 * <p>Not thread-safe: the room calls it under its own lock.
 */
final class OrderedStream {
    /** Where delivered messages go. */
    interface Delivery {
        void deliver(long seq, String frame);
    }

    private final int maxHeld;
    private final long maxHeldBytes;
    private final TreeMap<Long, String> held = new TreeMap<>();
    private long heldBytes;
    private long position = -1; // the last seq delivered; -1 until started
    private long drops; // messages not held for want of room: only a fill from the store brings them
    private long dropsFilled; // drops a completed fill has covered

    OrderedStream(int maxHeld, long maxHeldBytes) {
        this.maxHeld = maxHeld;
        this.maxHeldBytes = maxHeldBytes;
    }

    /** Delivery starts after {@code position}: everything up to it is history. */
    void start(long position, Delivery delivery) {
        this.position = position;
        drain(delivery);
    }

    boolean started() {
        return position >= 0;
    }

    /** The last seq delivered, or -1 before the start. */
    long position() {
        return position;
    }

    void offer(long seq, String frame, Delivery delivery) {
        if (started() && seq <= position) {
            return; // a duplicate
        }
        if (started() && seq == position + 1) {
            delivery.deliver(seq, frame);
            position = seq;
            drain(delivery);
            return;
        }
        long bytes = 2L * frame.length();
        if (held.containsKey(seq)) {
            return;
        }
        if (held.size() >= maxHeld || heldBytes + bytes > maxHeldBytes) {
            drops++;
            return;
        }
        held.put(seq, frame);
        heldBytes += bytes;
    }

    /**
     * The store started the room over (a memory store that forgot it): a message of this
     * node's own commits at or below the position is the room's new beginning, never a
     * duplicate, in a store no other node writes.
     */
    void restart(long seq, String frame, Delivery delivery) {
        held.clear();
        heldBytes = 0;
        dropsFilled = drops;
        position = seq - 1;
        offer(seq, frame, delivery);
    }

    /** A message was never offered (its room's delivery backlog was full): only a fill brings it. */
    void missed() {
        drops++;
    }

    /** Whether messages are missing before held ones, or were dropped. */
    boolean hasGap() {
        return started() && (!held.isEmpty() || drops > dropsFilled);
    }

    /**
     * What a fill reads from the store: what follows {@code after}. The seqs below
     * {@code end} (the first held, {@code Long.MAX_VALUE} when only dropped ones are missing)
     * were all committed before the gap was taken, since {@code end} was; {@code drops}
     * counts what was dropped by then.
     */
    record Gap(long after, long end, long drops) {
    }

    Gap gap() {
        return new Gap(position, held.isEmpty() ? Long.MAX_VALUE : held.firstKey(), drops);
    }

    /** A message a fill read from the store, encoded. */
    record Filled(long seq, String frame) {
    }

    /**
     * A fill of {@code gap} read {@code found} from the store: the oldest messages after
     * the gap's start, at most {@code page}. Seqs of the gap the store no longer has
     * (trimmed) are skipped. Less than a page is all the store had when it was read: the
     * drops before the gap was taken are covered. A full page: more to read, and the room
     * fills again.
     */
    void fill(Gap gap, java.util.List<Filled> found, int page, Delivery delivery) {
        if (!found.isEmpty() && found.get(0).seq() > position + 1 && found.get(0).seq() <= gap.end()) {
            position = found.get(0).seq() - 1; // below it, trimmed
            drain(delivery);
        }
        for (Filled message : found) {
            offer(message.seq(), message.frame(), delivery);
        }
        if (found.size() >= page) {
            return;
        }
        dropsFilled = Math.max(dropsFilled, gap.drops());
        if (gap.end() != Long.MAX_VALUE && position < gap.end() - 1) {
            position = gap.end() - 1; // the store has none of the gap: all trimmed
            drain(delivery);
        }
    }

    private void drain(Delivery delivery) {
        while (!held.isEmpty() && held.firstKey() <= position + 1) {
            var first = held.pollFirstEntry();
            heldBytes -= 2L * first.getValue().length();
            if (first.getKey() == position + 1) {
                delivery.deliver(first.getKey(), first.getValue());
                position = first.getKey();
            }
        }
    }
}
