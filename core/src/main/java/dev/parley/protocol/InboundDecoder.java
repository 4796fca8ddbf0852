package dev.parley.protocol;

import static dev.parley.protocol.ErrorCode.BAD_JSON;
import static dev.parley.protocol.ErrorCode.BAD_NAME;
import static dev.parley.protocol.ErrorCode.BAD_TEXT;
import static dev.parley.protocol.ErrorCode.NO_SUCH_MESSAGE;
import static dev.parley.protocol.ErrorCode.NO_SUCH_USER;
import static dev.parley.protocol.ErrorCode.TOO_LONG;
import static dev.parley.protocol.ErrorCode.UNAUTHORIZED;
import static dev.parley.protocol.ErrorCode.UNKNOWN_TYPE;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Turns a client's text frame into a validated {@link Inbound} record, or into the
 * {@link ProtocolException} that PROTOCOL.md names for it. The only place that reads
 * client JSON, so the only place that must expect anything: whatever the frame holds,
 * the answer is a record or a ProtocolException, and every string in a record (and every
 * member a {@code pong} echoes) is valid Unicode that can be written back out.
 * Thread-safe.
 */
public final class InboundDecoder {
    public static final int MAX_NAME = 32;
    public static final int MAX_TEXT = 4000;
    public static final int MAX_CID = 64;
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 50;
    /** {@code members}: the most names a page may ask for, the default, and the longest {@code after}. */
    public static final int MAX_MEMBERS = 500;
    public static final int DEFAULT_MEMBERS = 100;
    static final int MAX_AFTER = 128;
    public static final int MAX_EMOJI = 16;
    /** The longest mute or timed ban: 30 days. */
    public static final long MAX_SANCTION_SECONDS = 2_592_000;

    private final JsonParserFactory parsers;
    private final boolean tokens;

    /** Without identity: {@code join} names its user. */
    public InboundDecoder() {
        this(JsonProvider.provider(), false);
    }

    /**
     * @param tokens whether identity is on: then {@code join} must carry a string {@code token}
     *               (else {@code unauthorized}), and its {@code user}, if any, is ignored
     */
    public InboundDecoder(JsonProvider json, boolean tokens) {
        this.parsers = json.createParserFactory(Map.of());
        this.tokens = tokens;
    }

    public Inbound decode(String frame) throws ProtocolException {
        JsonObject json = parse(frame);
        String cid = validCid(json);
        JsonValue typeValue = json.get("type");
        if (!(typeValue instanceof JsonString)) {
            throw new ProtocolException(BAD_JSON, "A frame must be a JSON object with a string member \"type\".", null, cid);
        }
        String typeName = ((JsonString) typeValue).getString();
        InboundType type = InboundType.of(typeName);
        if (type == null) {
            throw new ProtocolException(UNKNOWN_TYPE, Unicode.isValid(typeName)
                    ? "Unknown frame type \"" + abbreviate(typeName) + "\"." : "Unknown frame type.", null, cid);
        }
        switch (type) {
            case JOIN:
                return tokens ? new Inbound.Join(null, nonNegative(json, "since", type, cid), token(json, type, cid), null)
                        : new Inbound.Join(name(json, cid), nonNegative(json, "since", type, cid), null, resume(json));
            case AUTH:
                return new Inbound.Auth(token(json, type, cid), checkedCid(json, type, cid));
            case MESSAGE:
                return new Inbound.Message(text(json, type, cid), checkedCid(json, type, cid), replyTo(json, cid));
            case EDIT:
                return new Inbound.Edit(ref(json, "ref", type, cid), text(json, type, cid), checkedCid(json, type, cid));
            case DELETE:
                return new Inbound.Delete(ref(json, "ref", type, cid), checkedCid(json, type, cid));
            case REACT:
                return new Inbound.React(ref(json, "ref", type, cid), emoji(json, cid), on(json, cid),
                        checkedCid(json, type, cid));
            case DIRECT:
                return new Inbound.Direct(recipient(json, cid), text(json, type, cid), checkedCid(json, type, cid));
            case TYPING:
                return new Inbound.Typing();
            case MUTE:
            case BAN:
            case UNMUTE:
            case UNBAN:
                return new Inbound.Moderate(type, target(json, type, cid), seconds(json, type, cid),
                        checkedCid(json, type, cid));
            case READ:
                OptionalLong seq = nonNegative(json, "seq", type, cid);
                if (seq.isEmpty()) {
                    throw new ProtocolException(BAD_JSON, "read needs \"seq\": a non-negative integer.", type, cid);
                }
                return new Inbound.Read(seq.getAsLong());
            case HISTORY:
                return new Inbound.History(nonNegative(json, "before", type, cid),
                        limit(json, type, cid, DEFAULT_LIMIT, MAX_LIMIT));
            case ROOMS:
                return new Inbound.Rooms();
            case MEMBERS:
                return new Inbound.Members(after(json, cid), limit(json, type, cid, DEFAULT_MEMBERS, MAX_MEMBERS));
            case PING:
                if (!allValid(json)) {
                    throw new ProtocolException(BAD_JSON, "Strings must be valid Unicode (no unpaired surrogates).",
                            type, cid);
                }
                return new Inbound.Ping(json);
            default:
                throw new AssertionError(type);
        }
    }

    private JsonObject parse(String frame) throws ProtocolException {
        try (JsonParser parser = parsers.createParser(new StringReader(frame))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new ProtocolException(BAD_JSON, "A frame must be one JSON object.", null, null);
            }
            JsonObject json = parser.getObject();
            if (parser.hasNext()) {
                throw new ProtocolException(BAD_JSON, "A frame must hold exactly one JSON object.", null, null);
            }
            return json;
        } catch (RuntimeException | StackOverflowError e) {
            // not JSON, or JSON past the parser's limits (nesting, digits): the same to a client
            throw new ProtocolException(BAD_JSON, "The frame is not valid JSON.", null, null);
        }
    }

    private static String name(JsonObject json, String cid) throws ProtocolException {
        JsonValue value = json.get("user");
        if (!(value instanceof JsonString)) {
            throw new ProtocolException(BAD_NAME, "join needs a string member \"user\".", InboundType.JOIN, cid);
        }
        return validName(((JsonString) value).getString(), cid);
    }

    /** {@code join}'s {@code resume}: a string of 1 to 64 characters, else none (a hint, never an error). */
    private static String resume(JsonObject json) {
        JsonValue value = json.get("resume");
        if (value instanceof JsonString s && !s.getString().isEmpty() && s.getString().length() <= 64) {
            return s.getString();
        }
        return null;
    }

    /** A token as sent (its checks are the identity's); missing or not a string: unauthorized. */
    private static String token(JsonObject json, InboundType type, String cid) throws ProtocolException {
        JsonValue value = json.get("token");
        if (!(value instanceof JsonString) || !Unicode.isValid(((JsonString) value).getString())) {
            throw new ProtocolException(UNAUTHORIZED, type == InboundType.JOIN
                    ? "This server names users by signed tokens: join needs a string member \"token\"."
                    : "auth needs a string member \"token\".", type, cid);
        }
        return ((JsonString) value).getString();
    }

    /**
     * The name a raw {@code user} gives by the name rules (trimmed, NFC, 1 to
     * {@value #MAX_NAME} characters, nothing invisible or controlling), or {@code bad-name}.
     */
    public static String validName(String raw) throws ProtocolException {
        return validName(raw, null);
    }

    private static String validName(String raw, String cid) throws ProtocolException {
        if (!Unicode.isValid(raw)) {
            throw new ProtocolException(BAD_NAME, "A name must be valid Unicode (no unpaired surrogates).",
                    InboundType.JOIN, cid);
        }
        String name = Unicode.normalize(Unicode.strip(raw));
        if (name.isEmpty() || Unicode.longerThan(name, MAX_NAME)) {
            throw new ProtocolException(BAD_NAME, "A name has 1 to " + MAX_NAME + " characters.", InboundType.JOIN, cid);
        }
        if (Unicode.hasControl(name)) {
            throw new ProtocolException(BAD_NAME, "A name must not contain control characters.", InboundType.JOIN, cid);
        }
        if (Unicode.hasInvisible(name)) {
            throw new ProtocolException(BAD_NAME,
                    "A name must not contain invisible or direction-changing characters.", InboundType.JOIN, cid);
        }
        return name;
    }

    private static String text(JsonObject json, InboundType type, String cid) throws ProtocolException {
        JsonValue value = json.get("text");
        if (!(value instanceof JsonString)) {
            throw new ProtocolException(BAD_TEXT, type.wireName() + " needs a string member \"text\".", type, cid);
        }
        return validText(((JsonString) value).getString(), type, cid);
    }

    /** A message's text by the text rules (at most {@value #MAX_TEXT} characters, valid Unicode, not blank), or why not. */
    public static String validText(String text) throws ProtocolException {
        return validText(text, InboundType.MESSAGE, null);
    }

    private static String validText(String text, InboundType type, String cid) throws ProtocolException {
        if (Unicode.longerThan(text, MAX_TEXT)) {
            throw new ProtocolException(TOO_LONG, "A text has at most " + MAX_TEXT + " characters.", type, cid);
        }
        if (!Unicode.isValid(text)) {
            throw new ProtocolException(BAD_TEXT, "A text must be valid Unicode (no unpaired surrogates).", type, cid);
        }
        if (Unicode.isBlank(text)) {
            throw new ProtocolException(BAD_TEXT, "A text must not be blank.", type, cid);
        }
        return text;
    }

    /**
     * A message's seq where a frame names one ({@code ref}, {@code reply_to}): a positive
     * integer, else it names no message, which is what the client hears.
     */
    private static long ref(JsonObject json, String member, InboundType type, String cid) throws ProtocolException {
        OptionalLong seq = integer(json.getOrDefault(member, JsonValue.NULL));
        if (seq.isEmpty() || seq.getAsLong() < 1) {
            throw new ProtocolException(NO_SUCH_MESSAGE, type.wireName() + " needs \"" + member
                    + "\": the seq of a message in this room.", type, cid);
        }
        return seq.getAsLong();
    }

    /** {@code message}'s {@code reply_to}: absent or null for none. */
    private static long replyTo(JsonObject json, String cid) throws ProtocolException {
        JsonValue value = json.get("reply_to");
        return value == null || value == JsonValue.NULL ? 0 : ref(json, "reply_to", InboundType.MESSAGE, cid);
    }

    /** An emoji: 1 to {@value #MAX_EMOJI} code points of valid Unicode, no white space and no control characters. */
    private static String emoji(JsonObject json, String cid) throws ProtocolException {
        JsonValue value = json.get("emoji");
        String emoji = value instanceof JsonString s ? s.getString() : null;
        if (emoji == null || emoji.isEmpty() || !Unicode.isValid(emoji) || Unicode.longerThan(emoji, MAX_EMOJI)
                || Unicode.hasControl(emoji) || Unicode.hasWhitespace(emoji)) {
            throw new ProtocolException(BAD_TEXT, "emoji is 1 to " + MAX_EMOJI
                    + " characters with no white space.", InboundType.REACT, cid);
        }
        return emoji;
    }

    /** The user a moderator's command names, by the name rules: else {@code bad-name}. */
    private static String target(JsonObject json, InboundType type, String cid) throws ProtocolException {
        JsonValue value = json.get("user");
        if (!(value instanceof JsonString)) {
            throw new ProtocolException(BAD_NAME, type.wireName() + " needs a string member \"user\".", type, cid);
        }
        try {
            return validName(((JsonString) value).getString());
        } catch (ProtocolException e) {
            throw new ProtocolException(BAD_NAME, e.getMessage(), type, cid);
        }
    }

    /** A mute's {@code seconds} (required), a ban's (absent: 0, for ever); none for the others. */
    private static long seconds(JsonObject json, InboundType type, String cid) throws ProtocolException {
        if (type == InboundType.UNMUTE || type == InboundType.UNBAN) {
            return 0;
        }
        JsonValue value = json.get("seconds");
        if (type == InboundType.BAN && (value == null || value == JsonValue.NULL)) {
            return 0;
        }
        OptionalLong seconds = value == null ? OptionalLong.empty() : integer(value);
        if (seconds.isEmpty() || seconds.getAsLong() < 1 || seconds.getAsLong() > MAX_SANCTION_SECONDS) {
            throw new ProtocolException(BAD_JSON, type.wireName() + " needs \"seconds\": an integer from 1 to "
                    + MAX_SANCTION_SECONDS + ".", type, cid);
        }
        return seconds.getAsLong();
    }

    /** {@code react}'s {@code on}: a boolean. */
    private static boolean on(JsonObject json, String cid) throws ProtocolException {
        JsonValue value = json.get("on");
        if (value != JsonValue.TRUE && value != JsonValue.FALSE) {
            throw new ProtocolException(BAD_JSON, "react needs a boolean member \"on\".", InboundType.REACT, cid);
        }
        return value == JsonValue.TRUE;
    }

    /** The name {@code to} gives, spelled as names are; a {@code to} that can be no one's name is no-such-user. */
    private static String recipient(JsonObject json, String cid) throws ProtocolException {
        JsonValue value = json.get("to");
        if (!(value instanceof JsonString)) {
            throw new ProtocolException(NO_SUCH_USER, "direct needs a string member \"to\" naming a user in this room.",
                    InboundType.DIRECT, cid);
        }
        String to = ((JsonString) value).getString();
        if (!Unicode.isValid(to) || Unicode.longerThan(to = Unicode.normalize(Unicode.strip(to)), MAX_NAME)) {
            throw new ProtocolException(NO_SUCH_USER, "Nobody by that name is in this room.", InboundType.DIRECT, cid);
        }
        return to;
    }

    /** Whether {@code id} may be a cid (or the server API's idempotency key): 1 to {@value #MAX_CID} characters of valid Unicode. */
    public static boolean validId(String id) {
        return !id.isEmpty() && !Unicode.longerThan(id, MAX_CID) && Unicode.isValid(id);
    }

    /** The frame's cid if it is a valid string of at most MAX_CID characters, else null. */
    private static String validCid(JsonObject json) {
        JsonValue value = json.get("cid");
        if (value instanceof JsonString) {
            String cid = ((JsonString) value).getString();
            return Unicode.longerThan(cid, MAX_CID) || !Unicode.isValid(cid) ? null : cid;
        }
        return null;
    }

    /** Whether every member name and string in the value, at any depth, is valid Unicode. */
    private static boolean allValid(JsonValue value) {
        if (value instanceof JsonString) {
            return Unicode.isValid(((JsonString) value).getString());
        }
        if (value instanceof JsonObject) {
            for (Map.Entry<String, JsonValue> member : ((JsonObject) value).entrySet()) {
                if (!Unicode.isValid(member.getKey()) || !allValid(member.getValue())) {
                    return false;
                }
            }
        } else if (value instanceof JsonArray) {
            for (JsonValue item : (JsonArray) value) {
                if (!allValid(item)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** For frames that define cid: absent or null is fine, anything but a valid one is not. */
    private static String checkedCid(JsonObject json, InboundType type, String cid) throws ProtocolException {
        JsonValue value = json.get("cid");
        if (cid == null && value != null && value != JsonValue.NULL) {
            throw new ProtocolException(BAD_JSON, "cid must be a string of at most " + MAX_CID + " characters.", type, null);
        }
        return cid;
    }

    private static OptionalLong nonNegative(JsonObject json, String member, InboundType type, String cid)
            throws ProtocolException {
        JsonValue value = json.get(member);
        if (value == null || value == JsonValue.NULL) {
            return OptionalLong.empty();
        }
        OptionalLong n = integer(value);
        if (n.isEmpty() || n.getAsLong() < 0) {
            throw new ProtocolException(BAD_JSON, member + " must be a non-negative integer.", type, cid);
        }
        return n;
    }

    /** {@code limit}: absent or null for {@code byDefault}, else an integer from 1 to {@code max}. */
    private static int limit(JsonObject json, InboundType type, String cid, int byDefault, int max)
            throws ProtocolException {
        JsonValue value = json.get("limit");
        if (value == null || value == JsonValue.NULL) {
            return byDefault;
        }
        OptionalLong n = integer(value);
        if (n.isEmpty() || n.getAsLong() < 1 || n.getAsLong() > max) {
            throw new ProtocolException(BAD_JSON, "limit must be an integer from 1 to " + max + ".", type, cid);
        }
        return (int) n.getAsLong();
    }

    /** {@code members.after}: absent, null, or a string of at most {@value #MAX_AFTER} characters, a name or not. */
    private static String after(JsonObject json, String cid) throws ProtocolException {
        JsonValue value = json.get("after");
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonString) || ((JsonString) value).getString().length() > MAX_AFTER) {
            throw new ProtocolException(BAD_JSON, "after must be a string of at most " + MAX_AFTER + " characters.",
                    InboundType.MEMBERS, cid);
        }
        return ((JsonString) value).getString();
    }

    /** The value as a long, if it is an integral JSON number that fits one. */
    private static OptionalLong integer(JsonValue value) {
        if (value instanceof JsonNumber) {
            try {
                JsonNumber number = (JsonNumber) value;
                return number.isIntegral() ? OptionalLong.of(number.longValueExact()) : OptionalLong.empty();
            } catch (ArithmeticException | UnsupportedOperationException tooBig) { // or past the parser's limits
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    private static String abbreviate(String s) {
        return s.codePointCount(0, s.length()) <= 32 ? s : s.substring(0, s.offsetByCodePoints(0, 32)) + "…";
    }
}
