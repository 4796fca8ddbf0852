package dev.parley.identity;

import java.time.Instant;

/**
 * Who a verified token says a user is.
 *
 * @param user    the token's {@code sub}: the user's name, valid by the name rules
 * @param expires the token's {@code exp}; it is valid until {@link Tokens#CLOCK_SKEW} after that
 * @param rooms   where it may join
 */
public record Identity(String user, Instant expires, RoomAccess rooms) {
    /** Whether the token is no longer valid at {@code now}. */
    public boolean expiredAt(Instant now) {
        return now.isAfter(expires.plus(Tokens.CLOCK_SKEW));
    }
}
