package dev.parley.protocol;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** A server frame. {@link OutboundEncoder} is the only place that turns these into JSON. */
public sealed interface Outbound permits ChatMessage, Outbound.Welcome, Outbound.Joined, Outbound.Left,
        Outbound.Ack, Outbound.AuthAck, Outbound.Direct, Outbound.Typing, Outbound.History, Outbound.Rooms, Outbound.Pong,
        Outbound.Error {

    /** {@code recovered} is null when the join had no {@code since}. */
    /** {@code resume}: this connection's secret for taking its name back (none with identity on), or null. */
    record Welcome(String room, String user, List<String> users, List<ChatMessage> history, Boolean recovered,
                   String resume) implements Outbound {
    }

    record Joined(String room, String user, int count, Instant ts) implements Outbound {
    }

    record Left(String room, String user, int count, Instant ts) implements Outbound {
    }

    record Ack(String cid, long seq) implements Outbound {
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

    record History(String room, List<ChatMessage> messages) implements Outbound {
    }

    record Rooms(List<RoomCount> rooms) implements Outbound {
    }

    record RoomCount(String room, int count) {
    }

    /** Echoes every member of the ping but {@code type}. */
    record Pong(JsonObject ping) implements Outbound {
    }

    /** {@code cid} may be null. */
    record Error(ErrorCode code, String message, String cid) implements Outbound {
    }
}
