package dev.parley.api;

import dev.parley.broker.BrokerException;
import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Meters;
import dev.parley.metrics.Monitoring;
import dev.parley.ops.OpsPages.Answer;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.InboundDecoder;
import dev.parley.protocol.OutboundEncoder;
import dev.parley.protocol.ProtocolException;
import dev.parley.room.Backend;
import dev.parley.room.RoomRegistry;
import dev.parley.store.Appended;
import dev.parley.store.Sanction;
import dev.parley.store.StoreException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server API, {@code /api/v1/…} (SERVER-API.md, and docs/SERVER-API.md for what
 * Parley decides), whoever serves it: the standalone server's handler, the WAR's servlet.
 * Each asks in this order: {@link #refusal} (off, or not the key: before anything else
 * about the request), then the body's size ({@link #tooBig}), then {@link #handle}. The
 * chat side of every route is {@link Backend}'s.
 *
 * <p>{@link #handle} runs what reads (the store, the cluster) on the calling thread and
 * answers a publish or delete when the store has it, on the store's thread: no thread
 * waits for a commit.
 */
@ApplicationScoped
public class ServerApi {
    private static final Logger LOG = Logger.getLogger(ServerApi.class.getName());
    /** Where the API is, relative to the application. */
    public static final String PREFIX = "/api/v1";
    /** The largest request body: beyond it 413 {@code too-big}. */
    public static final int MAX_BODY = 64 * 1024;
    /** Rooms in one page of {@code GET /rooms}. */
    static final int ROOMS_PAGE = 1000;
    private static final long STORE_TIMEOUT_SECONDS = 10;
    private static final String JSON = "application/json; charset=utf-8";
    private static final String OTHER = "other";
    /** Looked up once: {@code Json.create…} would look the provider up at every call. */
    private static final JsonProvider JSON_P = JsonProvider.provider();
    /** The API's own codes, beside the wire protocol's. */
    private static final String NOT_FOUND = "not-found";

    private Backend backend;
    private Meters meters;
    private OutboundEncoder encoder;
    private byte[] keyDigest; // null: the API is off

    protected ServerApi() {
        // for the CDI proxy
    }

    @Inject
    public ServerApi(ParleyConfig config, Backend backend, Monitoring monitoring) {
        this.backend = backend;
        this.meters = monitoring.meters();
        this.encoder = new OutboundEncoder();
        String key = config.api().key();
        this.keyDigest = key == null ? null : sha256(key);
    }

    public boolean enabled() {
        return keyDigest != null;
    }

    /**
     * The answer to a request that goes no further: 404 while the API is off, 401 without
     * the key. Null: go on. The key is compared as digests, in constant time whatever the
     * length of what came.
     *
     * @param path relative to {@link #PREFIX}, for the metric's route only
     */
    public Answer refusal(String method, String path, String authorization) {
        if (keyDigest == null) {
            return count(method, path, error(404, NOT_FOUND, "Not found."));
        }
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        byte[] presented = sha256(bearer ? authorization.substring(7) : "");
        if (!MessageDigest.isEqual(keyDigest, presented) || !bearer) {
            return count(method, path, new Answer(401, JSON, errorBody("unauthorized",
                    "This API needs Authorization: Bearer and the server's PARLEY_API_KEY."),
                    Map.of("WWW-Authenticate", "Bearer")));
        }
        return null;
    }

    /** The answer to a body of more than {@link #MAX_BODY} bytes. */
    public Answer tooBig(String method, String path) {
        return count(method, path, new Answer(413, JSON, errorBody("too-big",
                "A request body has at most " + MAX_BODY + " bytes."), Map.of("Connection", "close")));
    }

    /**
     * Answers a request that passed {@link #refusal} and whose body is at most {@link #MAX_BODY} bytes.
     *
     * @param path  relative to {@link #PREFIX}, as it came (not decoded): "/rooms/lobby/messages"
     * @param query the query string as it came, or null
     * @param body  the body, or null
     */
    public CompletionStage<Answer> handle(String method, String path, String query, byte[] body) {
        Route.Match match = Route.match(method, path);
        String route = match.route() == null ? OTHER : match.route().label();
        CompletionStage<Answer> answer;
        try {
            answer = match.route() == null ? CompletableFuture.completedFuture(unrouted(match))
                    : run(match.route(), new Call(match.segments(), Query.parse(query), body));
        } catch (Refused e) {
            answer = CompletableFuture.completedFuture(e.answer);
        } catch (StoreException | BrokerException e) {
            answer = CompletableFuture.completedFuture(unavailable(e));
        } catch (RuntimeException e) {
            answer = CompletableFuture.completedFuture(failed(e));
        }
        return answer.exceptionally(ServerApi::afterFailure).thenApply(done -> {
            meters.apiRequest(route, done.status());
            return done;
        });
    }

    // ---- routes ----

    private CompletionStage<Answer> run(Route route, Call call) {
        return switch (route) {
            case PUBLISH -> publish(call.room(), call.body());
            case HISTORY -> now(ok(200, encoder.encodeLog(call.room(), backend.history(call.room(),
                    call.query().nonNegative("before", Long.MAX_VALUE), call.query().limit()))));
            case DELETE_MESSAGE -> delete(call.room(), call.seq());
            case MEMBERS -> now(members(call.room()));
            case ROOMS -> now(rooms(call.query().text("after", "")));
            case DISCONNECT -> now(backend.disconnect(call.room(), call.user())
                    ? noContent() : error(404, NOT_FOUND, "Nobody by that name is in the room."));
            case BANS -> now(bans(call.room()));
            case BAN -> now(ban(call.room(), call.body()));
            case UNBAN -> {
                backend.unban(call.room(), call.user());
                yield now(noContent());
            }
        };
    }

    private CompletionStage<Answer> publish(String room, JsonObject body) {
        String user = name(body, "user");
        String text = requiredString(body, "text", ErrorCode.BAD_TEXT);
        try {
            text = InboundDecoder.validText(text);
        } catch (ProtocolException e) {
            throw new Refused(error(400, e.code(), e.getMessage()));
        }
        long replyTo = 0;
        JsonValue reply = body.get("reply_to");
        if (reply != null && reply != JsonValue.NULL) {
            replyTo = integer(reply, "reply_to");
            if (replyTo < 1) {
                throw new Refused(error(404, ErrorCode.NO_SUCH_MESSAGE, "reply_to names no message of this room."));
            }
        }
        String key = null;
        JsonValue idempotency = body.get("idempotency_key");
        if (idempotency != null && idempotency != JsonValue.NULL) {
            if (!(idempotency instanceof JsonString s) || !InboundDecoder.validId(s.getString())) {
                throw badJson("idempotency_key must be a string of 1 to 64 characters.");
            }
            key = s.getString();
        }
        return stored(backend.publish(room, user, text, replyTo, key), appended -> {
            if (appended instanceof Appended.Stored stored) {
                return ok(201, sent(stored.entry().seq(), stored.entry().ts()));
            }
            Appended.Duplicate first = (Appended.Duplicate) appended;
            return ok(200, sent(first.seq(), first.ts()));
        });
    }

    private CompletionStage<Answer> delete(String room, long seq) {
        return stored(backend.delete(room, seq), appended -> noContent());
    }

    /** A write's answer once the store has it: a refusal is the wire's code, a store that does not answer 503. */
    private static CompletionStage<Answer> stored(CompletionStage<Appended> write,
            Function<Appended, Answer> answer) {
        return write.toCompletableFuture().orTimeout(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS).thenApply(appended -> {
            if (appended instanceof Appended.Refused refused) {
                return error(refused.code() == ErrorCode.NO_SUCH_MESSAGE ? 404 : 400, refused.code(), refused.message());
            }
            return answer.apply(appended);
        });
    }

    private static String sent(long seq, Instant ts) {
        return JSON_P.createObjectBuilder().add("seq", seq).add("ts", OutboundEncoder.timestamp(ts)).build().toString();
    }

    private Answer members(String room) {
        List<String> users = backend.members(room);
        return ok(200, JSON_P.createObjectBuilder().add("room", room).add("users", JSON_P.createArrayBuilder(users))
                .add("count", users.size()).build().toString());
    }

    private Answer rooms(String after) {
        List<Backend.RoomState> rooms = backend.rooms(after, ROOMS_PAGE + 1);
        JsonArrayBuilder list = JSON_P.createArrayBuilder();
        rooms.stream().limit(ROOMS_PAGE).forEach(room -> list.add(JSON_P.createObjectBuilder().add("room", room.room())
                .add("count", room.count()).add("last", room.last())));
        JsonObjectBuilder answer = JSON_P.createObjectBuilder().add("rooms", list);
        if (rooms.size() > ROOMS_PAGE) {
            answer.add("next", rooms.get(ROOMS_PAGE - 1).room());
        }
        return ok(200, answer.build().toString());
    }

    private Answer bans(String room) {
        JsonArrayBuilder bans = JSON_P.createArrayBuilder();
        for (Sanction ban : backend.bans(room)) {
            bans.add(until(JSON_P.createObjectBuilder().add("user", ban.user()), ban.until()));
        }
        return ok(200, JSON_P.createObjectBuilder().add("room", room).add("bans", bans).build().toString());
    }

    private Answer ban(String room, JsonObject body) {
        String user = name(body, "user");
        Instant until = Instant.MAX;
        JsonValue seconds = body.get("seconds");
        if (seconds != null && seconds != JsonValue.NULL) {
            long s = integer(seconds, "seconds");
            if (s < 1 || s > InboundDecoder.MAX_SANCTION_SECONDS) {
                throw badJson("seconds must be an integer from 1 to " + InboundDecoder.MAX_SANCTION_SECONDS + ".");
            }
            until = Instant.now().plusSeconds(s);
        }
        backend.ban(room, user, until);
        return ok(201, until(JSON_P.createObjectBuilder().add("room", room).add("user", user), until).build().toString());
    }

    private static JsonObjectBuilder until(JsonObjectBuilder object, Instant until) {
        return until.equals(Instant.MAX) ? object.addNull("until") : object.add("until", OutboundEncoder.timestamp(until));
    }

    /** A path no route has: 404, or 405 where a route has the path but not the method. */
    private static Answer unrouted(Route.Match match) {
        if (match.allowed().isEmpty()) {
            return error(404, NOT_FOUND, "No such resource.");
        }
        String allow = String.join(", ", match.allowed());
        return new Answer(405, JSON, errorBody(NOT_FOUND, "This path takes " + allow + "."), Map.of("Allow", allow));
    }

    // ---- what a request carries ----

    /** A routed request: its path's segments, its query, and its body (read as JSON where the route takes one). */
    private record Call(List<String> segments, Query query, byte[] raw) {
        String room() {
            String room = segments.get(1);
            if (!RoomRegistry.validRoomName(room)) {
                throw new Refused(error(400, ErrorCode.BAD_ROOM, "A room name matches [a-z0-9][a-z0-9_-]{0,63}."));
            }
            return room;
        }

        /** The user a path names: percent-decoded, then by the name rules. */
        String user() {
            String raw = Route.decode(segments.get(3));
            try {
                if (raw == null) {
                    throw new ProtocolException(ErrorCode.BAD_NAME, "The name in the path is not UTF-8.", null, null);
                }
                return InboundDecoder.validName(raw);
            } catch (ProtocolException e) {
                throw new Refused(error(400, ErrorCode.BAD_NAME, e.getMessage()));
            }
        }

        /** A message's seq in the path: a positive integer, else the path names nothing. */
        long seq() {
            String seq = segments.get(3);
            if (seq.isEmpty() || seq.length() > 18 || !seq.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Long.parseLong(seq) < 1) {
                throw new Refused(error(404, NOT_FOUND, "No such message."));
            }
            return Long.parseLong(seq);
        }

        JsonObject body() {
            if (raw == null || raw.length == 0) {
                throw badJson("The body must be a JSON object.");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw badJson("The body must be UTF-8.");
            }
            try (JsonReader reader = JSON_P.createReader(new StringReader(text))) {
                JsonValue value = reader.readValue();
                if (value instanceof JsonObject object) {
                    return object;
                }
            } catch (RuntimeException | StackOverflowError e) { // not JSON, or past the parser's limits
                throw badJson("The body must be a JSON object.");
            }
            throw badJson("The body must be a JSON object.");
        }
    }

    /** A required string member naming a user, by the name rules: absent is {@code bad-name}, not a string {@code bad-json}. */
    private static String name(JsonObject body, String member) {
        try {
            return InboundDecoder.validName(requiredString(body, member, ErrorCode.BAD_NAME));
        } catch (ProtocolException e) {
            throw new Refused(error(400, ErrorCode.BAD_NAME, e.getMessage()));
        }
    }

    /** A required string member: absent gets {@code missing} (the wire's code), any other JSON type {@code bad-json}. */
    private static String requiredString(JsonObject body, String member, ErrorCode missing) {
        JsonValue value = body.get(member);
        if (value == null) {
            throw new Refused(error(400, missing, "The body needs \"" + member + "\"."));
        }
        if (!(value instanceof JsonString s)) {
            throw badJson("\"" + member + "\" must be a string.");
        }
        return s.getString();
    }

    private static long integer(JsonValue value, String member) {
        if (value instanceof JsonNumber number && number.isIntegral()) {
            try {
                return number.longValueExact();
            } catch (ArithmeticException tooBig) {
                // below
            }
        }
        throw badJson("\"" + member + "\" must be an integer.");
    }

    // ---- answers ----

    private static CompletionStage<Answer> now(Answer answer) {
        return CompletableFuture.completedFuture(answer);
    }

    private static Answer ok(int status, String json) {
        return new Answer(status, JSON, json, Map.of());
    }

    private static Answer noContent() {
        return new Answer(204, null, "", Map.of());
    }

    static Answer error(int status, ErrorCode code, String message) {
        return error(status, code.wireName(), message);
    }

    static Answer error(int status, String code, String message) {
        return new Answer(status, JSON, errorBody(code, message), Map.of());
    }

    private static String errorBody(String code, String message) {
        return JSON_P.createObjectBuilder().add("code", code).add("message", message).build().toString();
    }

    static Refused badJson(String message) {
        return new Refused(error(400, ErrorCode.BAD_JSON, message));
    }

    private static Answer unavailable(RuntimeException e) {
        LOG.log(Level.FINE, "server API request failed", e);
        return new Answer(503, JSON, errorBody(ErrorCode.UNAVAILABLE.wireName(),
                "The store or the cluster is not answering right now; try again shortly."), Map.of("Retry-After", "1"));
    }

    private static Answer failed(RuntimeException e) {
        LOG.log(Level.WARNING, "server API request failed", e);
        return new Answer(500, JSON, errorBody(ErrorCode.UNAVAILABLE.wireName(), "The server failed to answer."),
                Map.of());
    }

    /**
     * A write whose stage failed: the store refused it (its queue full, the database down)
     * or did not answer in time. 503 either way: whether it was stored is not known, and a
     * resend with the same idempotency key is what makes that safe.
     */
    private static Answer afterFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Refused refused) {
            return refused.answer;
        }
        boolean expected = cause instanceof StoreException || cause instanceof BrokerException
                || cause instanceof TimeoutException;
        LOG.log(expected ? Level.FINE : Level.WARNING, "server API write failed", cause);
        return new Answer(503, JSON, errorBody(ErrorCode.UNAVAILABLE.wireName(),
                "The store did not take it now; send it again (with its idempotency_key) shortly."),
                Map.of("Retry-After", "1"));
    }

    private Answer count(String method, String path, Answer answer) {
        Route.Match match = Route.match(method, path);
        meters.apiRequest(match.route() == null ? OTHER : match.route().label(), answer.status());
        return answer;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** An answer decided while reading the request: thrown out of the route, answered as it is. */
    static final class Refused extends RuntimeException {
        final transient Answer answer;

        Refused(Answer answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }
}
