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
    /** Parley's addition: a fresh token. */
    AUTH("auth");

    private static final Map<String, InboundType> BY_WIRE_NAME = Map.of(
            "join", JOIN, "message", MESSAGE, "direct", DIRECT, "typing", TYPING,
            "history", HISTORY, "rooms", ROOMS, "ping", PING, "auth", AUTH);

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
        return this == JOIN || this == HISTORY || this == ROOMS || this == DIRECT || this == AUTH; // auth: a key fetch
    }

    /** Whether a client may send this before its {@code join} succeeded. */
    public boolean allowedBeforeJoin() {
        return this == JOIN || this == PING;
    }
}
