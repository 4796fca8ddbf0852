package dev.parley.store;

import static dev.parley.protocol.ErrorCode.FORBIDDEN;
import static dev.parley.protocol.ErrorCode.NO_SUCH_MESSAGE;
import static dev.parley.protocol.ErrorCode.TOO_LONG;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Logged;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The rules of a room's log (PROTOCOL.md 1.1, docs/PROTOCOL.md "The room's log, decided"),
 * in one place for every store: a store runs {@link #apply} under its sequencer (the
 * memory store's lock, the database's room row), over a {@link Ledger} that reads and
 * changes its log.
 *
 * <ul>
 * <li>A cid the same user used in the room for a stored entry within its last
 * {@value #DUPLICATE_WINDOW_ENTRIES} entries there, or the last 24 hours: a
 * {@link Appended.Duplicate}. Every kind, not only {@code message}: a resent edit, delete
 * or reaction is as harmless.</li>
 * <li>An idempotency key (a message the server API publishes) used in the room within
 * the last 24 hours, by whatever user: a {@link Appended.Duplicate} too.</li>
 * <li>A {@code ref} or {@code reply_to} must name a message of the room, not deleted.</li>
 * <li>Only its author edits a message, at most {@value #MAX_EDITS} times (every edit is
 * kept in the log; the one past the bound is refused with {@code too-long}).</li>
 * <li>Its author or a moderator deletes it.</li>
 * <li>At most {@value #MAX_EMOJI} distinct emoji and {@value #MAX_REACTIONS} reactions in
 * all on one message, so that its frame stays small; a reaction past either is
 * {@code too-long}.</li>
 * </ul>
 */
final class LogRules {
    static final int MAX_EDITS = 100;
    static final int MAX_EMOJI = 20;
    static final int MAX_REACTIONS = 200;
    static final int DUPLICATE_WINDOW_ENTRIES = 1000;
    static final Duration DUPLICATE_WINDOW = Duration.ofHours(24);

    private LogRules() {
    }

    /** A stored entry's seq and ts. */
    record Sent(long seq, Instant ts) {
    }

    /** A message of the log as the rules need it: null where the seq names no message. */
    record Target(String author, boolean deleted, int edits) {
    }

    /** One room's log, as the store under its sequencer reads and changes it. */
    interface Ledger {
        /** The newest entry {@code user} stored with {@code cid}, or null. */
        Sent sent(String user, String cid);

        /** The newest entry the server API published in the room with idempotency {@code key}, or null. */
        Sent keyed(String key);

        /** How many entries {@code user} stored after {@code seq}. */
        long sentAfter(String user, long seq);

        /** The message under {@code seq}; null if there is none (another kind, trimmed, never stored). */
        Target message(long seq);

        /** The reactions on the message: emoji to the names that have it. */
        Map<String, List<String>> reactions(long seq);

        /** Stores the entry, which has the room's next seq, with its cid and idempotency key (either may be null). */
        void store(Logged entry, String cid, String key);

        /** The message's text is now {@code text}, edited at {@code ts}. */
        void edited(long ref, String text, Instant ts);

        /** The message is deleted: its text, its edits' texts and its reactions are gone. */
        void deleted(long ref);

        /** {@code user} added ({@code on}) or removed {@code emoji} on the message. */
        void reacted(long ref, String emoji, String user, boolean on);
    }

    /** Checks the append against the log and, if it passes, stores it under {@code seq}: the room's next. */
    static Appended apply(String room, long seq, Append append, Ledger log) {
        if (append.cid() != null) {
            Sent sent = log.sent(append.user(), append.cid());
            if (sent != null && (!sent.ts().isBefore(append.ts().minus(DUPLICATE_WINDOW))
                    || log.sentAfter(append.user(), sent.seq()) < DUPLICATE_WINDOW_ENTRIES)) {
                return new Appended.Duplicate(sent.seq(), sent.ts());
            }
        }
        if (append.key() != null) {
            Sent sent = log.keyed(append.key());
            if (sent != null && !sent.ts().isBefore(append.ts().minus(DUPLICATE_WINDOW))) {
                return new Appended.Duplicate(sent.seq(), sent.ts());
            }
        }
        Target target = null;
        if (append.ref() > 0) {
            target = log.message(append.ref());
            if (target == null || target.deleted()) {
                return new Appended.Refused(NO_SUCH_MESSAGE, "No message " + append.ref() + " in this room"
                        + (target == null ? "." : ": it was deleted."));
            }
        }
        Logged entry;
        switch (append.kind()) {
            case MESSAGE -> {
                entry = ChatMessage.of(room, seq, append.user(), append.text(), append.ts(), append.ref());
                log.store(entry, append.cid(), append.key());
            }
            case EDIT -> {
                if (!target.author().equals(append.user())) {
                    return new Appended.Refused(FORBIDDEN, "Only its author may edit a message.");
                }
                if (target.edits() >= MAX_EDITS) {
                    return new Appended.Refused(TOO_LONG, "A message may be edited at most " + MAX_EDITS + " times.");
                }
                entry = new Logged.Edit(room, seq, append.ref(), append.user(), append.text(), append.ts());
                log.store(entry, append.cid(), append.key());
                log.edited(append.ref(), append.text(), append.ts());
            }
            case DELETE -> {
                if (!append.moderator() && !target.author().equals(append.user())) {
                    return new Appended.Refused(FORBIDDEN, "Only its author or a moderator may delete a message.");
                }
                entry = new Logged.Delete(room, seq, append.ref(), append.user(), append.ts());
                log.store(entry, append.cid(), append.key());
                log.deleted(append.ref());
            }
            case REACT -> {
                Map<String, List<String>> reactions = log.reactions(append.ref());
                List<String> who = reactions.get(append.emoji());
                boolean has = who != null && who.contains(append.user());
                if (has == append.on()) {
                    return new Appended.Unchanged();
                }
                if (append.on()) {
                    if (who == null && reactions.size() >= MAX_EMOJI) {
                        return new Appended.Refused(TOO_LONG, "A message has at most " + MAX_EMOJI + " different emoji.");
                    }
                    if (reactions.values().stream().mapToInt(List::size).sum() >= MAX_REACTIONS) {
                        return new Appended.Refused(TOO_LONG, "A message has at most " + MAX_REACTIONS + " reactions.");
                    }
                }
                entry = new Logged.React(room, seq, append.ref(), append.user(), append.emoji(), append.on(),
                        append.ts());
                log.store(entry, append.cid(), append.key());
                log.reacted(append.ref(), append.emoji(), append.user(), append.on());
            }
            default -> throw new AssertionError(append.kind());
        }
        return new Appended.Stored(entry);
    }
}
