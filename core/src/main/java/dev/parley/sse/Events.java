package dev.parley.sse;

import jakarta.websocket.CloseReason;
import jakarta.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * The event stream's bytes (docs/PROTOCOL.md, "HTTP transport"): a frame is one event, its
 * JSON on one {@code data:} line (the encoder never writes a line break: JSON escapes them
 * in strings, and it puts none between tokens). A {@code message} frame (or an {@code edit},
 * {@code delete} or {@code react}) carries its seq as the event id, a {@code welcome} the seq of its newest history message, so that a
 * browser's {@code Last-Event-ID} is the newest seq the stream delivered.
 */
final class Events {
    /** Sent when nothing else was written for a while: proxies see traffic, clients ignore it. */
    static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.US_ASCII);
    /** The frames of a room's log (PROTOCOL.md 1.1): each has the room's seq as its third member. */
    private static final java.util.List<String> LOGGED = java.util.List.of("{\"type\":\"message\",",
            "{\"type\":\"edit\",", "{\"type\":\"delete\",", "{\"type\":\"react\",");
    private static final String WELCOME = "{\"type\":\"welcome\",";
    private static final String SEQ = "\"seq\":";

    private Events() {
    }

    /** The first event: the reconnect delay and the connection's id. */
    static byte[] opening(String id, long retryMillis) {
        return ("retry: " + retryMillis + "\nevent: connection\ndata: {\"id\":\"" + id + "\"}\n\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One server frame as an event. */
    static byte[] frame(String json) {
        long id = eventId(json);
        String event = id < 0 ? "data: " + json + "\n\n" : "id: " + id + "\ndata: " + json + "\n\n";
        return event.getBytes(StandardCharsets.UTF_8);
    }

    /** The last event: how the server closed the connection, as a WebSocket close would say. */
    static byte[] close(CloseReason reason) {
        String data = Json.createObjectBuilder().add("code", reason.getCloseCode().getCode())
                .add("reason", reason.getReasonPhrase()).build().toString();
        return ("event: close\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A message's seq, a welcome's newest history seq, or -1. The encoder writes {@code type}
     * first and a message's {@code seq} third; {@code "seq":} cannot occur inside a string
     * value (its quotes would be escaped), so in a welcome the last one is the newest
     * history message's (history is oldest first).
     */
    static long eventId(String json) {
        int at = -1;
        if (json.startsWith(WELCOME)) {
            at = json.lastIndexOf(SEQ);
        } else {
            for (String logged : LOGGED) {
                if (json.startsWith(logged)) {
                    at = json.indexOf(SEQ, logged.length());
                    break;
                }
            }
        }
        if (at < 0) {
            return -1;
        }
        long seq = 0;
        int digits = 0;
        for (int i = at + SEQ.length(); i < json.length() && digits < 18; i++, digits++) {
            char c = json.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            seq = seq * 10 + (c - '0');
        }
        return digits == 0 ? -1 : seq;
    }
}
