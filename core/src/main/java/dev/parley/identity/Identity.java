package dev.parley.identity;

import java.time.Instant;

/**
 * Who a verified token says a user is.
 *
 * @param user    the token's {@code sub}: the user's name, valid by the name rules
 * @param expires the token's {@code exp}; it is valid until {@link Tokens#CLOCK_SKEW} after that
 * @param rooms   where it may join
 * @param mod     where it is a moderator (the {@code mod} claim, PROTOCOL.md 1.1); nowhere without one
 */
public record Identity(String user, Instant expires, RoomAccess rooms, RoomAccess mod) {
    public Identity(String user, Instant expires, RoomAccess rooms) {
        this(user, expires, rooms, RoomAccess.NO_ROOM);
    }

    /** Whether the token is no longer valid at {@code now}. */
    public boolean expiredAt(Instant now) {
        return now.isAfter(expires.plus(Tokens.CLOCK_SKEW));
    }
}
