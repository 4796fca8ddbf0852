package dev.parley.ops;

import dev.parley.broker.Broker;
import dev.parley.store.HistoryStore;
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
import jakarta.json.JsonObjectBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether this node is fit to take traffic. Ready: the store answers, in cluster mode
 * Redis does too, and the node is not draining (stopping). The store is asked once a
 * second on a thread of its own, and a probe reads the last answer, so a probe never
 * waits for the database and a flood of probes costs nothing; a question the store has
 * not answered for {@link #STORE_TIMEOUT_MILLIS} counts as down.
 */
@ApplicationScoped
public class Health {
    private static final Logger LOG = Logger.getLogger(Health.class.getName());
    static final long CHECK_PERIOD_MILLIS = 1000;
    static final long STORE_TIMEOUT_MILLIS = 2000;

    /** One check: its name, whether it passed, and why not. */
    public record Check(String name, boolean up, String detail) {
    }

    /**
     * The answer to a probe: up when every check is. {@code webhooks}: what waits for the
     * webhook receiver, where webhooks are on (readiness only; it never fails a probe).
     */
    public record Report(boolean up, List<Check> checks, String store, WebhookOutbox.Backlog webhooks) {
        public Report(boolean up, List<Check> checks, String store) {
            this(up, checks, store, null);
        }

        /**
         * {"status":"UP","checks":[{"name":"store","status":"UP"}, …],"store":"…"}, with a "detail" where a
         * check is down; "store" (the history store in use) in the readiness report only, and there
         * "webhooks": {"backlog": events, "bytes": …, "rooms": {the rooms with most: events}} where they are on.
         */
        public String json() {
            JsonArrayBuilder list = Json.createArrayBuilder();
            for (Check check : checks) {
                JsonObjectBuilder one = Json.createObjectBuilder().add("name", check.name())
                        .add("status", check.up() ? "UP" : "DOWN");
                if (!check.up() && check.detail() != null) {
                    one.add("detail", check.detail());
                }
                list.add(one);
            }
            JsonObjectBuilder report = Json.createObjectBuilder().add("status", up ? "UP" : "DOWN").add("checks", list);
            if (store != null) {
                report.add("store", store);
            }
            if (webhooks != null) {
                JsonObjectBuilder rooms = Json.createObjectBuilder();
                webhooks.rooms().entrySet().stream().limit(5).forEach(room -> rooms.add(room.getKey(), room.getValue()));
                report.add("webhooks", Json.createObjectBuilder().add("backlog", webhooks.events())
                        .add("bytes", webhooks.bytes()).add("rooms", rooms));
            }
            return report.build().toString();
        }
    }

    private HistoryStore store;
    private Broker broker;
    private WebhookSender webhooks; // null in a test
    private ScheduledExecutorService checker;
    private volatile Check storeCheck = new Check("store", false, "not checked yet");
    private volatile long asking; // System.nanoTime() when the store was asked and has not answered; 0 otherwise
    private volatile boolean draining;

    protected Health() {
        // for the CDI proxy
    }

    public Health(HistoryStore store, Broker broker) {
        this(store, broker, null);
    }

    @Inject
    public Health(HistoryStore store, Broker broker, WebhookSender webhooks) {
        this.store = store;
        this.broker = broker;
        this.webhooks = webhooks;
    }

    @PostConstruct
    void start() {
        checker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "parley-health");
            thread.setDaemon(true);
            return thread;
        });
        checkStore(); // the store was just opened: this answers at once, and the first probe finds an answer
        checker.scheduleWithFixedDelay(this::checkStore, CHECK_PERIOD_MILLIS, CHECK_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Made when the application starts, not at the first probe: the checks run from the start. */
    void startWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object started) {
        // observing is enough: CDI makes the bean to deliver the event
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
    }

    private void checkStore() {
        asking = Math.max(1, System.nanoTime());
        Check answer;
        try {
            store.check();
            answer = new Check("store", true, null);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "store check failed", e);
            answer = new Check("store", false, e.getMessage());
        }
        storeCheck = answer;
        asking = 0;
    }

    /** Live while the process answers at all. */
    public Report live() {
        return new Report(true, List.of(), null);
    }

    public Report ready() {
        List<Check> checks = new ArrayList<>(3);
        long since = asking;
        long waited = since == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        checks.add(waited > STORE_TIMEOUT_MILLIS
                ? new Check("store", false, "no answer for " + waited / 1000 + " s") : storeCheck);
        if (broker.clustered()) {
            checks.add(broker.available() ? new Check("cluster", true, null)
                    : new Check("cluster", false, "Redis is not answering"));
        }
        checks.add(new Check("accepting", !draining, draining ? "shutting down" : null));
        return new Report(checks.stream().allMatch(Check::up), List.copyOf(checks), store.kind(),
                webhooks != null && webhooks.enabled() ? webhooks.backlog() : null);
    }

    /** The node is stopping: from now on it reports not ready, so load balancers send it nobody new. */
    public void drain() {
        draining = true;
    }
}
