package dev.parley.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback, as an application would run one: it checks each
 * request's {@code Parley-Signature} with the secret (HMAC-SHA256 of {@code t + "." +
 * body}, in constant time, {@code t} within five minutes), keeps every request it got,
 * and answers as the test says: 2xx by default, or what {@link #answer} decides for an
 * event (a status, or a delay past Parley's 10 s timeout). It can stop and start again on
 * the same port, as a receiver that is down for a while.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as it came: its event, whether its signature held, and what it was answered. */
    public record Delivery(JsonObject event, String body, String signature, boolean signed, int answered) {
        public String id() {
            return event.getString("id");
        }

        public String type() {
            return event.getString("type");
        }

        public String room() {
            return event.getString("room");
        }
    }

    /** What to answer an event: a status, after a delay (zero for none). */
    public record Answer(int status, Duration delay) {
        public static final Answer OK = new Answer(204, Duration.ZERO);

        public static Answer status(int status) {
            return new Answer(status, Duration.ZERO);
        }
    }

    private final String secret;
    private final int port;
    private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
    private volatile Function<JsonObject, Answer> answer = event -> Answer.OK;
    private HttpServer server;

    /** @param port 0 for any free one */
    public WebhookReceiver(String secret, int port) {
        this.secret = secret;
        this.port = port;
        start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/parley-events");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** How to answer from now on. */
    public void answer(Function<JsonObject, Answer> how) {
        this.answer = how;
    }

    public synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", server == null ? port : port()), 64);
        } catch (IOException e) {
            throw new AssertionError("the receiver cannot listen", e);
        }
        server.createContext("/parley-events", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** Stops listening: Parley's attempts fail until {@link #start}. */
    public synchronized void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        }
        String header = exchange.getRequestHeaders().getFirst("Parley-Signature");
        JsonObject event = Json.createReader(new StringReader(body)).readObject();
        Answer how = answer.apply(event);
        received.add(new Delivery(event, body, header, verifies(secret, header, body, Instant.now()), how.status()));
        try {
            if (!how.delay().isZero()) {
                Thread.sleep(how.delay().toMillis());
            }
            exchange.sendResponseHeaders(how.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    /** The receiver's check, as docs/SERVER-API.md shows it: the HMAC reproduced, {@code t} within 5 minutes. */
    public static boolean verifies(String secret, String header, String body, Instant now) {
        if (header == null || !header.matches("t=\\d{1,12},v1=[0-9a-f]{64}")) {
            return false;
        }
        String t = header.substring(2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        if (Math.abs(now.getEpochSecond() - Long.parseLong(t)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The next request of {@code room} (others' are skipped), waiting up to {@code wait}. */
    public Optional<Delivery> next(String room, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Delivery delivery = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
                if (delivery == null) {
                    return Optional.empty();
                }
                if (delivery.room().equals(room)) {
                    return Optional.of(delivery);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next request of {@code room}; fails the test if none comes within 30 s. */
    public Delivery next(String room) {
        return next(room, Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("no webhook event for " + room));
    }

    /**
     * The room's events as the receiver took them (answered 2xx), first delivery of each
     * id only, until {@code count} have come; fails if they do not within {@code wait}.
     */
    public List<Delivery> delivered(String room, int count, Duration wait) {
        List<Delivery> taken = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (taken.size() < count) {
            Delivery delivery = next(room, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                    .orElseThrow(() -> new AssertionError("only " + taken.size() + " of " + count
                            + " events of " + room + " delivered: " + taken));
            if (delivery.answered() / 100 == 2 && ids.add(delivery.id())) {
                taken.add(delivery);
            }
        }
        return taken;
    }

    @Override
    public void close() {
        stop();
    }
}
