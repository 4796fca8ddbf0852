package dev.parley.bench.vertx;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The benchmark's lean JVM reference (docs/BENCHMARKS.md): Parley's wire protocol
 * (shared/PROTOCOL.md) on Vert.x 5, for exactly the duties the load generator and the
 * Socket.IO reference exercise: join (welcome with the users and the newest 50 messages, or
 * bad-name, name-taken, already-joined), message (a seq and a timestamp per room, the newest
 * 10,000 kept in memory, an ack to the sender when it gave a cid, then the message to everyone
 * in the room, sender included), joined and left to the others, ping and pong, and the errors
 * a careless client meets (bad-room, bad-json, bad-frame, not-joined, unknown-type, bad-text,
 * too-long). Not served: recovery ({@code since}), direct, typing, history, rooms.
 *
 * <p>One event loop and one verticle: all state lives on that thread, so none of it is
 * synchronised. A broadcast encodes its frame once (see {@link #broadcast}).
 *
 * <pre>
 *   java -jar parley-bench-vertx.jar [port]     (prints "listening &lt;port&gt;" when ready)
 * </pre>
 */
public final class ChatServer extends VerticleBase {
    private static final int KEEP = 10_000;
    private static final int WELCOME_HISTORY = 50;
    private static final int MAX_NAME = 32;
    private static final int MAX_TEXT = 4000;
    private static final int MAX_CID = 64;
    private static final int MAX_FRAME = 16 * 1024;
    private static final String CHAT = "/chat/";
    private static final Pattern ROOM = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** A room: its seq, its newest message frames (as broadcast) and its members by name, sorted. */
    private static final class Room {
        final String name;
        long seq;
        final ArrayDeque<JsonObject> history = new ArrayDeque<>();
        final TreeMap<String, Member> members = new TreeMap<>();

        Room(String name) {
            this.name = name;
        }

        void remember(JsonObject message) {
            if (history.size() == KEEP) {
                history.removeFirst();
            }
            history.addLast(message);
        }

        /** The newest n messages, oldest first. */
        List<Object> newest(int n) {
            ArrayList<Object> out = new ArrayList<>(Math.min(n, history.size()));
            for (Iterator<JsonObject> i = history.descendingIterator(); i.hasNext() && out.size() < n; ) {
                out.add(i.next());
            }
            Collections.reverse(out);
            return out;
        }
    }

    /** One WebSocket: the room its path names, and once joined the Room and its user's name. */
    private static final class Member {
        final ServerWebSocket ws;
        final String roomName;
        Room room;
        String user;

        Member(ServerWebSocket ws, String roomName) {
            this.ws = ws;
            this.roomName = roomName;
        }
    }

    private final int port;
    private final Map<String, Room> rooms = new HashMap<>();
    private long tsMillis = -1;
    private String ts;

    private ChatServer(int port) {
        this.port = port;
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1) // never used: nothing here blocks
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions() // no cache directory, no class-path files
                        .setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        vertx.deployVerticle(new ChatServer(port)).onFailure(e -> {
            e.printStackTrace();
            System.exit(1);
        });
        // SIGTERM: the JVM's default handler exits; nothing here needs to be flushed
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setMaxWebSocketFrameSize(MAX_FRAME) // larger: closed with 1009 (open's exceptionHandler)
                .setMaxWebSocketMessageSize(MAX_FRAME);
        return vertx.createHttpServer(options)
                .requestHandler(this::http)
                .webSocketHandler(this::open)
                .listen()
                .onSuccess(server -> System.out.println("listening " + server.actualPort()));
    }

    /** GET /health (bench/run's readiness check); nothing else. */
    private void http(HttpServerRequest request) {
        if (request.path().equals("/health")) {
            request.response().end("ok");
        } else {
            request.response().setStatusCode(HttpResponseStatus.NOT_FOUND.code()).end();
        }
    }

    private void open(ServerWebSocket ws) {
        String path = ws.path();
        String roomName = path.startsWith(CHAT) ? path.substring(CHAT.length()) : "";
        if (!ROOM.matcher(roomName).matches()) {
            send(ws, error("bad-room", "A room name matches [a-z0-9][a-z0-9_-]{0,63}.", null));
            ws.close((short) 1008, "bad room");
            return;
        }
        Member member = new Member(ws, roomName);
        ws.textMessageHandler(text -> receive(member, text));
        ws.binaryMessageHandler(data -> send(ws,
                error("bad-frame", "Frames are JSON text; binary frames are not accepted.", null)));
        ws.exceptionHandler(e -> {
            // Vert.x has Netty's decoder throw on a frame over the limit, then drops the
            // connection; PROTOCOL.md wants 1009 first. Other failures: the close handler follows.
            if (e instanceof CorruptedWebSocketFrameException
                    && ((CorruptedWebSocketFrameException) e).closeStatus().equals(WebSocketCloseStatus.MESSAGE_TOO_BIG)) {
                ws.close((short) 1009, "frame too big");
            }
        });
        ws.closeHandler(none -> leave(member));
    }

    // ---------- client to server ----------

    private void receive(Member member, String text) {
        Object value;
        try {
            value = Json.decodeValue(text);
        } catch (RuntimeException | StackOverflowError e) {
            value = null;
        }
        if (!(value instanceof JsonObject)) {
            send(member, error("bad-json", "The frame is not one valid JSON object.", null));
            return;
        }
        JsonObject frame = (JsonObject) value;
        String cid = validCid(frame.getValue("cid"));
        Object type = frame.getValue("type");
        if (!(type instanceof String)) {
            send(member, error("bad-json", "A frame must be a JSON object with a string member \"type\".", cid));
            return;
        }
        switch ((String) type) {
            case "join":
                join(member, frame, cid);
                break;
            case "message":
                message(member, frame, cid);
                break;
            case "ping":
                pong(member, frame);
                break;
            default:
                send(member, error("unknown-type", "This benchmark server serves join, message and ping only.", cid));
        }
    }

    private void join(Member member, JsonObject frame, String cid) {
        if (member.room != null) {
            send(member, error("already-joined", "This connection has joined already.", cid));
            return;
        }
        Object user = frame.getValue("user");
        if (!(user instanceof String)) {
            send(member, error("bad-name", "join needs a string member \"user\".", cid));
            return;
        }
        String name = strip((String) user);
        if (!isValid(name) || name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME || hasControl(name)) {
            send(member, error("bad-name",
                    "A name has 1 to " + MAX_NAME + " characters, none of them control characters.", cid));
            return;
        }
        Room room = rooms.computeIfAbsent(member.roomName, Room::new);
        if (room.members.containsKey(name)) {
            send(member, error("name-taken", "The name \"" + name + "\" is in use in this room.", cid));
            return;
        }
        room.members.put(name, member);
        member.room = room;
        member.user = name;
        send(member, new JsonObject()
                .put("type", "welcome")
                .put("room", room.name)
                .put("user", name)
                .put("users", new JsonArray(new ArrayList<Object>(room.members.keySet())))
                .put("history", new JsonArray(room.newest(WELCOME_HISTORY))));
        broadcast(room, presence("joined", room, name), member);
    }

    private void message(Member member, JsonObject frame, String cid) {
        if (cid == null && frame.getValue("cid") != null) {
            send(member, error("bad-json", "cid must be a string of at most " + MAX_CID + " characters.", null));
            return;
        }
        Object value = frame.getValue("text");
        if (!(value instanceof String)) {
            send(member, error("bad-text", "message needs a string member \"text\".", cid));
            return;
        }
        String text = (String) value;
        if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            send(member, error("too-long", "A text has at most " + MAX_TEXT + " characters.", cid));
            return;
        }
        if (!isValid(text) || isBlank(text)) {
            send(member, error("bad-text", "A text must be valid Unicode and not blank.", cid));
            return;
        }
        if (member.room == null) {
            send(member, error("not-joined", "Send join first.", cid));
            return;
        }
        Room room = member.room;
        JsonObject message = new JsonObject()
                .put("type", "message")
                .put("room", room.name)
                .put("seq", ++room.seq)
                .put("user", member.user)
                .put("text", text)
                .put("ts", now());
        room.remember(message);
        if (cid != null) {
            send(member, new JsonObject().put("type", "ack").put("cid", cid).put("seq", room.seq));
        }
        broadcast(room, message, null);
    }

    /** pong echoes every member of the ping but its type. */
    private void pong(Member member, JsonObject ping) {
        JsonObject pong = new JsonObject().put("type", "pong");
        for (Map.Entry<String, Object> e : ping) {
            if (!e.getKey().equals("type")) {
                pong.put(e.getKey(), e.getValue());
            }
        }
        send(member, pong);
    }

    private void leave(Member member) {
        Room room = member.room;
        if (room != null && room.members.remove(member.user, member)) {
            member.room = null;
            broadcast(room, presence("left", room, member.user), null);
        }
    }

    // ---------- server to client ----------

    /** Sends one frame to one member (written like a broadcast, by the same UTF-8 encoder). */
    private static void send(Member member, JsonObject frame) {
        send(member.ws, frame);
    }

    private static void send(ServerWebSocket ws, JsonObject frame) {
        ws.writeFrame(textFrame(frame.toBuffer()));
    }

    /**
     * Sends the frame to every member of the room but {@code except} (may be null), encoded
     * once: toBuffer() writes the JSON as UTF-8 into one buffer, and each recipient gets a text
     * frame over a slice of it (the same bytes, its own read index, which Netty's encoder moves).
     * writeTextMessage(String) would encode the String to UTF-8 again for every recipient.
     */
    private static void broadcast(Room room, JsonObject frame, Member except) {
        Buffer encoded = frame.toBuffer();
        for (Member member : room.members.values()) {
            if (member != except) {
                member.ws.writeFrame(textFrame(encoded)); // a closed socket fails its future, not the loop
            }
        }
    }

    /**
     * A final text frame over the encoded bytes, not a copy: getByteBuf() is a fresh slice of
     * them, and Vert.x hands a Vert.x heap buffer to Netty as it is. WebSocketFrameImpl is
     * Vert.x's own (internal) frame class, the one writeTextMessage builds: the public
     * WebSocketFrame.textFrame takes a String only.
     */
    private static WebSocketFrameImpl textFrame(Buffer encoded) {
        return new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) encoded).getByteBuf(), true);
    }

    private JsonObject presence(String type, Room room, String user) {
        return new JsonObject()
                .put("type", type)
                .put("room", room.name)
                .put("user", user)
                .put("count", room.members.size())
                .put("ts", now());
    }

    private static JsonObject error(String code, String message, String cid) {
        JsonObject error = new JsonObject().put("type", "error").put("code", code).put("message", message);
        if (cid != null) {
            error.put("cid", cid);
        }
        return error;
    }

    /** ISO-8601 UTC with milliseconds, formatted once per millisecond. */
    private String now() {
        long millis = System.currentTimeMillis();
        if (millis != tsMillis) {
            tsMillis = millis;
            ts = TIMESTAMP.format(Instant.ofEpochMilli(millis));
        }
        return ts;
    }

    // ---------- the text rules of PROTOCOL.md ----------

    /** The frame's cid if it is a valid string of at most MAX_CID characters, else null. */
    private static String validCid(Object value) {
        if (value instanceof String) {
            String cid = (String) value;
            return cid.codePointCount(0, cid.length()) <= MAX_CID && isValid(cid) ? cid : null;
        }
        return null;
    }

    /** Character.isWhitespace, or Unicode White_Space (which adds the no-break spaces and U+0085). */
    private static boolean isWhiteSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isWhiteSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isWhiteSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    private static boolean isBlank(String s) {
        return s.codePoints().allMatch(ChatServer::isWhiteSpace);
    }

    private static boolean hasControl(String s) {
        return s.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL);
    }

    /** Whether every surrogate is half of a pair, so that the string can be written as UTF-8. */
    private static boolean isValid(String s) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(s);
    }
}
