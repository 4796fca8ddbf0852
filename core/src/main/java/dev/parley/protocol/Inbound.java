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

    /** {@code message}: {@code text} exactly as sent; {@code cid} may be null. */
    record Message(String text, String cid) implements Inbound {
        public InboundType type() {
            return InboundType.MESSAGE;
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
