package dev.parley.metrics;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.InboundType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What Parley counts, as Micrometer meters made once: the hot path only adds to a
 * counter it holds in a field or an array (a {@code LongAdder} underneath: no lock, no
 * allocation). Names get Prometheus' form from the registry: {@code parley.frames.received}
 * is scraped as {@code parley_frames_received_total}. Tags come from Parley's own closed
 * sets (frame types, error codes, Parley's close reasons), never from what a client
 * names, so no client can grow the number of series.
 */
public final class Meters {
    /** Buckets of the latency histograms, in seconds: a chat is fine under 100 ms, bad over a second. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000};

    private final MeterRegistry registry;
    private final Counter[] received = new Counter[InboundType.values().length];
    private final Counter receivedInvalid;
    private final Counter receivedBinary;
    private final Counter[] errors = new Counter[ErrorCode.values().length];
    /** Close counters by "code reason"; Parley's reasons are a handful, the cap only guards against a mistake. */
    private final ConcurrentHashMap<String, Counter> closes = new ConcurrentHashMap<>();
    private static final int MAX_CLOSE_SERIES = 64;
    /** Server API requests by "route status": the API's routes and Parley's own statuses, a closed set. */
    private final ConcurrentHashMap<String, Counter> apiRequests = new ConcurrentHashMap<>();
    private final Counter stored;
    private final Counter acks;
    private final Counter deliveries;
    private final Timer latency;
    private final Timer commitTime;
    private final DistributionSummary commitBatch;
    private final Counter commitFailures;
    private final Counter publishErrors;
    private final Counter gapsFilled;
    private final Counter presenceExpiries;
    private final Counter recoveryReads;
    private final Counter newestReads;

    public Meters(MeterRegistry registry) {
        this.registry = registry;
        for (InboundType type : InboundType.values()) {
            received[type.ordinal()] = received(type.wireName());
        }
        receivedInvalid = received("invalid");
        receivedBinary = received("binary");
        for (ErrorCode code : ErrorCode.values()) {
            errors[code.ordinal()] = Counter.builder("parley.errors").tag("code", code.wireName())
                    .description("Error frames sent to clients, by code").register(registry);
        }
        stored = Counter.builder("parley.messages.stored")
                .description("Messages this node stored (each got its seq)").register(registry);
        acks = Counter.builder("parley.acks").description("Acks sent to senders").register(registry);
        deliveries = Counter.builder("parley.deliveries")
                .description("Messages queued for members of this node, one per member").register(registry);
        latency = Timer.builder("parley.delivery.latency")
                .description("From a message's arrival at this node to its fan-out to the members here")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        commitTime = Timer.builder("parley.store.commit")
                .description("Time of one commit of the JDBC store's writer").serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        commitBatch = DistributionSummary.builder("parley.store.batch").baseUnit("messages")
                .description("Messages in one commit of the JDBC store's writer").serviceLevelObjectives(BATCH_BUCKETS)
                .register(registry);
        commitFailures = Counter.builder("parley.store.commit.failures")
                .description("Commits the database refused (their messages were refused with unavailable)")
                .register(registry);
        publishErrors = Counter.builder("parley.broker.publish.errors")
                .description("Cluster mode: publications Redis did not take (the other nodes fill them from the store)")
                .register(registry);
        gapsFilled = Counter.builder("parley.gaps.filled").baseUnit("messages")
                .description("Messages read from the store because their publication did not arrive").register(registry);
        presenceExpiries = Counter.builder("parley.presence.expiries")
                .description("Cluster mode: dead nodes this node reaped").register(registry);
        recoveryReads = storeReads(registry, "recovery");
        newestReads = storeReads(registry, "newest");
    }

    private static Counter storeReads(MeterRegistry registry, String kind) {
        return Counter.builder("parley.store.reads").tag("kind", kind)
                .description("Welcomes' reads of the store (recovery: what a join with since missed; newest: the newest"
                        + " messages), one read answering every join of the room that waited for it").register(registry);
    }

    /** A welcome's read of the store, of {@code kind} recovery or newest. */
    public void storeRead(String kind) {
        (kind.equals("recovery") ? recoveryReads : newestReads).increment();
    }

    /**
     * A server API request was answered. {@code route} is the contract's method and path
     * ({@code "POST /rooms/{room}/messages"}) or {@code "other"}, never the path asked for.
     */
    public void apiRequest(String route, int status) {
        apiRequests.computeIfAbsent(route + ' ' + status, series -> Counter.builder("parley.api.requests")
                .tag("route", route).tag("status", Integer.toString(status))
                .description("Server API requests, by route and status").register(registry)).increment();
    }

    /** Meters that count nothing, for a store or broker made outside an application (tests, tools). */
    public static Meters none() {
        return new Meters(new CompositeMeterRegistry());
    }

    private Counter received(String type) {
        return Counter.builder("parley.frames.received").tag("type", type)
                .description("Text frames received, by type (invalid: not a frame Parley could read)").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /**
     * The counters of one way of writing WebSocket frames ({@code path}: {@code tyrus},
     * {@code undertow} or {@code portable}): writes, and the frames they carried, more than
     * one a write where frames queued for a connection and went out together.
     */
    public Writes writes(String path) {
        return new Writes(
                Counter.builder("parley.websocket.writes").tag("path", path)
                        .description("Writes of WebSocket frames to sockets, by the way they were written").register(registry),
                Counter.builder("parley.websocket.frames").tag("path", path)
                        .description("WebSocket frames written, by the way they were written").register(registry));
    }

    /** See {@link #writes(String)}. */
    public record Writes(Counter writes, Counter frames) {
        public void wrote(int frameCount) {
            writes.increment();
            frames.increment(frameCount);
        }
    }

    public void received(InboundType type) {
        received[type.ordinal()].increment();
    }

    /** A text frame that did not decode to a frame of a known type. */
    public void receivedInvalid() {
        receivedInvalid.increment();
    }

    public void receivedBinary() {
        receivedBinary.increment();
    }

    public void error(ErrorCode code) {
        errors[code.ordinal()].increment();
    }

    /** Parley closed a connection (not the client): by code and Parley's reason, from a closed set. */
    public void closed(CloseReason reason) {
        closes(reason).increment();
    }

    /** Makes the counter of a close reason now, so that its series is there (at 0) before the first such close. */
    public void declare(CloseReason reason) {
        closes(reason);
    }

    private Counter closes(CloseReason reason) {
        String code = Integer.toString(reason.getCloseCode().getCode());
        String phrase = reason.getReasonPhrase();
        Counter counter = closes.get(code + ' ' + phrase);
        if (counter == null) {
            String key = closes.size() < MAX_CLOSE_SERIES ? code + ' ' + phrase : code + " other";
            counter = closes.computeIfAbsent(key, k -> Counter.builder("parley.closes").tag("code", code)
                    .tag("reason", k.substring(code.length() + 1))
                    .description("Connections Parley closed, by close code and reason").register(registry));
        }
        return counter;
    }

    public void stored() {
        stored.increment();
    }

    public void acked() {
        acks.increment();
    }

    public void delivered(int members) {
        if (members > 0) {
            deliveries.increment(members);
        }
    }

    /** A message fanned out here, {@code nanos} after it arrived. */
    public void latency(long nanos) {
        latency.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    public void committed(int messages, long nanos) {
        commitTime.record(nanos, TimeUnit.NANOSECONDS);
        commitBatch.record(messages);
    }

    public void commitFailed() {
        commitFailures.increment();
    }

    public void publishFailed() {
        publishErrors.increment();
    }

    public void gapFilled(int messages) {
        if (messages > 0) {
            gapsFilled.increment(messages);
        }
    }

    public void presenceExpired() {
        presenceExpiries.increment();
    }

    // ---- read back, for the admin view's samples ----

    public double storedTotal() {
        return stored.count();
    }

    public double deliveredTotal() {
        return deliveries.count();
    }

    /** The delivery latency buckets' upper bounds in seconds, ascending, ending with +Inf. */
    public double[] latencyBounds() {
        double[] bounds = new double[LATENCY_BUCKETS.length + 1];
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            bounds[i] = LATENCY_BUCKETS[i].toNanos() / 1e9;
        }
        bounds[LATENCY_BUCKETS.length] = Double.POSITIVE_INFINITY;
        return bounds;
    }

    /** The delivery latency samples so far at or under each of {@link #latencyBounds()}. */
    public double[] latencyBuckets() {
        HistogramSnapshot snapshot = latency.takeSnapshot();
        CountAtBucket[] buckets = snapshot.histogramCounts();
        double[] counts = new double[LATENCY_BUCKETS.length + 1];
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            long bound = LATENCY_BUCKETS[i].toNanos();
            for (CountAtBucket bucket : buckets) {
                if ((long) bucket.bucket(TimeUnit.NANOSECONDS) == bound) {
                    counts[i] = bucket.count();
                }
            }
        }
        counts[LATENCY_BUCKETS.length] = snapshot.count();
        return counts;
    }
}
