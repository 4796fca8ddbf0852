package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.http.PageHeaders;
import dev.parley.support.StandaloneParley;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The standalone server serves the web client at / with types and revalidation headers. */
class WebClientTest {
    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(SERVER.httpUri().resolve(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theRootServesThePageAsHtml() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertTrue(page.body().contains("<title>"), "an HTML page");
        assertEquals("no-cache", page.headers().firstValue("Cache-Control").orElse(""));
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    @Test
    void scriptsAndStylesHaveTheirContentTypes() throws Exception {
        assertEquals("text/javascript; charset=utf-8", get("/app.js").headers().firstValue("Content-Type").orElse(""));
        assertEquals("text/css; charset=utf-8", get("/style.css").headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void anUnchangedFileIsRevalidatedWith304() throws Exception {
        String etag = get("/app.js").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/app.js", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
    }

    @Test
    void missingFilesAndOtherMethodsAreRefused() throws Exception {
        assertEquals(404, get("/nothing.js").statusCode());
        assertEquals(404, get("/WEB-INF/web.xml").statusCode());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(SERVER.httpUri())
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        String etag = get("/app.js").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(SERVER.httpUri())
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        for (HttpResponse<String> answer : List.of(get("/"), get("/app.js"), get("/app.js", "If-None-Match", etag),
                get("/nothing.js"), post)) {
            PageHeaders.ALL.forEach((name, value) -> assertEquals(value, answer.headers().firstValue(name).orElse(null),
                    () -> name + " of the " + answer.statusCode() + " for " + answer.uri()));
        }
    }

    @Test
    void pathsOutsideTheWebClientAreNotServed() throws IOException {
        URI uri = SERVER.httpUri();
        for (String path : new String[] {"/../dev/parley/standalone/Main.class", "/%2e%2e/META-INF/beans.xml",
                "/..%2fMETA-INF/beans.xml"}) {
            try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 4"), path + " -> " + response.lines().findFirst().orElse(""));
            }
        }
    }
}
