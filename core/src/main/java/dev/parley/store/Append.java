package dev.parley.store;

import java.time.Instant;

/**
 * What a member asks the room's log to take (PROTOCOL.md 1.1): a message, or an edit, a
 * delete or a reaction naming a message by {@code ref}. The store checks it against the
 * log under the room's sequencer ({@link LogRules}), so that two nodes cannot both pass
 * a check that only one of them may.
 *
 * @param kind      what it is; its ordinal is the {@code kind} column
 * @param text      a message's or an edit's text, else null
 * @param cid       the client's id for exactly-once, or null
 * @param key       a message published through the server API: its {@code idempotency_key}
 *                  (once per room, whoever the user), or null
 * @param ref       the message an edit, delete or reaction names; a message's {@code reply_to}; 0 for none
 * @param emoji     a reaction's emoji, else null
 * @param on        a reaction added (true) or removed
 * @param moderator whether the sender moderates the room (a delete of anyone's message)
 */
public record Append(Kind kind, String user, String text, String cid, String key, long ref, String emoji,
                     boolean on, boolean moderator, Instant ts) {

    /** The kinds of the log, in the order of their {@code kind} column values: never reorder. */
    public enum Kind {
        MESSAGE, EDIT, DELETE, REACT;

        private static final Kind[] BY_CODE = values();

        static Kind of(int code) {
            return BY_CODE[code];
        }
    }

    public static Append message(String user, String text, String cid, long replyTo, Instant ts) {
        return new Append(Kind.MESSAGE, user, text, cid, null, replyTo, null, false, false, ts);
    }

    /** A message the application publishes as {@code user} (SERVER-API.md), with its idempotency key or null. */
    public static Append published(String user, String text, String key, long replyTo, Instant ts) {
        return new Append(Kind.MESSAGE, user, text, null, key, replyTo, null, false, false, ts);
    }

    public static Append edit(String user, long ref, String text, String cid, Instant ts) {
        return new Append(Kind.EDIT, user, text, cid, null, ref, null, false, false, ts);
    }

    public static Append delete(String user, long ref, boolean moderator, String cid, Instant ts) {
        return new Append(Kind.DELETE, user, null, cid, null, ref, null, false, moderator, ts);
    }

    public static Append react(String user, long ref, String emoji, boolean on, String cid, Instant ts) {
        return new Append(Kind.REACT, user, null, cid, null, ref, emoji, on, false, ts);
    }

    /** A message with nothing to check: no cid or key to look up, no message to find. Stored as version 1 stored them. */
    boolean plain() {
        return kind == Kind.MESSAGE && cid == null && key == null && ref == 0;
    }

    /** What it holds in memory while it waits, roughly: two bytes a char. */
    long bytes() {
        return 2L * ((text == null ? 0 : text.length()) + (emoji == null ? 0 : emoji.length())
                + (cid == null ? 0 : cid.length()) + (key == null ? 0 : key.length()) + user.length());
    }
}
