package dev.parley.store;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Logged;
import java.time.Instant;

/** What became of an {@link Append}. */
public sealed interface Appended {

    /** Stored under the room's next seq. */
    record Stored(Logged entry) implements Appended {
    }

    /**
     * Its cid was used already (PROTOCOL.md 1.1, "Exactly-once sends"), or its idempotency
     * key (SERVER-API.md): nothing stored; {@code seq} and {@code ts} are the first one's.
     */
    record Duplicate(long seq, Instant ts) implements Appended {
    }

    /** A reaction the user already had, or removed one it did not have: nothing stored. */
    record Unchanged() implements Appended {
    }

    /** Against the log's rules ({@link LogRules}): nothing stored, and the client hears why. */
    record Refused(ErrorCode code, String message) implements Appended {
    }
}
