package dev.parley.room;

import dev.parley.broker.Broker;
import dev.parley.protocol.Outbound;
import java.time.Instant;
import java.util.ArrayList;
import java.util.TreeSet;

/**
 * A large room's presence changes since its last {@code presence} frame (docs/PROTOCOL.md,
 * "Large rooms"): the names that came and those that went, at most {@link #LISTED} each
 * (the changes beyond are only counted), and the count after the newest change. A name
 * that came and went since the last frame is in neither list, nor is one that went and
 * came back. Bounded whatever the churn: two lists of {@value #LISTED} names and a counter.
 *
 * <p>Not thread-safe: its room's, under the room's monitor.
 */
final class PresenceBatch {
    /** Names listed at most in each of {@code joined} and {@code left}. */
    static final int LISTED = 50;

    private final TreeSet<String> joined = new TreeSet<>(Broker.ORDER);
    private final TreeSet<String> left = new TreeSet<>(Broker.ORDER);
    private int more;
    private int count = -1; // -1: nothing waits

    /** {@code user} came; {@code count} users are in the room now. */
    void joined(String user, int count) {
        change(user, joined, left, count);
    }

    /** {@code user} went; {@code count} users are in the room now. */
    void left(String user, int count) {
        change(user, left, joined, count);
    }

    private void change(String user, TreeSet<String> to, TreeSet<String> undone, int now) {
        if (!undone.remove(user) && !to.contains(user)) {
            if (to.size() < LISTED) {
                to.add(user);
            } else {
                more++;
            }
        }
        count = now;
    }

    /** Whether a change waits to go out. */
    boolean waiting() {
        return count >= 0;
    }

    /** The frame of what waits, and empty again. */
    Outbound.Presence take(String room, Instant now) {
        Outbound.Presence frame = new Outbound.Presence(room, count, new ArrayList<>(joined), new ArrayList<>(left),
                more, now);
        joined.clear();
        left.clear();
        more = 0;
        count = -1;
        return frame;
    }
}
