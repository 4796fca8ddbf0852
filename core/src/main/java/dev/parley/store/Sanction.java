package dev.parley.store;

import java.time.Instant;

/**
 * A moderator's mute or ban of a user in a room (PROTOCOL.md 1.1, "Moderators"), in force
 * until {@code until} ({@link Instant#MAX}: for ever).
 */
public record Sanction(String user, Kind kind, Instant until) {

    /** Never reorder: the ordinal is the {@code kind} column. */
    public enum Kind { MUTE, BAN }

    /** The most of one room's sanctions a store returns: a room's cache holds no more. */
    public static final int MAX_PER_ROOM = 10_000;

    /** How an {@code until} is stored: epoch milliseconds, for ever as Long.MAX_VALUE. */
    public static long millis(Instant until) {
        return until.equals(Instant.MAX) ? Long.MAX_VALUE : until.toEpochMilli();
    }

    public static Instant instant(long millis) {
        return millis == Long.MAX_VALUE ? Instant.MAX : Instant.ofEpochMilli(millis);
    }
}
