package dev.parley.room;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.List;

/** The reasons Parley closes a connection with, as PROTOCOL.md's close codes. */
public final class CloseReasons {
    public static final CloseReason BAD_ROOM = new CloseReason(CloseCodes.VIOLATED_POLICY, "bad room");
    public static final CloseReason IDLE = new CloseReason(CloseCodes.NORMAL_CLOSURE, "idle timeout");
    public static final CloseReason FLOODING = new CloseReason(CloseCodes.VIOLATED_POLICY, "flooding");
    public static final CloseReason SLOW_CONSUMER = new CloseReason(CloseCodes.VIOLATED_POLICY, "slow consumer");
    public static final CloseReason TOO_BIG = new CloseReason(CloseCodes.TOO_BIG, "frame too big");
    public static final CloseReason PROTOCOL_ERROR = new CloseReason(CloseCodes.PROTOCOL_ERROR, "protocol error");
    public static final CloseReason SHUTTING_DOWN = new CloseReason(CloseCodes.GOING_AWAY, "server shutting down");
    public static final CloseReason ORIGIN_NOT_ALLOWED = new CloseReason(CloseCodes.VIOLATED_POLICY, "origin not allowed");
    public static final CloseReason TRY_AGAIN_LATER = new CloseReason(CloseCodes.TRY_AGAIN_LATER, "try again later");
    public static final CloseReason SERVER_ERROR = new CloseReason(CloseCodes.UNEXPECTED_CONDITION, "server error");

    /** An administrator disconnected the member (the admin view). */
    public static final CloseReason REMOVED = new CloseReason(CloseCodes.VIOLATED_POLICY, "removed by an administrator");
    /** An administrator closed the room: its members are closed, and so is every join until it is reopened. */
    public static final CloseReason ROOM_CLOSED = new CloseReason(CloseCodes.VIOLATED_POLICY, "room closed");

    /** Identity on: a join without a valid token, or one for a room the token does not allow. */
    public static final CloseReason UNAUTHORIZED = new CloseReason(CloseCodes.VIOLATED_POLICY, "unauthorized");
    /** Identity on: the connection's token expired and no fresh one came in an {@code auth} frame. */
    public static final CloseReason TOKEN_EXPIRED = new CloseReason(CloseCodes.VIOLATED_POLICY, "token expired");

    /** A new connection of the same client took the name back ({@code join} with {@code resume}). */
    public static final CloseReason REPLACED = new CloseReason(CloseCodes.NORMAL_CLOSURE, "replaced by a new connection");

    /** A moderator banned the user from the room (PROTOCOL.md 1.1). */
    public static final CloseReason BANNED = new CloseReason(CloseCodes.VIOLATED_POLICY, "banned");

    /** Every reason above. */
    public static final List<CloseReason> ALL = List.of(BAD_ROOM, IDLE, FLOODING, SLOW_CONSUMER, TOO_BIG, PROTOCOL_ERROR,
            SHUTTING_DOWN, ORIGIN_NOT_ALLOWED, TRY_AGAIN_LATER, SERVER_ERROR, REMOVED, ROOM_CLOSED, UNAUTHORIZED,
            TOKEN_EXPIRED, REPLACED, BANNED);

    private CloseReasons() {
    }
}
