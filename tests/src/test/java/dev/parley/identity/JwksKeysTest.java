package dev.parley.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import dev.parley.support.TestTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JWKS cache against a JWKS document served on loopback, on a clock the test moves:
 * rotation, at most one fetch a minute, an outage that keeps the keys, and a hanging
 * fetch that stalls no lookup of a cached key.
 */
class JwksKeysTest {
    private static final JWK K1 = TestTokens.rsaKey("k1").toPublicJWK();
    private static final JWK K2 = TestTokens.ecKey("k2").toPublicJWK();

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicInteger fetches = new AtomicInteger();
    /** What the server answers: a JWKS document, or null for HTTP 500. */
    private final AtomicReference<String> document = new AtomicReference<>();
    private volatile CountDownLatch hang;
    private final List<LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private HttpServer server;
    private JwksKeys keys;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks", exchange -> {
            fetches.incrementAndGet();
            CountDownLatch holdOn = hang;
            if (holdOn != null) {
                try {
                    holdOn.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String body = document.get();
            byte[] bytes = (body == null ? "down" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 500 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        keys = new JwksKeys(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"), clock::get);
        Logger.getLogger(JwksKeys.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger(JwksKeys.class.getName()).removeHandler(capture);
        CountDownLatch holdOn = hang;
        if (holdOn != null) {
            holdOn.countDown();
        }
        server.stop(0);
    }

    private static String jwks(JWK... keys) {
        return new JWKSet(List.of(keys)).toString();
    }

    private List<JWK> lookup(String kid) {
        return keys.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null);
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesItButNotSoonerThanAMinuteAfterTheLastFetch() {
        document.set(jwks(K1));
        assertTrue(keys.fetchIfDue());
        assertEquals("k1", lookup("k1").get(0).getKeyID());
        assertEquals(1, fetches.get());

        document.set(jwks(K1, K2)); // the provider rotates
        advance(Duration.ofSeconds(10));
        assertTrue(lookup("k2").isEmpty(), "not fetched again within the minute");
        assertEquals(1, fetches.get());

        advance(Duration.ofSeconds(51));
        assertEquals("k2", lookup("k2").get(0).getKeyID());
        assertEquals(2, fetches.get());
        assertEquals("k1", lookup("k1").get(0).getKeyID());
        assertEquals(2, fetches.get(), "a cached key fetches nothing");
    }

    @Test
    void aFailingProviderKeepsTheCachedKeysAndLogsOneLinePerOutage() {
        document.set(jwks(K1));
        keys.fetchIfDue();
        document.set(null);
        for (int i = 0; i < 3; i++) {
            advance(Duration.ofSeconds(61));
            assertTrue(lookup("k9").isEmpty());
            assertEquals("k1", lookup("k1").get(0).getKeyID());
        }
        assertEquals(4, fetches.get());
        assertEquals(1, warnings.size(), "one line for the outage");
        assertTrue(warnings.get(0).getMessage().contains("keeping the 1 key(s)"), warnings.get(0).getMessage());

        document.set(jwks(K1, K2));
        advance(Duration.ofSeconds(61));
        assertEquals("k2", lookup("k2").get(0).getKeyID());
        assertEquals(1, warnings.size());
    }

    @Test
    void aHangingFetchStallsNoLookupOfACachedKey() throws Exception {
        document.set(jwks(K1));
        keys.fetchIfDue();
        hang = new CountDownLatch(1);
        advance(Duration.ofSeconds(61));
        CompletableFuture<List<JWK>> stalled = CompletableFuture.supplyAsync(() -> lookup("k2"));
        while (fetches.get() < 2) { // the fetch for k2 has reached the server, which holds it
            assertFalse(stalled.isDone(), "the unknown key's lookup waits for its fetch");
            Thread.onSpinWait();
        }
        CompletableFuture<List<JWK>> cached = CompletableFuture.supplyAsync(() -> lookup("k1"));
        assertEquals("k1", cached.get(1, TimeUnit.SECONDS).get(0).getKeyID());
        assertTrue(stalled.get(JwksKeys.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS).isEmpty(),
                "the hanging fetch gave up after its timeout");
        assertEquals(1, warnings.size());
        assertEquals(1, keys.size(), "the cached key is kept");
    }

    @Test
    void aDocumentThatIsTooBigIsNotTaken() {
        document.set(jwks(K1));
        keys.fetchIfDue();
        document.set("{\"keys\":[" + " ".repeat(JwksKeys.MAX_BYTES) + "]}");
        advance(Duration.ofSeconds(61));
        assertTrue(lookup("k2").isEmpty());
        assertEquals(1, keys.size());
        assertEquals(1, warnings.size());
    }

    @Test
    void keysForEncryptionAreNotTaken() {
        JWK encryption = new com.nimbusds.jose.jwk.RSAKey.Builder(TestTokens.rsaKey("enc").toRSAKey())
                .keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).build().toPublicJWK();
        document.set(jwks(K1, encryption));
        keys.fetchIfDue();
        assertTrue(lookup("enc").isEmpty());
        assertEquals(1, keys.size());
    }
}
