package dev.parley.protocol;

/** The error codes of PROTOCOL.md, each with its kebab-case wire name. */
public enum ErrorCode {
    BAD_ROOM("bad-room"),
    BAD_FRAME("bad-frame"),
    BAD_JSON("bad-json"),
    UNKNOWN_TYPE("unknown-type"),
    NOT_JOINED("not-joined"),
    ALREADY_JOINED("already-joined"),
    BAD_NAME("bad-name"),
    NAME_TAKEN("name-taken"),
    BAD_TEXT("bad-text"),
    TOO_LONG("too-long"),
    NO_SUCH_USER("no-such-user"),
    RATE_LIMITED("rate-limited"),
    UNAUTHORIZED("unauthorized"),
    /** 1.1: a {@code ref} or {@code reply_to} that names no message of the room, or a deleted one. */
    NO_SUCH_MESSAGE("no-such-message"),
    /** 1.1: not the author, not a moderator, muted or banned. */
    FORBIDDEN("forbidden"),
    /** Parley's addition: the message could not be stored (the database is down); send it again. */
    UNAVAILABLE("unavailable");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
