package dev.parley.webhook;

import dev.parley.config.ParleyConfig;
import dev.parley.metrics.Monitoring;
import dev.parley.store.HistoryStore;
import dev.parley.store.WebhookOutbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends the store's webhook events to PARLEY_WEBHOOK_URL (SERVER-API.md, "Webhooks"), on
 * a thread of its own: the chat never waits for it, and a slow or dead receiver only
 * grows the store's bounded backlog ({@link WebhookOutbox}).
 *
 * <ul>
 * <li>One node sends: the one holding the store's lease, renewed every
 * {@value #RENEW_SECONDS} s for {@value #LEASE_SECONDS} s; another takes it over when it
 * lapses. Every node reads the backlog, which also tells its store which rooms are full.</li>
 * <li>A room's events go one at a time, oldest first: the next only once the receiver
 * took the one before (a 2xx within {@value #TIMEOUT_SECONDS} s). Up to
 * {@value #MAX_IN_FLIGHT} rooms at once.</li>
 * <li>An event that was not taken waits ({@link Backoff}: 1 s, doubling, at most 10
 * minutes) and goes again with the same body and id. One that failed for
 * {@value #GIVE_UP_HOURS} hours is given up, logged and counted, so that one event the
 * receiver always refuses does not hold its room for ever.</li>
 * </ul>
 *
 * <p>The loop's thread does every store call; the HTTP client's threads only hand the
 * outcome back to it.
 */
@ApplicationScoped
public class WebhookSender {
    private static final Logger LOG = Logger.getLogger(WebhookSender.class.getName());
    static final int MAX_IN_FLIGHT = 32;
    static final long TIMEOUT_SECONDS = 10;
    static final long LEASE_SECONDS = 15;
    static final long RENEW_SECONDS = 5;
    static final long GIVE_UP_HOURS = 72;
    private static final long IDLE_MILLIS = 1000;
    private static final long BUSY_MILLIS = 50;

    private ParleyConfig config;
    private HistoryStore store;
    private MeterRegistry registry;
    private Thread loop;
    private volatile boolean stopping;
    private volatile boolean holder;
    private volatile WebhookOutbox.Backlog backlog = WebhookOutbox.Backlog.NONE;

    private Signature signature;
    private HttpClient http;
    private WebhookOutbox outbox;
    private String node;
    /** The rooms whose oldest event is on its way, to the event. */
    private final Map<String, WebhookOutbox.Event> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Boolean> wake = new ArrayBlockingQueue<>(1);
    private long nextHousekeeping;
    private boolean storeFailing;

    private Counter delivered;
    private Counter failed;
    private Counter retried;
    private Counter expired;
    private Timer latency;
    private MultiGauge roomBacklog;

    /** What became of one attempt: delivered, or not (with why, for the log). */
    private record Outcome(WebhookOutbox.Event event, boolean delivered, String why) {
    }

    protected WebhookSender() {
        // for the CDI proxy
    }

    @Inject
    public WebhookSender(ParleyConfig config, HistoryStore store, Monitoring monitoring) {
        this.config = config;
        this.store = store;
        this.registry = monitoring.registry();
    }

    public boolean enabled() {
        return config.api().webhooks();
    }

    /** Whether this node sends now (it holds the lease). */
    public boolean sending() {
        return holder;
    }

    /** What waited at the last look (every few seconds). */
    public WebhookOutbox.Backlog backlog() {
        return backlog;
    }

    @PostConstruct
    void start() {
        if (!enabled()) {
            return;
        }
        outbox = store.webhooks();
        signature = new Signature(config.api().webhookSecret());
        node = config.cluster().nodeId();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        meters();
        loop = new Thread(this::run, "parley-webhooks");
        loop.setDaemon(true);
        loop.start();
    }

    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // observing is enough: CDI makes the bean to deliver the event
    }

    @PreDestroy
    void stop() {
        if (loop == null) {
            return;
        }
        stopping = true;
        wake.offer(Boolean.TRUE);
        try {
            loop.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (holder) {
            try {
                outbox.release(node);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "webhook lease not released", e);
            }
        }
    }

    private void meters() {
        delivered = Counter.builder("parley.webhooks.delivered").description("Webhook events the receiver took")
                .register(registry);
        failed = Counter.builder("parley.webhooks.failed")
                .description("Webhook attempts the receiver did not take (an answer not 2xx, a timeout, no connection)")
                .register(registry);
        retried = Counter.builder("parley.webhooks.retries").description("Webhook attempts that were not an event's first")
                .register(registry);
        expired = Counter.builder("parley.webhooks.expired")
                .description("Webhook events given up after " + GIVE_UP_HOURS + " hours of failed attempts").register(registry);
        latency = Timer.builder("parley.webhooks.latency").description("From an event's store to its delivery")
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(1))
                .register(registry);
        FunctionCounter.builder("parley.webhooks.dropped", outbox, WebhookOutbox::dropped)
                .description("Webhook events not kept: the backlog was full").register(registry);
        Gauge.builder("parley.webhooks.backlog", this, sender -> sender.backlog.events())
                .description("Webhook events waiting for the receiver (every node's, as the store holds them)")
                .register(registry);
        Gauge.builder("parley.webhooks.backlog.bytes", this, sender -> sender.backlog.bytes())
                .description("Bytes of the webhook events waiting").register(registry);
        Gauge.builder("parley.webhooks.sending", this, sender -> sender.holder ? 1 : 0)
                .description("1 on the node that sends the webhook events (it holds the lease)").register(registry);
        roomBacklog = MultiGauge.builder("parley.webhooks.backlog.room")
                .description("Webhook events waiting, for the rooms with the most (at most 20 rooms)").register(registry);
    }

    private void run() {
        while (!stopping) {
            try {
                handOutcomes();
                housekeeping();
                int sent = holder ? sendDue() : 0;
                storeFailing(false);
                wake.poll(sent > 0 ? BUSY_MILLIS : IDLE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // the store is away: try again in a second, say so once
                storeFailing(true);
                LOG.log(Level.FINE, "webhook sender", e);
                try {
                    wake.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void storeFailing(boolean now) {
        if (now && !storeFailing) {
            LOG.warning("Webhooks: the store is not answering; events wait until it is back");
        } else if (!now && storeFailing) {
            LOG.info("Webhooks: the store is back");
        }
        storeFailing = now;
    }

    /** Every few seconds: the backlog (which tells the store which rooms are full) and the lease. */
    private void housekeeping() {
        long now = System.nanoTime();
        if (now - nextHousekeeping < 0) {
            return;
        }
        nextHousekeeping = now + TimeUnit.SECONDS.toNanos(RENEW_SECONDS);
        backlog = outbox.backlog();
        roomBacklog.register(backlog.rooms().entrySet().stream()
                .map(room -> MultiGauge.Row.of(Tags.of("room", room.getKey()), room.getValue())).toList(), true);
        boolean held = outbox.lease(node, Instant.now(), Duration.ofSeconds(LEASE_SECONDS));
        if (held != holder) {
            LOG.info(held ? "Webhooks: this node sends the events to " + config.api().webhookUrl().getHost()
                    : "Webhooks: another node sends the events now");
        }
        holder = held;
    }

    /** Records what the receiver made of the attempts that ended, in one statement for each kind. */
    private void handOutcomes() {
        List<WebhookOutbox.Event> gone = new ArrayList<>();
        List<WebhookOutbox.Retry> retries = new ArrayList<>();
        Instant now = Instant.now();
        for (Outcome outcome = outcomes.poll(); outcome != null; outcome = outcomes.poll()) {
            WebhookOutbox.Event event = outcome.event();
            if (outcome.delivered()) {
                gone.add(event);
                delivered.increment();
                latency.record(Duration.between(event.created(), now));
            } else if (event.created().isBefore(now.minus(Duration.ofHours(GIVE_UP_HOURS)))) {
                gone.add(event);
                expired.increment();
                String why = outcome.why();
                LOG.warning(() -> "Webhooks: gave up an event of #" + event.room() + " after " + GIVE_UP_HOURS
                        + " hours and " + (event.attempts() + 1) + " attempts (the last: " + why + ")");
            } else {
                failed.increment();
                retries.add(new WebhookOutbox.Retry(event, now.plus(Backoff.after(event.attempts() + 1))));
                String why = outcome.why();
                LOG.fine(() -> "webhook event of #" + event.room() + " not delivered (" + why + ")");
            }
        }
        // each kind on its own: a store that fails to remove what went still records the retries'
        // pauses, so that those rooms do not go again at once
        try {
            outbox.delivered(gone);
        } finally {
            try {
                outbox.failed(retries);
            } finally {
                gone.forEach(event -> inFlight.remove(event.room()));
                retries.forEach(retry -> inFlight.remove(retry.event().room()));
            }
        }
    }

    private int sendDue() {
        int room = MAX_IN_FLIGHT - inFlight.size();
        if (room <= 0) {
            return 0;
        }
        List<WebhookOutbox.Event> due = outbox.due(Instant.now(), Set.copyOf(inFlight.keySet()), room);
        due.forEach(this::send);
        return due.size();
    }

    private void send(WebhookOutbox.Event event) {
        inFlight.put(event.room(), event);
        if (event.attempts() > 0) {
            retried.increment();
        }
        URI url = config.api().webhookUrl();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .header("Content-Type", "application/json")
                .header(Signature.HEADER, signature.header(Instant.now().getEpochSecond(), event.body()))
                .POST(HttpRequest.BodyPublishers.ofString(event.body())).build();
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((response, failure) -> ended(new Outcome(event, failure == null
                            && response.statusCode() / 100 == 2, failure != null ? String.valueOf(failure)
                            : "HTTP " + response.statusCode())));
        } catch (RuntimeException e) { // the client refused to send it at all: an attempt that failed
            ended(new Outcome(event, false, String.valueOf(e)));
        }
    }

    /** An attempt ended: its outcome goes to the loop, which records it. */
    private void ended(Outcome outcome) {
        outcomes.add(outcome);
        wake.offer(Boolean.TRUE);
    }
}
