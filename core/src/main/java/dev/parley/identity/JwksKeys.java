package dev.parley.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * An identity provider's signing keys, from its JWKS document: kept in memory, fetched at
 * start, every {@link #REFRESH} after, and again when a token names a key that is not
 * there (a rotation), but never sooner than {@link #MIN_INTERVAL} after the last fetch.
 *
 * <p>A lookup of a cached key takes no lock and never waits for a fetch. A fetch that
 * fails or takes longer than {@link #TIMEOUT} keeps the keys there were; the first such
 * failure logs one line, the next fetch that works another.
 */
final class JwksKeys implements JWKSource<SecurityContext> {
    private static final Logger LOG = Logger.getLogger(JwksKeys.class.getName());
    static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
    static final Duration REFRESH = Duration.ofMinutes(5);
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** A JWKS document is a few KiB; a bigger answer is not one. */
    static final int MAX_BYTES = 256 * 1024;

    private final URI url;
    private final LongSupplier nanoClock;
    private final HttpClient http;
    private final Object fetching = new Object();

    private volatile JWKSet keys = new JWKSet();
    // guarded by fetching
    private long lastFetch;
    private boolean fetched;
    private boolean failing;

    JwksKeys(URI url, LongSupplier nanoClock) {
        this.url = url;
        this.nanoClock = nanoClock;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        List<JWK> found = selector.select(keys);
        if (!found.isEmpty()) {
            return found;
        }
        fetchIfDue(); // a key this node has not seen: perhaps the provider rotated its keys
        return selector.select(keys);
    }

    /** How many keys are cached now. */
    int size() {
        return keys.size();
    }

    /** Fetches unless the last fetch was less than {@link #MIN_INTERVAL} ago; false if it did not fetch. */
    boolean fetchIfDue() {
        synchronized (fetching) { // one fetch at a time; who else needs one waits for it, at most TIMEOUT
            long now = nanoClock.getAsLong();
            if (fetched && now - lastFetch < MIN_INTERVAL.toNanos()) {
                return false;
            }
            fetched = true;
            lastFetch = now;
            try {
                keys = signingKeys(JWKSet.parse(download()));
                if (failing) {
                    LOG.info(() -> "Token keys: " + url + " answers again (" + keys.size() + " key(s))");
                }
                failing = false;
            } catch (IOException | ParseException | RuntimeException e) {
                if (!failing) {
                    LOG.warning("Token keys: cannot fetch " + url + " (" + e.getMessage() + "); keeping the "
                            + keys.size() + " key(s) fetched before, trying again in a minute at the soonest");
                }
                failing = true;
            }
            return true;
        }
    }

    /** The public RSA and EC keys of the document that may sign (no "use", or "use": "sig"). */
    private static JWKSet signingKeys(JWKSet document) {
        return new JWKSet(document.getKeys().stream()
                .filter(k -> k.getKeyUse() == null || "sig".equals(k.getKeyUse().getValue()))
                .filter(k -> !k.isPrivate())
                .filter(k -> k.getKeyType().getValue().equals("RSA") || k.getKeyType().getValue().equals("EC"))
                .toList());
    }

    private String download() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Accept", "application/json").GET()
                .build();
        CompletableFuture<byte[]> body = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .thenApply(JwksKeys::readBody);
        try {
            return new String(body.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            body.cancel(true);
            throw new IOException("no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c ? c.getCause() : e.getCause();
            throw new IOException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static byte[] readBody(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException("the document is larger than " + MAX_BYTES / 1024 + " KiB");
            }
            return bytes;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "JwksKeys[" + url + "]";
    }
}
