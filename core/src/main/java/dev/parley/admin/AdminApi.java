package dev.parley.admin;

import dev.parley.broker.BrokerException;
import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Meters;
import dev.parley.metrics.Monitoring;
import dev.parley.ops.OpsPages.Answer;
import dev.parley.room.Moderation;
import dev.parley.room.RoomRegistry;
import dev.parley.store.HistoryStore;
import dev.parley.store.StoreException;
import dev.parley.store.WebhookOutbox;
import dev.parley.webhook.WebhookSender;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin view's API, {@code /admin/api/…}, whoever serves it (the standalone server's
 * handler, the WAR's servlet): charts' samples, this node's rooms with their members, the
 * webhook backlog, and moderation. Every request needs {@code Authorization: Bearer PARLEY_ADMIN_TOKEN};
 * without a token set the view is off and every path answers 404.
 */
@ApplicationScoped
public class AdminApi {
    private static final Logger LOG = Logger.getLogger(AdminApi.class.getName());
    public static final String PREFIX = "/admin/";
    private static final String API = PREFIX + "api/";
    /** Largest request body read; a moderation request is a few dozen bytes. */
    public static final int MAX_BODY = 4096;
    private static final String JSON = "application/json";

    private RoomRegistry registry;
    private Moderation moderation;
    private HistoryStore store;
    private WebhookSender webhooks;
    private Meters meters;
    private byte[] token; // "Bearer …"; null: the view is off
    private final Samples samples = new Samples();
    private ScheduledExecutorService sampler;
    private Reading last;

    /** What the sampler read at the end of the previous second. */
    private record Reading(double stored, double delivered, double[] latency) {
    }

    protected AdminApi() {
        // for the CDI proxy
    }

    @Inject
    public AdminApi(ParleyConfig config, RoomRegistry registry, Moderation moderation, HistoryStore store,
            Monitoring monitoring, WebhookSender webhooks) {
        this.webhooks = webhooks;
        this.registry = registry;
        this.moderation = moderation;
        this.store = store;
        this.meters = monitoring.meters();
        String admin = config.ops().adminToken();
        this.token = admin == null ? null : ("Bearer " + admin).getBytes(StandardCharsets.UTF_8);
    }

    /** Samples once a second from the start (with the view on), so the charts have their last 15 minutes. */
    @PostConstruct
    void start() {
        if (token == null) {
            return;
        }
        sampler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "parley-admin-samples");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // observing is enough: CDI makes the bean to deliver the event
    }

    @PreDestroy
    void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }

    public boolean enabled() {
        return token != null;
    }

    private void sample() {
        try {
            Reading now = new Reading(meters.storedTotal(), meters.deliveredTotal(), meters.latencyBuckets());
            Reading before = last;
            last = now;
            if (before != null) {
                samples.add(new Samples.Sample(System.currentTimeMillis() / 1000, registry.connectionCount(),
                        now.stored() - before.stored(), now.delivered() - before.delivered(),
                        Samples.quantile(0.99, meters.latencyBounds(), before.latency(), now.latency()) * 1000));
            }
        } catch (RuntimeException e) { // keep sampling: one failure must not end the schedule
            LOG.log(Level.WARNING, "admin sample failed", e);
        }
    }

    /**
     * @param method        GET or POST
     * @param path          relative to the application, "/admin/api/rooms"
     * @param authorization the request's Authorization header, or null
     * @param body          the request's body (at most {@link #MAX_BODY} bytes), or null
     */
    public Answer handle(String method, String path, String authorization, String body) {
        if (token == null || !path.startsWith(API)) {
            return error(404, "not found");
        }
        if (authorization == null || !MessageDigest.isEqual(token, authorization.getBytes(StandardCharsets.UTF_8))) {
            return new Answer(401, JSON, "{\"error\":\"unauthorized\"}", Map.of("WWW-Authenticate", "Bearer"));
        }
        String what = path.substring(API.length());
        boolean get = "GET".equals(method);
        boolean post = "POST".equals(method);
        try {
            return switch (what) {
                case "stats" -> get ? ok(samples.json()) : notAllowed("GET");
                case "rooms" -> get ? ok(rooms()) : notAllowed("GET");
                case "disconnect" -> post ? disconnect(read(body)) : notAllowed("POST");
                case "close-room" -> post ? closeRoom(read(body), true) : notAllowed("POST");
                case "reopen-room" -> post ? closeRoom(read(body), false) : notAllowed("POST");
                default -> error(404, "not found");
            };
        } catch (BadRequest e) {
            return error(400, e.getMessage());
        } catch (StoreException | BrokerException e) {
            LOG.log(Level.FINE, "admin request failed", e);
            return error(503, "the store or the cluster is unavailable right now; try again shortly");
        }
    }

    private JsonObject rooms() {
        JsonArrayBuilder rooms = Json.createArrayBuilder();
        for (Moderation.RoomView room : moderation.roomsHere()) {
            rooms.add(Json.createObjectBuilder().add("name", room.name())
                    .add("members", Json.createArrayBuilder(room.members())));
        }
        var answer = Json.createObjectBuilder().add("rooms", rooms)
                .add("closed", Json.createArrayBuilder(moderation.closedRooms()))
                .add("store", store.kind());
        if (webhooks.enabled()) {
            WebhookOutbox.Backlog backlog = webhooks.backlog();
            var most = Json.createObjectBuilder();
            backlog.rooms().entrySet().stream().limit(5).forEach(room -> most.add(room.getKey(), room.getValue()));
            answer.add("webhooks", Json.createObjectBuilder().add("backlog", backlog.events()).add("bytes", backlog.bytes())
                    .add("sending", webhooks.sending()).add("rooms", most));
        }
        return answer.build();
    }

    private Answer disconnect(JsonObject request) {
        String room = room(request);
        String user = text(request, "user");
        return switch (moderation.disconnect(room, user)) {
            case HERE -> ok(Json.createObjectBuilder().add("disconnected", user).add("on", "this node").build());
            case ELSEWHERE -> ok(Json.createObjectBuilder().add("disconnected", user).add("on", "another node").build());
            case NOBODY -> error(404, "nobody named \"" + user + "\" is in #" + room);
        };
    }

    private Answer closeRoom(JsonObject request, boolean close) {
        String room = room(request);
        if (close) {
            int closed = moderation.closeRoom(room);
            return ok(Json.createObjectBuilder().add("closed", room).add("connections", closed).build());
        }
        moderation.reopenRoom(room);
        return ok(Json.createObjectBuilder().add("reopened", room).build());
    }

    private static JsonObject read(String body) {
        if (body == null || body.isEmpty()) {
            throw new BadRequest("a JSON object is expected");
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new BadRequest("a JSON object is expected");
        }
    }

    private String room(JsonObject request) {
        String room = text(request, "room");
        if (!RoomRegistry.validRoomName(room)) {
            throw new BadRequest("a room name matches [a-z0-9][a-z0-9_-]{0,63}");
        }
        return room;
    }

    private static String text(JsonObject request, String member) {
        JsonValue value = request.get(member);
        if (!(value instanceof JsonString string) || string.getString().isEmpty() || string.getString().length() > 256) {
            throw new BadRequest("\"" + member + "\" must be a string of 1 to 256 characters");
        }
        return string.getString();
    }

    private static Answer ok(JsonObject body) {
        return new Answer(200, JSON, body.toString(), Map.of());
    }

    private static Answer error(int status, String message) {
        return new Answer(status, JSON, Json.createObjectBuilder().add("error", message).build().toString(), Map.of());
    }

    private static Answer notAllowed(String allowed) {
        return new Answer(405, JSON, "{\"error\":\"method not allowed\"}", Map.of("Allow", allowed));
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
