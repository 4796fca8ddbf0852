package dev.parley.client;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One member in one room, for an application that builds its own interface or a bot
 * (docs/CLIENTS.md). The Java twin of {@code clients/js}' {@code ParleyClient}, with the same
 * states, backoff and outbox:
 *
 * <ul>
 *   <li>{@link #connect()} completes with the first {@code welcome}. After a lost connection
 *       the client reconnects by itself (full-jitter backoff, 500 ms doubling to 15 s; or, once,
 *       between {@code after} and twice that when the server's {@code reconnect} frame came
 *       before it closed with 1001 or 1013), joins
 *       with {@code since} and takes its name back with the welcome's {@code resume} secret;
 *       what the reconnect recovered reaches the listener as events, so that a program sees
 *       every stored frame once, in seq order.</li>
 *   <li>{@link #send}, {@link #edit}, {@link #delete} and {@link #react} wait in an outbox
 *       under their {@code cid} until the server acknowledges them, and are sent again after
 *       every welcome until it does. A 1.1 server acknowledges a resend with the first seq and
 *       {@code dup}: each is stored once. The outbox holds at most {@link #OUTBOX_LIMIT}
 *       frames and {@link #OUTBOX_CHARS} characters of text.</li>
 *   <li>{@link Transport#AUTO} falls back to the HTTP transport where a WebSocket cannot
 *       open, and goes back to WebSocket once one can.</li>
 * </ul>
 *
 * <p>Threading: each client runs on a thread of its own; everything it decides, and every
 * call of its {@link Listener}, happens there, one at a time. Its futures complete there too,
 * so a dependent stage that is not {@code …Async} runs on it: keep such stages short, and
 * never wait there for another of this client's futures (it could not complete). The
 * thread ends a moment after {@link #close()}. Every method may be called from any thread.
 */
public final class ParleyClient implements AutoCloseable {
    public static final int OUTBOX_LIMIT = 256;
    public static final int OUTBOX_CHARS = 1 << 20;
    /** {@code history} requests waiting for their answer. */
    public static final int HISTORY_LIMIT = 16;
    /** The most names a {@link #members} page may ask for. */
    public static final int MEMBERS_LIMIT = 500;
    /** The longest {@code after} of a {@link #members} page, in UTF-16 units as the server counts. */
    private static final int MAX_AFTER = 128;
    static final long PING_MILLIS = 25_000;
    /** A ping not answered (nor anything else heard) this long after it went: the connection died without a word. */
    static final long PONG_WAIT_MILLIS = 10_000;
    static final long BACKOFF_BASE_MILLIS = 500;
    static final long BACKOFF_CAP_MILLIS = 15_000;
    /** A {@code reconnect} frame's {@code after} above this counts as this: a server cannot keep a client away for long. */
    static final long RETRY_HINT_CAP_MILLIS = 300_000;
    /** How long the server may hold a lost connection's name: a {@code name-taken} after a loss is tried again this long. */
    static final long GHOST_WAIT_MILLIS = 15_000;
    private static final long GHOST_RETRY_MAX_MILLIS = 5_000;
    private static final long TOKEN_FRESH_MILLIS = 30_000;
    private static final long REFRESH_LEAD_MILLIS = 60_000;
    private static final long REFRESH_RETRY_MILLIS = 10_000;
    private static final int LOST = 1006;
    private static final Pattern ROOM = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Set<String> STORED = Set.of("message", "edit", "delete", "react");
    /** Closes by an administrator or a moderator: the client does not reconnect after them (PROTOCOL.md, Closing). */
    private static final Set<String> MODERATION = Set.of("removed by an administrator", "room closed", "banned");
    private static final System.Logger LOG = System.getLogger(ParleyClient.class.getName());
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Set on a client's thread: close() there must not wait for a task that runs after it. */
    private static final ThreadLocal<Boolean> ON_CLIENT_THREAD = ThreadLocal.withInitial(() -> false);
    private static final SecureRandom CIDS = new SecureRandom();

    /** The one HTTP client of every ParleyClient that was not given its own: HTTP/1.1, as a browser speaks without TLS. */
    private static final class Shared {
        static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Makes the wires of one attempt; tests give fake ones. */
    interface Wires {
        Wire websocket();

        Wire http();
    }

    private final Timers timers;
    private final Wires wires;
    private final DoubleSupplier random;
    private final Transport mode;
    private final URI socketUri;
    private final URI streamUri;
    private final String room;
    private final Supplier<? extends CompletionStage<String>> tokens;
    private final Listener listener;

    // read from any thread
    private volatile State state = State.OFFLINE;
    private volatile Transport transport;
    private volatile String user;
    private volatile boolean closed;
    /** Run once closed: lets the client's thread end. */
    private Runnable release = () -> { };

    // the rest only on the client's thread
    private String token;
    private long tokenExpires;               // epoch millis, 0 when unknown
    private Wire wire;
    private int attempt;                     // the current attempt: what an older one's wire or token says is ignored
    private int attempts;                    // attempts since the last welcome: the backoff's exponent
    private long retryHint;                  // the after of this connection's reconnect frame: the next delay, once; 0 if none
    private boolean welcomed;                // welcomed in this room before: a join is a reconnect with since
    private long seq;                        // the newest stored seq seen (and given to the listener): the next since
    private String resume;                   // the last welcome's secret, which takes the name back
    private String refusal;                  // what an error frame said before the server closes for good
    private boolean upgradeWanted;           // WebSocket works again while joining: connect again after the welcome
    private int ghostRetries;
    private long ghostWaited;
    private Timers.Timer ping;
    private Timers.Timer reconnect;
    private Timers.Timer ghost;
    private Timers.Timer refresh;
    private CompletableFuture<JsonObject> connecting;
    private JsonObject welcome;
    private final Map<String, Pending> outbox = new LinkedHashMap<>();
    private long outboxChars;
    private final ArrayDeque<CompletableFuture<List<JsonObject>>> histories = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<List<JsonObject>>> roomLists = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<JsonObject>> memberPages = new ArrayDeque<>();
    private final Map<String, Direct> directs = new LinkedHashMap<>();   // by cid: waiting for the server's copy
    private long read;                       // the newest read position not sent yet
    private long lastHeard;                  // when the connection last brought a frame

    /** A direct message waiting for the server's copy. */
    private record Direct(String text, CompletableFuture<JsonObject> future) {
    }

    /** A frame waiting for its ack. */
    private static final class Pending {
        final String json;
        final int chars;
        final CompletableFuture<Ack> future = new CompletableFuture<>();
        boolean sent;

        Pending(String json, int chars) {
            this.json = json;
            this.chars = chars;
        }
    }

    /**
     * A client of the chat at {@code chat}: {@code ws://host:8080/chat} for the standalone
     * server, {@code ws://host:8080/parley/chat} for the WAR ({@code wss}, {@code http} and
     * {@code https} work too; the HTTP transport's URLs are made from it).
     */
    public static Builder builder(URI chat) {
        return new Builder(chat);
    }

    public static final class Builder {
        private final URI chat;
        private String room = "lobby";
        private String user;
        private String token;
        private Supplier<? extends CompletionStage<String>> tokens;
        private Transport transport = Transport.AUTO;
        private Listener listener = new Listener() { };
        private HttpClient http;
        private ThreadFactory threads = task -> {
            Thread t = new Thread(task, "parley-client-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        };

        private Builder(URI chat) {
            this.chat = Objects.requireNonNull(chat, "chat");
        }

        public Builder room(String room) {
            this.room = Objects.requireNonNull(room, "room");
            return this;
        }

        /** The name to join as (without identity). */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** A signed token (identity on: PROTOCOL.md, Identity): it names the user. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /**
         * Where fresh tokens come from: asked before a connect when the token in hand expires
         * within 30 s, and a minute before it expires, to be sent as {@code auth}.
         */
        public Builder tokens(Supplier<? extends CompletionStage<String>> tokens) {
            this.tokens = tokens;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The HTTP client for both transports (an HTTP/1.1 one); by default one shared by every client. */
        public Builder httpClient(HttpClient http) {
            this.http = http;
            return this;
        }

        /**
         * Where the client's thread comes from: by default a daemon thread of its own. In a
         * Jakarta EE application, the server's {@code ManagedThreadFactory}.
         */
        public Builder threadFactory(ThreadFactory threads) {
            this.threads = Objects.requireNonNull(threads, "threads");
            return this;
        }

        public ParleyClient build() {
            ThreadFactory factory = threads;
            ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1, task -> factory.newThread(() -> {
                ON_CLIENT_THREAD.set(true);
                task.run();
            }));
            // the thread stays while the client is open (a ping is always due: a thread that timed out
            // would be made anew every keep-alive); once closed, its timers cancelled, it ends
            thread.setKeepAliveTime(1, TimeUnit.SECONDS);
            thread.setRemoveOnCancelPolicy(true);
            Timers timers = Timers.of(thread);
            HttpClient client = http != null ? http : Shared.HTTP;
            ParleyClient made = new ParleyClient(this, timers, new Wires() {
                @Override
                public Wire websocket() {
                    return new WebSocketWire(client, timers);
                }

                @Override
                public Wire http() {
                    return new HttpWire(client, timers);
                }
            }, () -> ThreadLocalRandom.current().nextDouble());
            made.release = () -> thread.allowCoreThreadTimeOut(true);
            return made;
        }
    }

    ParleyClient(Builder builder, Timers timers, Wires wires, DoubleSupplier random) {
        if (!ROOM.matcher(builder.room).matches()) {
            throw new IllegalArgumentException("not a room name: " + builder.room);
        }
        boolean identity = builder.token != null || builder.tokens != null;
        if (!identity && (builder.user == null || builder.user.isBlank())) {
            throw new IllegalArgumentException("a user or a token");
        }
        String scheme = Objects.requireNonNullElse(builder.chat.getScheme(), "");
        String path = Objects.requireNonNullElse(builder.chat.getRawPath(), "").replaceAll("/+$", "");
        if (!Set.of("ws", "wss", "http", "https").contains(scheme) || !path.endsWith("/chat")
                || builder.chat.getRawAuthority() == null) {
            throw new IllegalArgumentException("not a chat URL (ws://host:port/chat): " + builder.chat);
        }
        boolean secure = scheme.equals("wss") || scheme.equals("https");
        String base = "//" + builder.chat.getRawAuthority() + path.substring(0, path.length() - "/chat".length());
        this.socketUri = URI.create((secure ? "wss:" : "ws:") + base + "/chat/" + builder.room);
        this.streamUri = URI.create((secure ? "https:" : "http:") + base + "/sse/" + builder.room);
        this.timers = timers;
        this.wires = wires;
        this.random = random;
        this.mode = builder.transport;
        this.room = builder.room;
        this.user = builder.user;
        this.token = builder.token;
        this.tokens = builder.tokens;
        this.listener = builder.listener;
        if (token != null) {
            tokenExpires = expiry(token);
        }
    }

    public State state() {
        return state;
    }

    /** The transport in use, null while none is open. */
    public Transport transport() {
        return transport;
    }

    public String room() {
        return room;
    }

    /** The name the server gave in its welcome, else the one asked for. */
    public String user() {
        return user;
    }

    /**
     * Joins the room. Completes with the welcome; fails if the name is refused ({@code bad-name},
     * {@code name-taken}, and the client goes offline) or the server refuses for good.
     */
    public CompletableFuture<JsonObject> connect() {
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        onThread(result, () -> {
            if (state == State.ONLINE && welcome != null) {
                result.complete(welcome);
                return;
            }
            if (connecting == null) {
                connecting = new CompletableFuture<>();
                if (state != State.CONNECTING && state != State.JOINING && state != State.RECONNECTING) {
                    connectNow();
                }
            }
            connecting.whenComplete((w, e) -> complete(result, w, e));
        });
        return result;
    }

    /** Sends a message; completes once the server stored it, however many reconnects lie between. */
    public CompletableFuture<Ack> send(String text) {
        return send(text, 0, null);
    }

    /** Sends a message that answers the one at {@code replyTo}. */
    public CompletableFuture<Ack> reply(long replyTo, String text) {
        return send(text, replyTo, null);
    }

    /**
     * Sends a message with a reply-to seq (0 for none) and a cid (null for a new one): a
     * program that must survive its own restart keeps its cids and sends them again.
     */
    public CompletableFuture<Ack> send(String text, long replyTo, String cid) {
        Objects.requireNonNull(text, "text");
        JsonObjectBuilder frame = Json.createObjectBuilder().add("type", "message").add("text", text);
        if (replyTo > 0) {
            frame.add("reply_to", replyTo);
        }
        return enqueue(frame, text.length(), cid);
    }

    public CompletableFuture<Ack> edit(long seq, String text) {
        Objects.requireNonNull(text, "text");
        return enqueue(Json.createObjectBuilder().add("type", "edit").add("ref", seq).add("text", text), text.length(), null);
    }

    public CompletableFuture<Ack> delete(long seq) {
        return enqueue(Json.createObjectBuilder().add("type", "delete").add("ref", seq), 0, null);
    }

    /** Adds ({@code on}) or takes back a reaction; the ack's seq is 0 when that changed nothing. */
    public CompletableFuture<Ack> react(long seq, String emoji, boolean on) {
        Objects.requireNonNull(emoji, "emoji");
        return enqueue(Json.createObjectBuilder().add("type", "react").add("ref", seq).add("emoji", emoji).add("on", on),
                emoji.length(), null);
    }

    /**
     * Tells the server the newest seq the user has seen. The protocol answers nothing: this
     * completes once sent, or at once while offline, when only the newest position waits
     * for the next welcome.
     */
    public CompletableFuture<Void> markRead(long seq) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onThread(result, () -> {
            read = Math.max(read, seq);
            if (state == State.ONLINE) {
                sendRead();
            }
            result.complete(null);
        });
        return result;
    }

    /**
     * The room's stored frames before {@code before} (0: the newest), at most {@code limit}
     * (1..100), oldest first. Fails with {@code offline} when not connected or the connection
     * is lost before the answer.
     *
     * @throws IllegalArgumentException for a limit outside 1..100 or a negative {@code before}
     */
    public CompletableFuture<List<JsonObject>> history(long before, int limit) {
        // the server answers a bad one with an error that names no request: its answer would never come
        if (limit < 1 || limit > 100 || before < 0) {
            throw new IllegalArgumentException("history: before at least 0 and a limit of 1 to 100, not " + before
                    + " and " + limit);
        }
        JsonObjectBuilder frame = Json.createObjectBuilder().add("type", "history").add("limit", limit);
        if (before > 0) {
            frame.add("before", before);
        }
        return ask(histories, frame.build().toString());
    }

    /** Tells the room this user is typing: only while online, never resent. */
    public void typing() {
        onThread(new CompletableFuture<Void>(), () -> {
            if (state == State.ONLINE) {
                wire.send("{\"type\":\"typing\"}");
            }
        });
    }

    /**
     * A direct message to a member of the room. Completes with the server's copy (the frame
     * the recipient got); fails on its error ({@code no-such-user} …), or with {@code offline}
     * if the connection is lost first: a direct is not stored, so it is never sent twice.
     */
    public CompletableFuture<JsonObject> direct(String to, String text) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(text, "text");
        CompletableFuture<JsonObject> result = new CompletableFuture<>();
        onThread(result, () -> {
            if (state != State.ONLINE) {
                result.completeExceptionally(new ParleyException("offline", "not connected"));
            } else if (directs.size() >= HISTORY_LIMIT) {
                result.completeExceptionally(new ParleyException("busy", HISTORY_LIMIT + " directs wait already"));
            } else {
                String cid = newCid();
                if (wire.send(Json.createObjectBuilder().add("type", "direct").add("to", to).add("text", text)
                        .add("cid", cid).build().toString())) {
                    directs.put(cid, new Direct(text, result));
                } else {
                    result.completeExceptionally(new ParleyException("offline", "not connected"));
                }
            }
        });
        return result;
    }

    /** The rooms with members, as the server lists them: {@code {room, count, last, unread}} each. */
    public CompletableFuture<List<JsonObject>> rooms() {
        return ask(roomLists, "{\"type\":\"rooms\"}");
    }

    /**
     * A page of the room's names (PROTOCOL.md, "Large rooms"): at most {@code limit} names after
     * {@code after} (null: from the first), in code point order. Completes with the
     * {@code members} frame, {@code {room, users, count, more}}; fails with {@code offline} when
     * not connected or the connection is lost before the answer.
     *
     * @throws IllegalArgumentException for a limit outside 1..500 or an {@code after} longer than 128 characters
     */
    public CompletableFuture<JsonObject> members(String after, int limit) {
        // the server answers a bad one with an error that names no request: its answer would never come
        if (limit < 1 || limit > MEMBERS_LIMIT || (after != null && after.length() > MAX_AFTER)) {
            throw new IllegalArgumentException("members: an after of at most " + MAX_AFTER + " characters and a limit of 1 to "
                    + MEMBERS_LIMIT + ", not " + limit);
        }
        JsonObjectBuilder frame = Json.createObjectBuilder().add("type", "members").add("limit", limit);
        if (after != null) {
            frame.add("after", after);
        }
        return ask(memberPages, frame.build().toString());
    }

    /**
     * Sends a request whose answer names no request ({@code history}, {@code rooms},
     * {@code members}): answers come in the order asked, so each kind waits in its own queue
     * of at most {@value #HISTORY_LIMIT}. Fails with {@code offline} when not connected, with
     * {@code busy} when the queue is full.
     */
    private <T> CompletableFuture<T> ask(ArrayDeque<CompletableFuture<T>> waiting, String frame) {
        CompletableFuture<T> result = new CompletableFuture<>();
        onThread(result, () -> {
            if (state != State.ONLINE) {
                result.completeExceptionally(new ParleyException("offline", "not connected"));
            } else if (waiting.size() >= HISTORY_LIMIT) {
                result.completeExceptionally(new ParleyException("busy", HISTORY_LIMIT + " such requests wait already"));
            } else if (wire.send(frame)) {
                waiting.add(result);
            } else {
                result.completeExceptionally(new ParleyException("offline", "not connected"));
            }
        });
        return result;
    }

    /** Leaves the room and stops: what waits fails with {@code closed}. Waits up to 5 s for that to be done. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        timers.execute(() -> {
            hangUp();
            forgetRoom();
            failAll(new ParleyException("closed", "the client was closed"));
            to(State.OFFLINE);
            release.run();
            done.complete(null);
        });
        if (!ON_CLIENT_THREAD.get()) {
            try {
                done.get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                // the client's thread is stuck in a listener: it stops when that returns
            }
        }
    }

    // ---- the state machine, on the client's thread ----

    private void connectNow() {
        stopTimers();
        refusal = null;
        retryHint = 0;
        to(State.CONNECTING);
        int current = ++attempt;
        if (tokens != null && (token == null || tokenExpires > 0 && tokenExpires - timers.nowMillis() < TOKEN_FRESH_MILLIS)) {
            fetchToken().whenComplete((fresh, failure) -> {   // on the client's thread, as fetchToken completes there
                if (current != attempt) {
                    return;
                }
                if (failure != null) {
                    emitError(new ParleyException("unauthorized", "no token: " + failure));
                    scheduleReconnect();
                } else {
                    dial(current);
                }
            });
        } else {
            dial(current);
        }
    }

    /** Asks the supplier for a token; completes on the client's thread. */
    private CompletableFuture<String> fetchToken() {
        CompletableFuture<String> fresh = new CompletableFuture<>();
        try {
            tokens.get().whenComplete((value, failure) -> timers.execute(() -> {
                if (failure != null) {
                    fresh.completeExceptionally(failure);
                } else if (value == null || value.isEmpty()) {
                    fresh.completeExceptionally(new IllegalStateException("the token supplier gave no token"));
                } else {
                    token = value;
                    tokenExpires = expiry(value);
                    fresh.complete(value);
                }
            }));
        } catch (RuntimeException e) {
            fresh.completeExceptionally(e);
        }
        return fresh;
    }

    private void dial(int current) {
        Wire.Handler handler = new Wire.Handler() {
            @Override
            public void opened(Transport kind) {
                if (current == attempt) {
                    open(kind);
                }
            }

            @Override
            public void frame(String json) {
                if (current == attempt) {
                    received(json);
                }
            }

            @Override
            public void closed(int code, String reason) {
                if (current == attempt) {
                    lost(code, reason);
                }
            }
        };
        wire = switch (mode) {
            case WEBSOCKET -> wires.websocket();
            case HTTP -> wires.http();
            case AUTO -> new FallbackWire(wires::websocket, wires::http, streamUri, () -> {
                if (current == attempt) {
                    upgrade();
                }
            }, timers);
        };
        wire.open(mode == Transport.HTTP ? streamUri : socketUri, handler);
    }

    private void open(Transport kind) {
        setTransport(kind);
        to(State.JOINING);
        lastHeard = timers.nowMillis();
        sendJoin();
        schedulePing(PING_MILLIS);
    }

    /**
     * A ping every {@link #PING_MILLIS} (the server's idle timeout counts the client's frames),
     * and a connection that answers nothing within {@link #PONG_WAIT_MILLIS} is lost: a
     * network that dropped it without a reset (a NAT's timeout, a cable) tells neither end.
     */
    private void schedulePing(long delay) {
        ping = timers.schedule(() -> {
            if (wire == null) {
                return;
            }
            long sent = timers.nowMillis();
            wire.send("{\"type\":\"ping\"}");
            ping = timers.schedule(() -> {
                if (wire == null) {
                    return;
                }
                if (lastHeard < sent) {
                    Wire dead = wire;
                    dead.close();
                    lost(LOST, "");
                } else {
                    schedulePing(PING_MILLIS - PONG_WAIT_MILLIS);
                }
            }, PONG_WAIT_MILLIS);
        }, delay);
    }

    private void sendJoin() {
        JsonObjectBuilder join = Json.createObjectBuilder().add("type", "join");
        boolean identity = token != null || tokens != null;
        if (identity) {
            join.add("token", Objects.requireNonNullElse(token, ""));
        } else {
            join.add("user", user);
        }
        if (welcomed) {
            join.add("since", seq);
        }
        if (!identity && resume != null) {
            join.add("resume", resume);
        }
        wire.send(join.build().toString());
    }

    private void received(String json) {
        lastHeard = timers.nowMillis();
        JsonObject frame;
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            frame = reader.readObject();
        } catch (RuntimeException notAnObject) {
            return;   // not the protocol's: ignored, as an unknown member is
        }
        String type = frame.get("type") instanceof JsonString s ? s.getString() : "";
        switch (type) {
            case "welcome" -> welcomed(frame);
            case "ack" -> acked(frame);
            case "error" -> error(frame);
            case "history" -> {
                CompletableFuture<List<JsonObject>> waiting = histories.poll();
                if (waiting != null) {
                    waiting.complete(objects(frame.get("messages")));
                }
            }
            case "message", "edit", "delete", "react" -> stored(frame);
            case "reconnect" -> retryHint(frame);
            case "read" -> emit(() -> listener.onRead(frame));
            case "joined" -> emit(() -> listener.onJoined(frame));
            case "left" -> emit(() -> listener.onLeft(frame));
            case "presence" -> emit(() -> listener.onPresence(frame));
            case "typing" -> emit(() -> listener.onTyping(frame));
            case "direct" -> {
                if (frame.getString("from", "").equals(user)) { // the copy of one this client sent: the oldest of that text
                    String text = frame.getString("text", "");
                    for (var waiting = directs.entrySet().iterator(); waiting.hasNext(); ) {
                        Direct direct = waiting.next().getValue();
                        if (direct.text().equals(text)) {
                            waiting.remove();
                            direct.future().complete(frame);
                            break;
                        }
                    }
                }
                emit(() -> listener.onDirect(frame));
            }
            case "rooms" -> {
                CompletableFuture<List<JsonObject>> waiting = roomLists.poll();
                if (waiting != null) {
                    waiting.complete(objects(frame.get("rooms")));
                }
                emit(() -> listener.onRooms(frame));
            }
            case "members" -> {
                CompletableFuture<JsonObject> waiting = memberPages.poll();
                if (waiting != null) {
                    waiting.complete(frame);
                }
            }
            default -> {
                // pong, and types of later versions
            }
        }
    }

    private void welcomed(JsonObject frame) {
        List<JsonObject> history = objects(frame.get("history"));
        long newest = history.isEmpty() ? 0 : longOf(history.get(history.size() - 1), "seq");
        boolean rejoined = welcomed;
        // the room's history started over (a restart of a memory store): its seqs are used again
        if (rejoined && !frame.getBoolean("recovered", false) && newest < seq) {
            seq = 0;
        }
        welcomed = true;
        attempts = 0;
        ghostRetries = 0;
        ghostWaited = 0;
        user = frame.getString("user", user);
        resume = frame.get("resume") instanceof JsonString secret ? secret.getString() : null;
        welcome = frame;
        boolean upgradeNext = upgradeWanted;
        upgradeWanted = false;
        to(State.ONLINE);
        if (rejoined) {
            for (JsonObject stored : history) {
                stored(stored.containsKey("type") ? stored : Json.createObjectBuilder(stored).add("type", "message").build());
            }
        } else {
            seq = Math.max(seq, newest);
        }
        emit(() -> listener.onWelcome(frame));
        CompletableFuture<JsonObject> waiting = connecting;
        connecting = null;
        if (waiting != null) {
            waiting.complete(frame);
        }
        for (Pending pending : outbox.values()) {
            pending.sent = wire.send(pending.json);
        }
        if (read > 0) {
            sendRead();
        }
        scheduleRefresh();
        if (upgradeNext) {
            upgrade();
        }
    }

    private void stored(JsonObject frame) {
        long at = longOf(frame, "seq");
        if (at <= seq) {
            return;   // seen already: a recovery overlaps what came live
        }
        seq = at;
        switch (frame.getString("type", "message")) {
            case "edit" -> emit(() -> listener.onEdit(frame));
            case "delete" -> emit(() -> listener.onDelete(frame));
            case "react" -> emit(() -> listener.onReact(frame));
            default -> emit(() -> listener.onMessage(frame));
        }
    }

    private void acked(JsonObject frame) {
        Pending pending = settle(frame.getString("cid", null));
        if (pending != null) {
            pending.future.complete(new Ack(longOf(frame, "seq"), frame.getBoolean("dup", false)));
        }
        // frames the wire's queue had no room for go now that it has some
        for (Pending waiting : outbox.values()) {
            if (!waiting.sent && wire != null) {
                waiting.sent = wire.send(waiting.json);
            }
        }
    }

    private void error(JsonObject frame) {
        String code = frame.getString("code", "error");
        String text = frame.getString("message", code);
        String cid = frame.getString("cid", null);
        switch (code) {
            case "bad-name", "name-taken" -> {
                nameRefused(code, text);
                return;
            }
            case "unauthorized" -> {
                if (cid != null && cid.startsWith("auth-")) {
                    return;   // a refresh refused: the token in use goes on
                }
                if (state == State.ONLINE && tokens != null) {
                    token = null;   // ours ran out before a fresh one came: the server closes, the reconnect fetches one
                    return;
                }
                refusal = text;
                return;
            }
            case "bad-room" -> {
                refusal = text;   // the server closes with 1008 next
                return;
            }
            case "forbidden" -> {
                if (state == State.JOINING) {   // banned: the server keeps the connection open, but trying again will not help
                    refuse(text);
                    return;
                }
            }
            default -> {
            }
        }
        Pending pending = settle(cid);
        Direct direct = cid == null ? null : directs.remove(cid);
        if (pending != null) {
            pending.future.completeExceptionally(new ParleyException(code, text));
        } else if (direct != null) {
            direct.future().completeExceptionally(new ParleyException(code, text));
        } else {
            emitError(new ParleyException(code, text));
        }
    }

    private void nameRefused(String code, String text) {
        // Right after a network drop the server may not have noticed the old connection yet (and
        // the secret did not take the name back: another client with the same name): tried
        // again 1 s, 2 s … 5 s apart, for as long as the server may hold a lost connection's name.
        if (code.equals("name-taken") && welcomed && ghostWaited < GHOST_WAIT_MILLIS) {
            ghostRetries += 1;
            long delay = Math.min(GHOST_RETRY_MAX_MILLIS, 1000L * ghostRetries);
            ghostWaited += delay;
            ghost = timers.schedule(() -> {
                if (wire != null) {
                    sendJoin();
                }
            }, delay);
            return;
        }
        ParleyException error = new ParleyException(code, text);
        emitError(error);
        hangUp();
        forgetRoom();
        to(State.OFFLINE);
        CompletableFuture<JsonObject> waiting = connecting;
        connecting = null;
        if (waiting != null) {
            waiting.completeExceptionally(error);
        }
    }

    private void lost(int code, String reason) {
        boolean wasOnline = state == State.ONLINE;
        upgradeWanted = false;
        attempt += 1;
        wire = null;
        stopTimers();
        setTransport(null);
        failRequests(new ParleyException("offline", "connection lost"));
        // A policy close before the client ever got in (bad room, origin, auth) will not get
        // better by retrying, nor will one by an administrator or moderator.
        String why = refusal;
        refusal = null;
        boolean fatal = why != null || code == 1008 && !wasOnline || code == 1008 && MODERATION.contains(reason);
        if (code == 1008 && reason.equals("token expired") && tokens == null) {
            fatal = true;
        }
        if (fatal) {
            ParleyException error = new ParleyException("refused", why != null ? why
                    : reason.isEmpty() ? "closed with " + code : reason);
            emitError(error);
            failAll(error);
            to(State.REFUSED);
        } else {
            scheduleReconnect();
        }
    }

    /** Refused for good on a connection the server keeps open: the client hangs up. */
    private void refuse(String text) {
        hangUp();
        ParleyException error = new ParleyException("refused", text);
        emitError(error);
        failAll(error);
        to(State.REFUSED);
    }

    /** WebSocket works again after a fallback to HTTP: connect again at once (no backoff), with since. */
    private void upgrade() {
        if (state == State.JOINING) {
            upgradeWanted = true;
        } else if (state == State.ONLINE) {
            hangUp();
            connectNow();
        }
    }

    /**
     * The server is about to close with 1001 (shutting down) or 1013 (at a limit) and asks the
     * client back no sooner than {@code after} milliseconds (PROTOCOL.md, Parley's additions, Closing).
     */
    private void retryHint(JsonObject frame) {
        if (frame.get("after") instanceof JsonNumber after && after.doubleValue() >= 1) {
            retryHint = (long) Math.min(after.doubleValue(), RETRY_HINT_CAP_MILLIS);
        }
    }

    /**
     * Full jitter: a random delay in [0, min(cap, base · 2^attempts)); after a {@code reconnect}
     * frame, this once, a random delay in [after, 2 · after] instead.
     */
    private void scheduleReconnect() {
        long ceiling = Math.min(BACKOFF_CAP_MILLIS, BACKOFF_BASE_MILLIS << Math.min(attempts, 10));
        long hint = retryHint;
        retryHint = 0;
        long delay = hint > 0 ? hint + (long) (random.getAsDouble() * hint) : (long) (random.getAsDouble() * ceiling);
        attempts += 1;
        reconnect = timers.schedule(this::connectNow, delay);
        to(State.RECONNECTING);
    }

    /** Before the token expires: a fresh one, sent as {@code auth} on the open connection. */
    private void scheduleRefresh() {
        cancel(refresh);
        refresh = null;
        if (tokens == null || tokenExpires == 0) {
            return;
        }
        long left = tokenExpires - timers.nowMillis();
        refresh = timers.schedule(this::refreshToken,
                Math.max(1000, left > 2 * REFRESH_LEAD_MILLIS ? left - REFRESH_LEAD_MILLIS : left / 2));
    }

    private void refreshToken() {
        fetchToken().whenComplete((fresh, failure) -> {
            if (failure != null) {
                refresh = timers.schedule(this::refreshToken, REFRESH_RETRY_MILLIS);   // the server closes us if it runs out first
                return;
            }
            if (state == State.ONLINE && wire != null) {
                wire.send(Json.createObjectBuilder().add("type", "auth").add("token", fresh)
                        .add("cid", "auth-" + newCid()).build().toString());
            }
            scheduleRefresh();
        });
    }

    /** A close the client asked for: no {@code lost} follows. */
    private void hangUp() {
        attempt += 1;
        upgradeWanted = false;
        retryHint = 0;
        stopTimers();
        Wire was = wire;
        wire = null;
        if (was != null) {
            was.close();
        }
        setTransport(null);
        failRequests(new ParleyException("offline", "connection closed"));
    }

    private void forgetRoom() {
        seq = 0;
        welcomed = false;
        resume = null;
        attempts = 0;
        cancel(refresh);
        refresh = null;
    }

    private void stopTimers() {
        cancel(ping);
        cancel(reconnect);
        cancel(ghost);
        ping = reconnect = ghost = null;
    }

    // ---- the outbox ----

    private CompletableFuture<Ack> enqueue(JsonObjectBuilder frame, int chars, String cid) {
        String id = cid != null ? cid : newCid();
        CompletableFuture<Ack> result = new CompletableFuture<>();
        onThread(result, () -> {
            Pending already = outbox.get(id);
            if (already != null) {
                already.future.whenComplete((ack, e) -> complete(result, ack, e));
                return;
            }
            if (outbox.size() >= OUTBOX_LIMIT || outboxChars + chars > OUTBOX_CHARS) {
                result.completeExceptionally(new ParleyException("outbox-full", "too much waits for the server already"));
                return;
            }
            Pending pending = new Pending(frame.add("cid", id).build().toString(), chars);
            outbox.put(id, pending);
            outboxChars += chars;
            if (state == State.ONLINE) {
                pending.sent = wire.send(pending.json);
            }
            pending.future.whenComplete((ack, e) -> complete(result, ack, e));
        });
        return result;
    }

    private Pending settle(String cid) {
        Pending pending = cid == null ? null : outbox.remove(cid);
        if (pending != null) {
            outboxChars -= pending.chars;
        }
        return pending;
    }

    private void sendRead() {
        if (wire != null && wire.send(Json.createObjectBuilder().add("type", "read").add("seq", read).build().toString())) {
            read = 0;
        }
    }

    /** What is not resent fails when the connection goes: history, rooms and members requests, directs. */
    private void failRequests(ParleyException error) {
        for (ArrayDeque<? extends CompletableFuture<?>> queue : List.of(histories, roomLists, memberPages)) {
            queue.forEach(waiting -> waiting.completeExceptionally(error));
            queue.clear();
        }
        directs.values().forEach(direct -> direct.future().completeExceptionally(error));
        directs.clear();
    }

    private void failAll(ParleyException error) {
        for (Pending pending : new ArrayList<>(outbox.values())) {
            pending.future.completeExceptionally(error);
        }
        outbox.clear();
        outboxChars = 0;
        failRequests(error);
        CompletableFuture<JsonObject> waiting = connecting;
        connecting = null;
        if (waiting != null) {
            waiting.completeExceptionally(error);
        }
    }

    // ---- helpers ----

    /** Runs {@code task} on the client's thread, or fails {@code result} if the client was closed. */
    private void onThread(CompletableFuture<?> result, Runnable task) {
        if (closed) {
            result.completeExceptionally(new ParleyException("closed", "the client was closed"));
            return;
        }
        timers.execute(() -> {
            if (closed) {
                result.completeExceptionally(new ParleyException("closed", "the client was closed"));
            } else {
                task.run();
            }
        });
    }

    private static <T> void complete(CompletableFuture<T> result, T value, Throwable failure) {
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(value);
        }
    }

    private void to(State next) {
        state = next;
        Transport now = transport;
        emit(() -> listener.onState(next, now));
    }

    private void setTransport(Transport kind) {
        if (transport != kind) {
            transport = kind;
            emit(() -> listener.onState(state, kind));
        }
    }

    private void emitError(ParleyException error) {
        emit(() -> listener.onError(error));
    }

    /** A listener's failure is its own: logged, and the client goes on. */
    private void emit(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a Parley client's listener failed", e);
        }
    }

    private static void cancel(Timers.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private static List<JsonObject> objects(JsonValue value) {
        List<JsonObject> list = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonObject object) {
                    list.add(object);
                }
            }
        }
        return list;
    }

    private static long longOf(JsonObject frame, String member) {
        return frame.get(member) instanceof JsonNumber number && number.isIntegral() ? number.longValue() : 0;
    }

    /** A token's {@code exp} in epoch millis, 0 when it has none the client can read (the server judges it). */
    private static long expiry(String token) {
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return 0;
        }
        try (JsonReader reader = Json.createReader(new StringReader(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)))) {
            return reader.readObject().get("exp") instanceof JsonNumber exp ? exp.longValue() * 1000 : 0;
        } catch (RuntimeException unreadable) {
            return 0;
        }
    }

    static String newCid() {
        byte[] bytes = new byte[12];
        CIDS.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
