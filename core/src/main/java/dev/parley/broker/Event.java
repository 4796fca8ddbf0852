package dev.parley.broker;

/**
 * What a node publishes for the others: an encoded frame and what they need to route it.
 *
 * @param kind  what it is
 * @param seq   a message's seq; for a tail, the last seq its node delivered in the room; for
 *              joined and left, the room's count after it (over every node); else 0
 * @param user  who joined, left or types; for a direct message the recipient; for a kick who is removed
 * @param frame the frame as the clients get it, encoded once by the node it came from
 */
public record Event(Kind kind, long seq, String user, String frame) {

    public enum Kind {
        MESSAGE('m'), JOINED('j'), LEFT('l'), TYPING('t'), DIRECT('d'), TAIL('e'),
        /** An administrator removed {@code user}: the node holding that member closes it. */
        KICK('k'),
        /** An administrator closed the room: every node closes its members of it. */
        CLOSED('c'),
        /** {@code user}'s name was taken back by a new connection on the publishing node: others close theirs, unheard. */
        REPLACED('r'),
        /** {@code user}'s read position went up to {@code seq} (1.1): the frame goes to the room's members. */
        READ('p'),
        /**
         * A moderator muted or banned {@code user} (the frame says which: {@code mute},
         * {@code ban}), until {@code seq} in epoch ms ({@code Long.MAX_VALUE}: for ever; 0:
         * lifted): every node's room updates what it enforces, and a ban closes the user's connections.
         */
        SANCTION('s'),
        /** A large room's coalesced {@code presence} frame: this node's own, never published. */
        PRESENCE('q');

        final char code;

        Kind(char code) {
            this.code = code;
        }

        static Kind of(char code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("no event kind '" + code + "'");
        }
    }

    public static Event message(long seq, String frame) {
        return new Event(Kind.MESSAGE, seq, "", frame);
    }

    /**
     * A node that was cut off from Redis says, when it is back, how far each of its rooms
     * got: what it committed meanwhile never went out, and a node that is behind reads it
     * from the store.
     */
    public static Event tail(long seq) {
        return new Event(Kind.TAIL, seq, "", "");
    }

    public static Event of(Kind kind, String user, String frame) {
        return new Event(kind, 0, user, frame);
    }
}
