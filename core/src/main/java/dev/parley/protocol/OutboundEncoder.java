package dev.parley.protocol;

import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Writes server frames as JSON with JSON-P. The only place that produces outbound JSON;
 * callers encode a frame once and hand the same String to every recipient.
 * Thread-safe.
 *
 * <pre>
 * {"type":"message","room":"lobby","seq":42,"user":"ada","text":"hi","ts":"2026-11-21T21:00:00.123Z"}
 * </pre>
 */
public final class OutboundEncoder {
    /** ISO-8601 UTC, always with milliseconds (Instant.toString drops them when zero). */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final JsonGeneratorFactory generators;

    public OutboundEncoder() {
        this(JsonProvider.provider());
    }

    public OutboundEncoder(JsonProvider json) {
        this.generators = json.createGeneratorFactory(Map.of());
    }

    public static String timestamp(Instant ts) {
        return TIMESTAMP.format(ts);
    }

    public String encode(Outbound frame) {
        StringWriter out = new StringWriter(frame instanceof ChatMessage ? 160 : 96);
        try (JsonGenerator json = generators.createGenerator(out)) {
            json.writeStartObject();
            write(json, frame);
            json.writeEnd();
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, Outbound frame) {
        if (frame instanceof ChatMessage) {
            writeMessage(json, (ChatMessage) frame);
        } else if (frame instanceof Outbound.Ack) {
            Outbound.Ack ack = (Outbound.Ack) frame;
            json.write("type", "ack").write("cid", ack.cid()).write("seq", ack.seq());
        } else if (frame instanceof Outbound.AuthAck) {
            Outbound.AuthAck ack = (Outbound.AuthAck) frame;
            json.write("type", "ack");
            if (ack.cid() != null) {
                json.write("cid", ack.cid());
            }
            json.write("expires", timestamp(ack.expires()));
        } else if (frame instanceof Outbound.Typing) {
            Outbound.Typing typing = (Outbound.Typing) frame;
            json.write("type", "typing").write("room", typing.room()).write("user", typing.user());
        } else if (frame instanceof Outbound.Joined) {
            Outbound.Joined joined = (Outbound.Joined) frame;
            writePresence(json, "joined", joined.room(), joined.user(), joined.count(), joined.ts());
        } else if (frame instanceof Outbound.Left) {
            Outbound.Left left = (Outbound.Left) frame;
            writePresence(json, "left", left.room(), left.user(), left.count(), left.ts());
        } else if (frame instanceof Outbound.Welcome) {
            Outbound.Welcome welcome = (Outbound.Welcome) frame;
            json.write("type", "welcome").write("room", welcome.room()).write("user", welcome.user());
            json.writeStartArray("users");
            welcome.users().forEach(json::write);
            json.writeEnd();
            writeMessages(json, "history", welcome.history());
            if (welcome.recovered() != null) {
                json.write("recovered", welcome.recovered());
            }
            if (welcome.resume() != null) {
                json.write("resume", welcome.resume());
            }
        } else if (frame instanceof Outbound.Direct) {
            Outbound.Direct direct = (Outbound.Direct) frame;
            json.write("type", "direct").write("room", direct.room()).write("from", direct.from())
                    .write("to", direct.to()).write("text", direct.text()).write("ts", timestamp(direct.ts()));
        } else if (frame instanceof Outbound.History) {
            Outbound.History history = (Outbound.History) frame;
            json.write("type", "history").write("room", history.room());
            writeMessages(json, "messages", history.messages());
        } else if (frame instanceof Outbound.Rooms) {
            json.write("type", "rooms").writeStartArray("rooms");
            for (Outbound.RoomCount room : ((Outbound.Rooms) frame).rooms()) {
                json.writeStartObject().write("room", room.room()).write("count", room.count()).writeEnd();
            }
            json.writeEnd();
        } else if (frame instanceof Outbound.Pong) {
            json.write("type", "pong");
            for (Map.Entry<String, JsonValue> member : ((Outbound.Pong) frame).ping().entrySet()) {
                if (!member.getKey().equals("type")) {
                    json.write(member.getKey(), member.getValue());
                }
            }
        } else if (frame instanceof Outbound.Error) {
            Outbound.Error error = (Outbound.Error) frame;
            json.write("type", "error").write("code", error.code().wireName()).write("message", error.message());
            if (error.cid() != null) {
                json.write("cid", error.cid());
            }
        } else {
            throw new IllegalArgumentException("no encoding for " + frame.getClass());
        }
    }

    private static void writeMessage(JsonGenerator json, ChatMessage message) {
        json.write("type", "message").write("room", message.room()).write("seq", message.seq())
                .write("user", message.user()).write("text", message.text()).write("ts", timestamp(message.ts()));
    }

    private static void writeMessages(JsonGenerator json, String member, List<ChatMessage> messages) {
        json.writeStartArray(member);
        for (ChatMessage message : messages) {
            json.writeStartObject();
            writeMessage(json, message);
            json.writeEnd();
        }
        json.writeEnd();
    }

    private static void writePresence(JsonGenerator json, String type, String room, String user, int count, Instant ts) {
        json.write("type", type).write("room", room).write("user", user).write("count", count)
                .write("ts", timestamp(ts));
    }
}
