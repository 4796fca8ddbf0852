package dev.parley.protocol;

import java.util.Map;

/** The {@code type} values a client may send. */
public enum InboundType {
    JOIN("join"),
    MESSAGE("message"),
    DIRECT("direct"),
    TYPING("typing"),
    HISTORY("history"),
    ROOMS("rooms"),
    PING("ping"),
    /** 1.1: the room's log. */
    EDIT("edit"),
    DELETE("delete"),
    REACT("react"),
    /** 1.1: a read position. */
    READ("read"),
    /** 1.1: a moderator's commands. */
    MUTE("mute"),
    BAN("ban"),
    UNMUTE("unmute"),
    UNBAN("unban"),
    /** Parley's addition: a fresh token. */
    AUTH("auth"),
    /** Parley's addition: a page of the room's names (large rooms). */
    MEMBERS("members");

    private static final Map<String, InboundType> BY_WIRE_NAME = Map.ofEntries(
            Map.entry("join", JOIN), Map.entry("message", MESSAGE), Map.entry("direct", DIRECT),
            Map.entry("typing", TYPING), Map.entry("history", HISTORY), Map.entry("rooms", ROOMS),
            Map.entry("ping", PING), Map.entry("auth", AUTH), Map.entry("edit", EDIT), Map.entry("delete", DELETE),
            Map.entry("react", REACT), Map.entry("read", READ), Map.entry("mute", MUTE), Map.entry("ban", BAN),
            Map.entry("unmute", UNMUTE), Map.entry("unban", UNBAN), Map.entry("members", MEMBERS));

    private final String wireName;

    InboundType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type with this wire name, or null. */
    public static InboundType of(String wireName) {
        return BY_WIRE_NAME.get(wireName);
    }

    /**
     * Whether answering this may wait for the store or the broker (a query, a Redis call):
     * then it is not answered on the thread that read it.
     */
    public boolean mayWait() {
        return this == JOIN || this == HISTORY || this == ROOMS || this == MEMBERS || this == DIRECT
                || this == AUTH // auth: a key fetch
                || this == MUTE || this == BAN || this == UNMUTE || this == UNBAN;
    }

    /** Whether a client may send this before its {@code join} succeeded. */
    public boolean allowedBeforeJoin() {
        return this == JOIN || this == PING;
    }
}
