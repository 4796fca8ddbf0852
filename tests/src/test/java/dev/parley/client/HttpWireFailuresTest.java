package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.client.HttpWireTest.Closed;
import dev.parley.client.HttpWireTest.Heard;
import dev.parley.client.HttpWireTest.Opened;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the HTTP transport's wire ends, against a fake server that answers as the test says
 * (the JDK's HttpServer): what the real one does not do on request (a silent stream, a
 * stream that just ends, POSTs refused one way or another). Its clock runs fast.
 */
class HttpWireFailuresTest {
    private static final String ID = "bm9kZQ.AAAAAAAAAAAAAAAAAAAAAA";
    private static final String CONNECTION = "retry: 2000\nevent: connection\ndata: {\"id\":\"" + ID + "\"}\n\n";
    private static final String END = "\u0000end"; // written to the stream: it ends there

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            task -> new Thread(task, HttpWireTest.CLIENT_THREAD));
    /** How many times faster than the wire's own the clock runs. */
    private volatile int fast = 20;
    private final Timers timers = fast(Timers.of(executor));
    private final Heard heard = new Heard();
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private HttpServer server;

    /** What the fake server was asked: "GET /sse/r", "POST /sse/r/{id} {body}", "DELETE /sse/r/{id}". */
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
    /** What the stream's answer writes, after its opening: text as it comes, END to end it. */
    private final BlockingQueue<String> stream = new LinkedBlockingQueue<>();
    private volatile String streamType = "text/event-stream; charset=utf-8";
    private volatile int streamStatus = 200;
    private volatile String opening = CONNECTION;
    /** How POSTs are answered: a status and a body ("" for none), and what the stream says then. */
    private volatile int postStatus = 202;
    private volatile String postBody = "";
    private volatile String streamAfterPost = null;

    private Timers fast(Timers real) {
        return new Timers() {
            @Override
            public void execute(Runnable task) {
                real.execute(task);
            }

            @Override
            public Timer schedule(Runnable task, long delayMillis) {
                return real.schedule(task, delayMillis / fast);
            }

            @Override
            public long nowMillis() {
                return real.nowMillis();
            }
        };
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/sse/", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        stream.add(END);
        server.stop(0);
        serverThreads.shutdownNow();
        executor.shutdownNow();
        heard.assertKeptTheContract();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(method + " " + exchange.getRequestURI().getRawPath() + (body.isEmpty() ? "" : " " + body));
            switch (method) {
                case "GET" -> answerStream(exchange);
                case "POST" -> {
                    if (streamAfterPost != null) {
                        stream.add(streamAfterPost);
                    }
                    byte[] answer = postBody.getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(postStatus, answer.length == 0 ? -1 : answer.length);
                    exchange.getResponseBody().write(answer);
                }
                default -> exchange.sendResponseHeaders(204, -1);
            }
        } finally {
            exchange.close();
        }
    }

    private void answerStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", streamType);
        exchange.sendResponseHeaders(streamStatus, 0);
        OutputStream out = exchange.getResponseBody();
        String text = opening;
        try {
            while (!text.equals(END)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                text = stream.poll(20, TimeUnit.SECONDS);
                if (text == null) {
                    return;
                }
            }
        } catch (IOException gone) {
            // the client dropped the stream
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private URI streamUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sse/r");
    }

    private <T> T onClient(java.util.concurrent.Callable<T> call) {
        try {
            return executor.submit(call).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpWire open() {
        HttpWire wire = new HttpWire(HTTP, timers);
        onClient(() -> {
            wire.open(streamUri(), heard);
            return null;
        });
        return wire;
    }

    private HttpWire opened() {
        HttpWire wire = open();
        assertEquals(new Opened(Transport.HTTP), heard.next());
        return wire;
    }

    private boolean send(HttpWire wire, String json) {
        return onClient(() -> wire.send(json));
    }

    private String request() {
        try {
            String request = requests.poll(10, TimeUnit.SECONDS);
            assertTrue(request != null, "no request within 10 s");
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void assertHungUp() {
        assertEquals("DELETE /sse/r/" + ID, request());
    }

    private void assertNoMoreRequests() {
        try {
            assertNull(requests.poll(300, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // ---- the stream ----

    @Test
    void aStreamAnsweredWithAnotherStatusIsLost() {
        streamStatus = 503;
        open();
        assertEquals(new Closed(1006, ""), heard.next());
        assertEquals("GET /sse/r", request());
        assertNoMoreRequests(); // no id: nothing to hang up
    }

    @Test
    void anAnswerThatIsNotAnEventStreamIsLost() {
        streamType = "text/html";
        open();
        assertEquals(new Closed(1006, ""), heard.next());
    }

    @Test
    void aStreamThatEndsWithoutACloseEventIsLostAndHungUp() {
        opened();
        assertEquals("GET /sse/r", request());
        stream.add("data: {\"type\":\"pong\"}\n\n");
        stream.add(END);
        assertEquals("pong", heard.nextFrame("pong").getString("type"));
        assertEquals(new Closed(1006, ""), heard.next());
        assertHungUp();
    }

    @Test
    void aStreamWithNoFirstEventInTimeIsLostAsSilent() {
        opening = ":\n\n";
        open();
        assertEquals(new Closed(1006, HttpWire.STREAM_SILENT), heard.next());
    }

    @Test
    void aConnectionEventWithoutAnIdIsLost() {
        opening = "event: connection\ndata: {\"id\":\"\"}\n\n";
        open();
        assertEquals(new Closed(1006, ""), heard.next());
    }

    @Test
    void aFrameBeforeTheConnectionEventIsLost() {
        opening = "data: {\"type\":\"pong\"}\n\n" + CONNECTION;
        open();
        assertEquals(new Closed(1006, ""), heard.next());
    }

    @Test
    void anEventOverTheBoundIsLost() {
        opened();
        stream.add("data: " + "x".repeat(HttpWire.EventStream.MAX_EVENT_CHARS + 1) + "\n\n");
        assertEquals(new Closed(1006, ""), heard.next());
    }

    @Test
    void aLineThatNeverEndsIsLost() {
        opened();
        String chunk = "x".repeat(1 << 20);
        for (int i = 0; i < 6; i++) {
            stream.add(chunk);
        }
        assertEquals(new Closed(1006, ""), heard.next());
    }

    @Test
    void theServersCloseEventIsNotHungUp() {
        opened();
        assertEquals("GET /sse/r", request());
        stream.add("event: close\ndata: {\"code\":1001,\"reason\":\"server shutting down\"}\n\n");
        assertEquals(new Closed(1001, "server shutting down"), heard.next());
        assertNoMoreRequests();
    }

    @Test
    void aCloseEventWithoutACodeIsLost() {
        opened();
        stream.add("event: close\ndata: {\"reason\":\"what?\"}\n\n");
        assertEquals(new Closed(1006, "what?"), heard.next());
    }

    // ---- the POSTs ----

    @Test
    void framesArePostedAsJsonToTheConnectionsUri() {
        HttpWire wire = opened();
        assertEquals("GET /sse/r", request());
        assertTrue(send(wire, "{\"type\":\"message\",\"text\":\"caf\u00e9\"}"));
        assertEquals("POST /sse/r/" + ID + " {\"type\":\"message\",\"text\":\"caf\u00e9\"}", request());
        onClient(() -> {
            wire.close();
            return null;
        });
        assertHungUp();
        heard.nothingMore(Duration.ofMillis(200));
    }

    @Test
    void aPostNotFoundIsLostAfterTheGraceAndSendsNoMore() {
        HttpWire wire = opened();
        request();
        postStatus = 404;
        assertTrue(send(wire, "{\"type\":\"ping\"}"));
        assertEquals(new Closed(1006, ""), heard.next());
        assertFalse(send(wire, "{\"type\":\"ping\"}"));
        assertEquals("POST /sse/r/" + ID + " {\"type\":\"ping\"}", request());
        assertHungUp();
    }

    @Test
    void aPostNotFoundThenTheServersCloseEventGivesItsCode() {
        fast = 1; // the close event has the whole grace to come
        HttpWire wire = opened();
        request();
        postStatus = 404;
        streamAfterPost = "event: close\ndata: {\"code\":1008,\"reason\":\"flooding\"}\n\n";
        assertTrue(send(wire, "{\"type\":\"ping\"}"));
        assertEquals(new Closed(1008, "flooding"), heard.next());
        request();
        assertNoMoreRequests();
    }

    @Test
    void aServerErrorIsRefusedAsLost() {
        HttpWire wire = opened();
        postStatus = 503;
        postBody = "{\"error\":\"The node holding the connection did not answer.\"}";
        assertTrue(send(wire, "{\"type\":\"ping\"}"));
        assertEquals(new Closed(1006, ""), heard.next());
    }

    @Test
    void a413ClosesWith1009() {
        HttpWire wire = opened();
        postStatus = 413;
        postBody = "{\"error\":\"The frame is over 16384 bytes.\"}";
        assertTrue(send(wire, "{\"type\":\"ping\"}"));
        assertEquals(new Closed(1009, "frame too big"), heard.next());
    }

    @Test
    void anotherRefusalClosesWith1008AndTheServersWordsAndHangsUp() {
        HttpWire wire = opened();
        request();
        postStatus = 403;
        postBody = "{\"error\":\"Origin not allowed.\"}";
        assertTrue(send(wire, "{\"type\":\"ping\"}"));
        assertEquals(new Closed(1008, "Origin not allowed."), heard.next());
        request();
        assertHungUp();
    }

    @Test
    void aRefusalWithoutJsonSaysItsStatus() {
        HttpWire wire = opened();
        postStatus = 400;
        postBody = "<html>Bad Request</html>";
        assertTrue(send(wire, "{\"type\":\"ping\"}"));
        assertEquals(new Closed(1008, "refused with HTTP 400"), heard.next());
    }

    @Test
    void aRefusalsWordsAreCutAt200Characters() {
        HttpWire wire = opened();
        postStatus = 400;
        postBody = "{\"error\":\"" + "w".repeat(300) + "\"}";
        assertTrue(send(wire, "{\"type\":\"ping\"}"));
        assertEquals(new Closed(1008, "w".repeat(200)), heard.next());
    }
}
