package dev.parley.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.support.ChatClient;
import dev.parley.support.RawConnection;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PARLEY_REQUEST_TIMEOUT: an HTTP request must arrive whole within it, from the accept or
 * from the end of the previous response; an idle keep-alive connection is closed after
 * it. A WebSocket connection, once upgraded, is not bound by it.
 */
class RequestTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** The sweep runs twice a second; the rest is for a busy machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley(
            Map.of("PARLEY_REQUEST_TIMEOUT", String.valueOf(TIMEOUT.toSeconds())));

    @Test
    void halfARequestIsCutAtTheTimeout() throws IOException {
        try (RawConnection raw = new RawConnection(SERVER.httpUri())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n");
            assertTrue(raw.endsWithin(TIMEOUT.plus(SLACK)), "connection still open");
        }
    }

    @Test
    void halfAHandshakeIsCutAtTheTimeout() throws IOException {
        URI chat = SERVER.chatUri(Rooms.fresh());
        try (RawConnection raw = new RawConnection(chat)) {
            raw.send("GET " + chat.getRawPath() + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n");
            assertTrue(raw.endsWithin(TIMEOUT.plus(SLACK)), "connection still open");
        }
    }

    @Test
    void dripFeedingHeadersDoesNotPutTheDeadlineOff() throws IOException {
        try (RawConnection raw = new RawConnection(SERVER.httpUri())) {
            raw.send("GET / HTTP/1.1\r\nX-Slow: ");
            long started = System.nanoTime();
            boolean ended = false;
            while (!ended && System.nanoTime() - started < TIMEOUT.plus(SLACK).toNanos()) {
                try {
                    raw.send("x"); // five bytes a second, each well within the timeout of the one before
                    ended = raw.endsWithin(Duration.ofMillis(200));
                } catch (IOException e) { // reset: the server has closed
                    ended = true;
                }
            }
            assertTrue(ended, "connection still open");
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAtTheTimeout() throws IOException {
        try (RawConnection raw = new RawConnection(SERVER.httpUri())) {
            for (int i = 0; i < 2; i++) { // the end of each response starts the time again
                raw.send("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(raw.readResponse().startsWith("HTTP/1.1 200"));
            }
            assertTrue(raw.endsWithin(TIMEOUT.plus(SLACK)), "connection still open");
        }
    }

    @Test
    void aChatConnectionOutlivesTheTimeout() {
        URI room = SERVER.chatUri(Rooms.fresh());
        try (ChatClient ann = ChatClient.join(room, "ann"); ChatClient bob = ChatClient.join(room, "bob")) {
            ann.nextOf("joined");
            assertTrue(bob.awaitClose(TIMEOUT.plus(SLACK)).isEmpty(), "bob's connection was closed");
            bob.say("still here");
            assertEquals("still here", ann.nextOf("message").getString("text"));
            assertEquals("still here", bob.nextOf("message").getString("text"));
        }
    }

    @Test
    void anEventStreamOutlivesTheTimeoutAndItsConnectionIsWatchedAgainAfterIt() throws Exception {
        String room = Rooms.fresh();
        try (ChatClient ann = ChatClient.join(SERVER.streamUri(room), "ann")) {
            assertTrue(ann.awaitClose(TIMEOUT.plus(SLACK)).isEmpty(), "the stream was cut");
            ann.say("still here");
            assertEquals("still here", ann.nextOf("message").getString("text"));
        }
        try (RawConnection stream = RawConnection.stalled(SERVER.streamUri(room))) {
            HttpResponse<Void> deleted = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(stream.frameUri()).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            assertEquals(204, deleted.statusCode());
            // the stream ends with its close event, and the connection, idle now, is closed at the timeout
            assertTrue(stream.endsWithin(TIMEOUT.plus(SLACK)), "connection still open after its stream");
        }
    }
}
