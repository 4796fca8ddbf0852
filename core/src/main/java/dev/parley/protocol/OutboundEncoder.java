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

    /** The protocol version {@code welcome} names. */
    public static final String PROTOCOL = "1.1";

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
        StringWriter out = new StringWriter(frame instanceof Logged ? 160 : 96);
        try (JsonGenerator json = generators.createGenerator(out)) {
            json.writeStartObject();
            write(json, frame);
            json.writeEnd();
        }
        return out.toString();
    }

    /**
     * A room's entries as the server API answers them (SERVER-API.md): {@code {"room",
     * "messages": [...]}}, the entries exactly as a {@code history} frame holds them.
     */
    public String encodeLog(String room, List<? extends Logged> entries) {
        StringWriter out = new StringWriter(64 + 160 * entries.size());
        try (JsonGenerator json = generators.createGenerator(out)) {
            json.writeStartObject().write("room", room);
            writeMessages(json, "messages", entries);
            json.writeEnd();
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, Outbound frame) {
        if (frame instanceof Logged) {
            writeLogged(json, (Logged) frame);
        } else if (frame instanceof Outbound.Ack) {
            Outbound.Ack ack = (Outbound.Ack) frame;
            json.write("type", "ack");
            if (ack.cid() != null) {
                json.write("cid", ack.cid());
            }
            if (ack.seq() > 0) {
                json.write("seq", ack.seq());
            }
            if (ack.dup()) {
                json.write("dup", true);
            }
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
            writeNames(json, "users", welcome.users());
            writeMessages(json, "history", welcome.history());
            if (welcome.recovered() != null) {
                json.write("recovered", welcome.recovered());
            }
            json.write("protocol", PROTOCOL).write("read", welcome.read());
            if (welcome.moderator()) {
                json.write("moderator", true);
            }
            if (welcome.resume() != null) {
                json.write("resume", welcome.resume());
            }
            if (welcome.count() > 0) {
                json.write("count", welcome.count()).write("users_more", welcome.usersMore());
            }
        } else if (frame instanceof Outbound.Presence presence) {
            json.write("type", "presence").write("room", presence.room()).write("count", presence.count());
            writeNames(json, "joined", presence.joined());
            writeNames(json, "left", presence.left());
            json.write("more", presence.more()).write("ts", timestamp(presence.ts()));
        } else if (frame instanceof Outbound.Members members) {
            json.write("type", "members").write("room", members.room());
            writeNames(json, "users", members.users());
            json.write("count", members.count()).write("more", members.more());
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
                json.writeStartObject().write("room", room.room()).write("count", room.count());
                if (room.last() >= 0) {
                    json.write("last", room.last()).write("unread", room.unread());
                }
                json.writeEnd();
            }
            json.writeEnd();
        } else if (frame instanceof Outbound.Read read) {
            json.write("type", "read").write("room", read.room()).write("user", read.user()).write("seq", read.seq());
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
        } else if (frame instanceof Outbound.Reconnect reconnect) {
            json.write("type", "reconnect").write("after", reconnect.after());
        } else {
            throw new IllegalArgumentException("no encoding for " + frame.getClass());
        }
    }

    /** A message with its state as far as it has any (a live one has none), or an event of the log. */
    private static void writeLogged(JsonGenerator json, Logged logged) {
        if (logged instanceof ChatMessage message) {
            json.write("type", "message").write("room", message.room()).write("seq", message.seq())
                    .write("user", message.user()).write("text", message.text()).write("ts", timestamp(message.ts()));
            if (message.replyTo() > 0) {
                json.write("reply_to", message.replyTo());
            }
            if (message.edited() != null) {
                json.write("edited", timestamp(message.edited()));
            }
            if (!message.reactions().isEmpty()) {
                json.writeStartObject("reactions");
                for (Map.Entry<String, List<String>> reaction : message.reactions().entrySet()) {
                    json.writeStartArray(reaction.getKey());
                    reaction.getValue().forEach(json::write);
                    json.writeEnd();
                }
                json.writeEnd();
            }
            if (message.deleted()) {
                json.write("deleted", true);
            }
        } else if (logged instanceof Logged.Edit edit) {
            json.write("type", "edit").write("room", edit.room()).write("seq", edit.seq()).write("ref", edit.ref())
                    .write("user", edit.user()).write("text", edit.text()).write("ts", timestamp(edit.ts()));
        } else if (logged instanceof Logged.Delete delete) {
            json.write("type", "delete").write("room", delete.room()).write("seq", delete.seq())
                    .write("ref", delete.ref()).write("user", delete.user()).write("ts", timestamp(delete.ts()));
        } else if (logged instanceof Logged.React react) {
            json.write("type", "react").write("room", react.room()).write("seq", react.seq()).write("ref", react.ref())
                    .write("user", react.user()).write("emoji", react.emoji()).write("on", react.on())
                    .write("ts", timestamp(react.ts()));
        }
    }

    private static void writeNames(JsonGenerator json, String member, List<String> names) {
        json.writeStartArray(member);
        names.forEach(json::write);
        json.writeEnd();
    }

    private static void writeMessages(JsonGenerator json, String member, List<? extends Logged> entries) {
        json.writeStartArray(member);
        for (Logged entry : entries) {
            json.writeStartObject();
            writeLogged(json, entry);
            json.writeEnd();
        }
        json.writeEnd();
    }

    private static void writePresence(JsonGenerator json, String type, String room, String user, int count, Instant ts) {
        json.write("type", type).write("room", room).write("user", user).write("count", count)
                .write("ts", timestamp(ts));
    }
}
