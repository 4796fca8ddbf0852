package dev.parley.sse;

import dev.parley.broker.Relay;
import dev.parley.config.Forwarding;
import dev.parley.config.ParleyConfig;
import dev.parley.room.CloseReasons;
import dev.parley.room.Connection;
import dev.parley.room.Handshake;
import dev.parley.room.RoomRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The HTTP transport (docs/PROTOCOL.md, "HTTP transport"): a {@code GET} opens a
 * connection whose frames go down an event stream, each {@code POST} hands it one frame,
 * a {@code DELETE} closes it. This holds the open streams by id and answers the requests;
 * the containers' adapters (the standalone server's Grizzly handler, the WAR's servlet)
 * only move bytes. What a frame does is the {@link Connection}'s, as on WebSocket. In a
 * cluster the id names the node that holds the connection, and a request that reaches
 * another node is forwarded there over the {@link Relay}: no sticky sessions.
 */
@ApplicationScoped
public class SseTransport {
    private static final Logger LOG = Logger.getLogger(SseTransport.class.getName());
    /** The browser's reconnect delay the stream asks for. */
    static final long RETRY_MILLIS = 2000;
    /**
     * A comment after this long without a write: within the 25 s of PROTOCOL.md, and often
     * enough that a servlet container, which notices a vanished client only when a write to
     * it fails (the second after the loss, as a rule), notices within about half a minute.
     */
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** A close event not written by then (the client stopped reading): the response is dropped. */
    static final long CLOSE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long TICK_MILLIS = 5000;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,88}\\.[A-Za-z0-9_-]{22}");
    private static final Pattern JSON_TYPE = Pattern.compile(
            "application/json\\s*(;\\s*charset\\s*=\\s*\"?utf-8\"?\\s*)?", Pattern.CASE_INSENSITIVE);

    private static final char FRAME = 'F';
    private static final char TOO_BIG = 'B';
    private static final char DELETE = 'D';
    private static final Answer NOT_FOUND = new Answer(404,
            "No open connection has that id in this room: open the stream (GET) first.");
    private static final Answer UNREACHABLE = new Answer(503,
            "The node that holds this connection did not answer in time; the frame may not have been taken.");

    /** What a POST or DELETE gets: a status and, for an error, its sentence. */
    public record Answer(int status, String error) {
        static final Answer TAKEN = new Answer(202, null);
        static final Answer CLOSED = new Answer(204, null);

        /** The body: {@code {"error": "…"}}, or none. */
        public byte[] body() {
            return error == null ? new byte[0] : jakarta.json.Json.createObjectBuilder().add("error", error).build()
                    .toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** What the adapter tells of a request. */
    public record Request(String origin, String host, String address, String lastEventId) {
    }

    /**
     * What a request says of its client: its {@code Origin} and {@code Last-Event-ID}, and the
     * client's address and the host it asked for, through the trusted proxies' headers
     * (config.Forwarding).
     *
     * @param peer    the address the request came from
     * @param headers a header by name, several values joined with commas; null for one it has not
     */
    public Request request(String peer, UnaryOperator<String> headers) {
        Forwarding forwarding = config.forwarding(peer, headers.apply("Host"), headers);
        return new Request(headers.apply("Origin"), forwarding.host(), forwarding.address(), headers.apply("Last-Event-ID"));
    }

    private final Map<String, SseStream> streams = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private RoomRegistry registry;
    private ParleyConfig config;
    private Relay relay;
    private String node;
    private String idPrefix;
    private ScheduledExecutorService timer;

    protected SseTransport() {
        // for the CDI proxy
    }

    @Inject
    public SseTransport(RoomRegistry registry, ParleyConfig config, Relay relay) {
        this.registry = registry;
        this.config = config;
        this.relay = relay;
        this.node = config.cluster().nodeId();
        this.idPrefix = Base64.getUrlEncoder().withoutPadding().encodeToString(node.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    @PostConstruct
    void start() {
        relay.answerForwarded(this::take);
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "parley-sse-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        streams.values().forEach(stream -> stream.failed(new IOException("server stopped")));
    }

    /** The largest body a POST may have: the frame limit. A reader stops after one byte more. */
    public int maxBody() {
        return config.maxFrameBytes();
    }

    /**
     * {@code GET …/sse/{room}}: a new connection to the room on this stream. The adapter
     * has answered 200 with the event stream's headers; everything else, a refusal too,
     * comes as events, as a WebSocket's frames and close would.
     */
    public void open(String room, Request request, SseStream.Sink sink) {
        SseStream stream = new SseStream(newId(), room, RETRY_MILLIS, sink, ended -> streams.remove(ended.id(), ended));
        sink.bind(stream);
        streams.put(stream.id(), stream);
        Handshake handshake = new Handshake(true, request.origin(), request.host(), request.address(),
                lastSeen(request.lastEventId()));
        Connection connection;
        try {
            connection = registry.open(stream, handshake, room);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "An event stream to " + room + " failed to open", e);
            stream.attach(null);
            stream.close(CloseReasons.SERVER_ERROR);
            return;
        }
        stream.attach(connection);
    }

    /**
     * {@code POST …/sse/{room}/{id}}: one frame for the connection. {@code body} is what
     * the adapter read, at most {@link #maxBody} + 1 bytes (more means too big). Answered at
     * once when the connection is here; in a cluster, when the node that holds it answered.
     */
    public CompletionStage<Answer> post(String room, String id, String contentType, Request request, byte[] body) {
        Answer refused = refusal(id, request);
        if (refused == null && (contentType == null || !JSON_TYPE.matcher(contentType.strip()).matches())) {
            refused = new Answer(415, "A frame is sent as Content-Type: application/json (UTF-8).");
        }
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        if (body.length > config.maxFrameBytes()) {
            return deliver(new Relay.Forward(TOO_BIG, id, room, ""));
        }
        try {
            String frame = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            return deliver(new Relay.Forward(FRAME, id, room, frame));
        } catch (CharacterCodingException e) {
            return CompletableFuture.completedFuture(new Answer(400, "The body is not UTF-8."));
        }
    }

    /** {@code DELETE …/sse/{room}/{id}}: the client closes the connection (the room hears {@code left}). */
    public CompletionStage<Answer> delete(String room, String id, Request request) {
        Answer refused = refusal(id, request);
        return refused != null ? CompletableFuture.completedFuture(refused) : deliver(new Relay.Forward(DELETE, id, room, ""));
    }

    /** The refusal a request gets before its connection is looked for: a malformed id, a foreign origin. */
    private Answer refusal(String id, Request request) {
        if (!ID.matcher(id).matches()) {
            return new Answer(400, "That is not a connection id.");
        }
        if (request.origin() != null && !config.allowedOrigins().allows(request.origin(), request.host())) {
            return new Answer(403, "Pages of that origin may not use this server.");
        }
        return null;
    }

    /** To the connection here, or over the relay to the node its id names (one node alone: none, 404). */
    private CompletionStage<Answer> deliver(Relay.Forward request) {
        String holder = nodeOf(request.connection());
        if (!streams.containsKey(request.connection()) && holder != null && !holder.equals(node)) {
            return relay.forward(holder, request).handle((status, failure) -> {
                if (failure != null) {
                    LOG.log(Level.FINE, "forwarding to " + holder + " failed", failure);
                    return UNREACHABLE;
                }
                return answer(status);
            });
        }
        return CompletableFuture.completedFuture(answer(take(request)));
    }

    /** A request for a connection of this node, from here or forwarded by another node: its HTTP status. */
    private int take(Relay.Forward request) {
        SseStream stream = streams.get(request.connection());
        if (stream == null || !stream.room().equals(request.room()) || !stream.open()) {
            return 404;
        }
        switch (request.kind()) {
            case FRAME -> {
                stream.receive(request.frame());
                return 202;
            }
            case TOO_BIG -> {
                stream.connection().receiveOversized();
                return 413;
            }
            case DELETE -> {
                stream.closedByClient();
                return 204;
            }
            default -> throw new IllegalArgumentException("no such request: " + request.kind());
        }
    }

    private Answer answer(int status) {
        return switch (status) {
            case 202 -> Answer.TAKEN;
            case 204 -> Answer.CLOSED;
            case 413 -> new Answer(413, "A frame is at most " + config.maxFrameBytes()
                    + " bytes; the connection is closed (1009).");
            case 404 -> NOT_FOUND;
            default -> new Answer(status, "Refused.");
        };
    }

    /** The node an id names, or null if its first part is not a node's name. */
    private static String nodeOf(String id) {
        try {
            return new String(Base64.getUrlDecoder().decode(id.substring(0, id.indexOf('.'))), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** The connection's id: the node's name (for forwarding in a cluster) and 128 random bits. */
    private String newId() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return idPrefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** A Last-Event-ID that is a seq, or -1. */
    private static long lastSeen(String lastEventId) {
        if (lastEventId == null || lastEventId.isEmpty() || lastEventId.length() > 18) {
            return -1;
        }
        for (int i = 0; i < lastEventId.length(); i++) {
            if (lastEventId.charAt(i) < '0' || lastEventId.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(lastEventId);
    }

    /** Open event streams on this node. */
    public int streamCount() {
        return streams.size();
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            for (SseStream stream : streams.values()) {
                stream.tick(now, HEARTBEAT_NANOS, CLOSE_NANOS);
            }
        } catch (RuntimeException e) { // keep ticking
            LOG.log(Level.WARNING, "event stream heartbeat failed", e);
        }
    }
}
