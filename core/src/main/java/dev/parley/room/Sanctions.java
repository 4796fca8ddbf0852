package dev.parley.room;

import dev.parley.protocol.OutboundEncoder;
import dev.parley.store.Sanction;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A room's mutes and bans on this node, what its frames are checked against: loaded from
 * the store as the room starts, then kept by moderators' commands from any node (the
 * broker's {@code SANCTION} events). A lookup is a map's; an expired entry goes as it is
 * found. At most {@link Sanction#MAX_PER_ROOM} entries, as the store keeps.
 */
final class Sanctions {
    private final Map<String, Instant> until = new HashMap<>(); // guarded by this; user and kind to until

    synchronized void load(List<Sanction> found) {
        for (Sanction sanction : found) {
            until.put(key(sanction.user(), sanction.kind()), sanction.until());
        }
    }

    /** {@code until} null lifts it. */
    synchronized void put(String user, Sanction.Kind kind, Instant until) {
        if (until == null) {
            this.until.remove(key(user, kind));
        } else if (this.until.size() < Sanction.MAX_PER_ROOM || this.until.containsKey(key(user, kind))) {
            this.until.put(key(user, kind), until);
        } else {
            Instant now = Instant.now();
            this.until.values().removeIf(u -> !u.isAfter(now));
            if (this.until.size() < Sanction.MAX_PER_ROOM) {
                this.until.put(key(user, kind), until);
            }
        }
    }

    /** Until when it holds at {@code now}, or null. */
    synchronized Instant until(String user, Sanction.Kind kind, Instant now) {
        if (until.isEmpty()) {
            return null;
        }
        String key = key(user, kind);
        Instant end = until.get(key);
        if (end != null && !end.isAfter(now)) {
            until.remove(key);
            return null;
        }
        return end;
    }

    private static String key(String user, Sanction.Kind kind) {
        return kind.ordinal() + user;
    }

    /** What a muted user hears. */
    static String muted(Instant until) {
        return "A moderator muted you in this room until " + OutboundEncoder.timestamp(until) + ".";
    }

    /** What a banned user hears. */
    static String banned(Instant until) {
        return until.equals(Instant.MAX) ? "A moderator banned you from this room."
                : "A moderator banned you from this room until " + OutboundEncoder.timestamp(until) + ".";
    }
}
