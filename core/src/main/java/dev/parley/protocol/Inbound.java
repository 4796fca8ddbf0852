package dev.parley.protocol;

import jakarta.json.JsonObject;
import java.util.OptionalLong;

/**
 * A validated client frame. {@link InboundDecoder} is the only place that makes these,
 * so every instance already satisfies PROTOCOL.md's rules for its members.
 */
public sealed interface Inbound {

    InboundType type();

    /**
     * {@code join}: without identity {@code user} is already trimmed and valid and
     * {@code token} null; with identity {@code user} is null and {@code token} as sent.
     */
    /**
     * {@code join}: {@code resume}, where sent, is the secret an earlier connection's
     * {@code welcome} gave, which takes the name back from it at once (docs/PROTOCOL.md,
     * "Taking a name back"); null where absent or not a string of at most 64 characters.
     */
    record Join(String user, OptionalLong since, String token, String resume) implements Inbound {
        public InboundType type() {
            return InboundType.JOIN;
        }
    }

    /** A frame that asks for an entry in the room's log (1.1): what the store checks and sequences. */
    sealed interface Change extends Inbound {
        String cid();
    }

    /** {@code message}: {@code text} exactly as sent; {@code cid} may be null; {@code replyTo} 0 for none. */
    record Message(String text, String cid, long replyTo) implements Change {
        public Message(String text, String cid) {
            this(text, cid, 0);
        }

        public InboundType type() {
            return InboundType.MESSAGE;
        }
    }

    /** {@code edit} (1.1): {@code ref} is positive, {@code text} as for a message. */
    record Edit(long ref, String text, String cid) implements Change {
        public InboundType type() {
            return InboundType.EDIT;
        }
    }

    /** {@code delete} (1.1). */
    record Delete(long ref, String cid) implements Change {
        public InboundType type() {
            return InboundType.DELETE;
        }
    }

    /** {@code react} (1.1): {@code emoji} valid by its rules. */
    record React(long ref, String emoji, boolean on, String cid) implements Change {
        public InboundType type() {
            return InboundType.REACT;
        }
    }

    /** {@code direct}: {@code to} as sent; {@code cid} may be null. */
    record Direct(String to, String text, String cid) implements Inbound {
        public InboundType type() {
            return InboundType.DIRECT;
        }
    }

    /** {@code auth} (Parley's addition): a fresh token for a joined connection; {@code cid} may be null. */
    record Auth(String token, String cid) implements Inbound {
        public InboundType type() {
            return InboundType.AUTH;
        }
    }

    /** {@code read} (1.1): the newest seq of the room the user has seen. */
    record Read(long seq) implements Inbound {
        public InboundType type() {
            return InboundType.READ;
        }
    }

    /**
     * {@code mute}, {@code ban}, {@code unmute}, {@code unban} (1.1): a moderator's command.
     * {@code user} is a valid name; {@code seconds} is 1 to {@value InboundDecoder#MAX_SANCTION_SECONDS}
     * for a mute, the same or 0 (for ever) for a ban, 0 for the others.
     */
    record Moderate(InboundType type, String user, long seconds, String cid) implements Inbound {
    }

    record Typing() implements Inbound {
        public InboundType type() {
            return InboundType.TYPING;
        }
    }

    /** {@code history}: {@code before} empty means "newest + 1". */
    record History(OptionalLong before, int limit) implements Inbound {
        public InboundType type() {
            return InboundType.HISTORY;
        }
    }

    /** Parley's addition: a page of the room's names after {@code after} (null: from the first). */
    record Members(String after, int limit) implements Inbound {
        public InboundType type() {
            return InboundType.MEMBERS;
        }
    }

    record Rooms() implements Inbound {
        public InboundType type() {
            return InboundType.ROOMS;
        }
    }

    /** {@code ping}: the whole frame, echoed (but for {@code type}) by {@code pong}. */
    record Ping(JsonObject frame) implements Inbound {
        public InboundType type() {
            return InboundType.PING;
        }
    }
}
