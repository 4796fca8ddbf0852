package dev.parley.protocol;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** A server frame. {@link OutboundEncoder} is the only place that turns these into JSON. */
public sealed interface Outbound permits Logged, Outbound.Welcome, Outbound.Joined, Outbound.Left,
        Outbound.Ack, Outbound.AuthAck, Outbound.Read, Outbound.Direct, Outbound.Typing, Outbound.History, Outbound.Rooms, Outbound.Pong,
        Outbound.Error, Outbound.Presence, Outbound.Members,
        Outbound.Reconnect {

    /** {@code recovered} is null when the join had no {@code since}. */
    /** {@code resume}: this connection's secret for taking its name back (none with identity on), or null. */
    /**
     * {@code read}: the user's kept read position in the room (1.1), 0 when none;
     * {@code moderator}: Parley's addition, whether the user moderates the room (its token's {@code mod} claim).
     */
    /**
     * {@code count} above 0: the room is large (docs/PROTOCOL.md, "Large rooms"), {@code users}
     * is its first page of names, and {@code usersMore} says whether more follow.
     */
    record Welcome(String room, String user, List<String> users, List<? extends Logged> history, Boolean recovered,
                   String resume, long read, boolean moderator, int count, boolean usersMore) implements Outbound {
        public Welcome(String room, String user, List<String> users, List<? extends Logged> history, Boolean recovered,
                       String resume) {
            this(room, user, users, history, recovered, resume, 0, false, 0, false);
        }
    }

    /**
     * Parley's addition for large rooms: who came and went since the last one (at most
     * {@code LISTED} names each, {@code more} counting the changes not listed), and the count now.
     */
    record Presence(String room, int count, List<String> joined, List<String> left, int more, Instant ts)
            implements Outbound {
    }

    /** Parley's addition: the answer to {@code members}, a page of the room's names. */
    record Members(String room, List<String> users, int count, boolean more) implements Outbound {
    }

    record Joined(String room, String user, int count, Instant ts) implements Outbound {
    }

    record Left(String room, String user, int count, Instant ts) implements Outbound {
    }

    /**
     * {@code seq} 0: none (a {@code react} that changed nothing, a moderator's command);
     * {@code dup}: the frame's cid was used already, and {@code seq} is the first one's (1.1).
     */
    record Ack(String cid, long seq, boolean dup) implements Outbound {
        public Ack(String cid, long seq) {
            this(cid, seq, false);
        }
    }

    /**
     * Parley's addition: the answer to {@code auth}, an {@code ack} with the frame's cid (if
     * it had one) and no seq, and when the new token expires.
     */
    record AuthAck(String cid, Instant expires) implements Outbound {
    }

    record Direct(String room, String from, String to, String text, Instant ts) implements Outbound {
    }

    record Typing(String room, String user) implements Outbound {
    }

    record History(String room, List<? extends Logged> messages) implements Outbound {
    }

    record Rooms(List<RoomCount> rooms) implements Outbound {
    }

    /** {@code last} and {@code unread} (1.1): the room's newest seq, and what the asking user has not read; -1 where unknown. */
    record RoomCount(String room, int count, long last, long unread) {
        public RoomCount(String room, int count) {
            this(room, count, -1, -1);
        }

        public RoomCount withReading(long newest, long notRead) {
            return new RoomCount(room, count, newest, notRead);
        }
    }

    /** {@code read} (1.1): {@code user}'s read position in the room. */
    record Read(String room, String user, long seq) implements Outbound {
    }

    /** Echoes every member of the ping but {@code type}. */
    record Pong(JsonObject ping) implements Outbound {
    }

    /** {@code cid} may be null. */
    record Error(ErrorCode code, String message, String cid) implements Outbound {
    }

    /**
     * Parley's addition, sent before a close with 1001 or 1013: come back no sooner than
     * {@code after} milliseconds (PROTOCOL.md, Closing).
     */
    record Reconnect(long after) implements Outbound {
    }
}
