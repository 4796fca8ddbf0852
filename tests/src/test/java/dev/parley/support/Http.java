package dev.parley.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Plain HTTP requests of the tests, each with a timeout. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static HttpResponse<String> get(URI uri, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build(), "GET " + uri);
    }

    /**
     * Sends once more if the connection was closed before any answer: the server closes a
     * keep-alive connection idle for PARLEY_REQUEST_TIMEOUT, and the JDK's client retries a
     * request on such a connection only when it is idempotent (a browser retries a POST too).
     */
    private static HttpResponse<String> send(HttpRequest request, String what) {
        try {
            try {
                return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException stale) {
                return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new AssertionError(what + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * POSTs {@code body} as JSON, in HTTP/1.1 as browsers and curl do (the client's default
     * would offer an h2c upgrade, which the standalone server refuses for a request with a body).
     */
    public static HttpResponse<String> post(URI uri, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_1_1)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build(), "POST " + uri);
    }

    /**
     * Sends {@code method} with {@code body} (null: none) as JSON, in HTTP/1.1 (see {@link #post}).
     * The body is bytes so that a test may send what is not UTF-8.
     */
    public static HttpResponse<String> send(String method, URI uri, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_1_1)
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build(), method + " " + uri);
    }

    /**
     * GETs {@code uri} (with {@code headers}) until an answer passes {@code test} ({@link Poll}),
     * for {@code wait} at most; the last answer otherwise.
     */
    public static HttpResponse<String> awaitGet(URI uri, Duration wait, Predicate<HttpResponse<String>> test,
                                                String... headers) {
        return Poll.until(() -> get(uri, headers), test, wait);
    }
}
