package dev.parley.identity;

import java.util.ArrayList;
import java.util.List;

/**
 * The rooms a token may join: every room, or those its {@code rooms} claim names, exactly
 * or by a prefix ending in {@code *} ({@code "team-*"}; a lone {@code "*"} is every room).
 */
public final class RoomAccess {
    public static final RoomAccess EVERY_ROOM = new RoomAccess(null, null);
    public static final RoomAccess NO_ROOM = new RoomAccess(List.of(), List.of());

    private final List<String> exact;    // null: every room
    private final List<String> prefixes;

    private RoomAccess(List<String> exact, List<String> prefixes) {
        this.exact = exact;
        this.prefixes = prefixes;
    }

    /** From the claim's entries, as the token has them. */
    public static RoomAccess of(List<String> entries) {
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String entry : entries) {
            if (entry.equals("*")) {
                return EVERY_ROOM;
            }
            if (entry.endsWith("*")) {
                prefixes.add(entry.substring(0, entry.length() - 1));
            } else {
                exact.add(entry);
            }
        }
        return new RoomAccess(List.copyOf(exact), List.copyOf(prefixes));
    }

    public boolean allows(String room) {
        if (exact == null) {
            return true;
        }
        if (exact.contains(room)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (room.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return exact == null ? "every room" : "rooms " + exact + ", prefixes " + prefixes;
    }
}
