package dev.parley.protocol;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * A stored chat message, and the {@code message} frame that carries it: the history
 * store keeps these, and welcome and history replies send them back as they were
 * broadcast, with their current state (PROTOCOL.md 1.1): the text after the newest edit
 * and when that was ({@code edited}), the {@code reactions}, and {@code deleted} with the
 * text gone. A live message has none of that yet.
 *
 * @param replyTo   the seq of the message this one answers, 0 for none
 * @param edited    the newest edit's ts, or null
 * @param reactions emoji to the sorted names of the users who have it, in emoji order; empty for none
 */
public record ChatMessage(String room, long seq, String user, String text, Instant ts, long replyTo, Instant edited,
                          SortedMap<String, List<String>> reactions, boolean deleted) implements Logged {

    private static final SortedMap<String, List<String>> NONE = java.util.Collections.emptySortedMap();

    /** A new message, as it is broadcast. */
    public ChatMessage(String room, long seq, String user, String text, Instant ts) {
        this(room, seq, user, text, ts, 0, null, NONE, false);
    }

    public ChatMessage {
        reactions = reactions == null ? NONE : reactions;
    }

    /** A new message answering {@code replyTo} (0: none). */
    public static ChatMessage of(String room, long seq, String user, String text, Instant ts, long replyTo) {
        return new ChatMessage(room, seq, user, text, ts, replyTo, null, NONE, false);
    }

    public ChatMessage withEdit(String newText, Instant when) {
        return new ChatMessage(room, seq, user, newText, ts, replyTo, when, reactions, false);
    }

    /** Deleted: no words, no reactions, no edit time left. */
    public ChatMessage asDeleted() {
        return new ChatMessage(room, seq, user, "", ts, replyTo, null, NONE, true);
    }

    public ChatMessage withReactions(SortedMap<String, List<String>> now) {
        return new ChatMessage(room, seq, user, text, ts, replyTo, edited, now, deleted);
    }
}
