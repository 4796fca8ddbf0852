package dev.parley.protocol;

import java.time.Instant;

/**
 * A frame of a room's log: what the store keeps under the room's seq, in one gap-free
 * order (PROTOCOL.md 1.1, "The room's log"). A {@link ChatMessage}, or a change to one
 * that names it by {@code ref}.
 */
public sealed interface Logged extends Outbound permits ChatMessage, Logged.Edit, Logged.Delete, Logged.React {

    String room();

    long seq();

    /** Who sent it: the message's author, the editor, the one who deleted or reacted. */
    String user();

    Instant ts();

    /** {@code edit}: the message's new text; {@code ""} once the message is deleted (its words are gone). */
    record Edit(String room, long seq, long ref, String user, String text, Instant ts) implements Logged {
        public Edit withText(String newText) {
            return new Edit(room, seq, ref, user, newText, ts);
        }
    }

    /** {@code delete}: {@code user} is who deleted the message, its author or a moderator. */
    record Delete(String room, long seq, long ref, String user, Instant ts) implements Logged {
    }

    /** {@code react}: {@code on} adds the emoji, off removes it. */
    record React(String room, long seq, long ref, String user, String emoji, boolean on, Instant ts) implements Logged {
    }
}
