package dev.parley.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.support.ChatClient;
import dev.parley.support.Rooms;
import dev.parley.support.StandaloneParley;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP transport's wire against the standalone server: it opens, sends in order, hears
 * the frames, hangs up, and hears the server's closes, on the client's one thread.
 */
class HttpWireTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String CLIENT_THREAD = "parley-client";

    @RegisterExtension
    static final StandaloneParley SERVER = new StandaloneParley();

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            task -> new Thread(task, CLIENT_THREAD));
    private final Timers timers = Timers.of(executor);
    private final Heard heard = new Heard();
    private final String room = Rooms.fresh();

    @AfterEach
    void stop() {
        executor.shutdownNow();
        heard.assertKeptTheContract();
    }

    record Opened(Transport kind) {
    }

    record Frame(JsonObject json) {
        String type() {
            return json.getString("type", "");
        }
    }

    record Closed(int code, String reason) {
    }

    /**
     * What a wire told its handler, in order, and whether it kept Wire.Handler's contract:
     * every call on the client's thread, never two at once, nothing after closed.
     */
    static final class Heard implements Wire.Handler {
        private final BlockingQueue<Object> calls = new LinkedBlockingQueue<>();
        private final List<String> broken = new ArrayList<>(); // guarded by itself
        private final AtomicBoolean inCall = new AtomicBoolean();
        private volatile boolean closed;

        private void heard(Object call) {
            if (!inCall.compareAndSet(false, true)) {
                broke("two calls at once: " + call);
            }
            if (!Thread.currentThread().getName().equals(CLIENT_THREAD)) {
                broke(call + " on " + Thread.currentThread().getName());
            }
            if (closed) {
                broke(call + " after closed");
            }
            calls.add(call);
            inCall.set(false);
        }

        private void broke(String how) {
            synchronized (broken) {
                broken.add(how);
            }
        }

        @Override
        public void opened(Transport kind) {
            heard(new Opened(kind));
        }

        @Override
        public void frame(String json) {
            heard(new Frame(Json.createReader(new StringReader(json)).readObject()));
        }

        @Override
        public void closed(int code, String reason) {
            heard(new Closed(code, reason));
            closed = true;
        }

        Object next() {
            try {
                Object call = calls.poll(10, TimeUnit.SECONDS);
                if (call == null) {
                    fail("the handler heard nothing within 10 s");
                }
                return call;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** The next frame of this type, skipping other frames (presence); fails on a close. */
        JsonObject nextFrame(String type) {
            while (true) {
                Object call = next();
                if (call instanceof Frame frame && frame.type().equals(type)) {
                    return frame.json();
                }
                if (!(call instanceof Frame)) {
                    fail("expected a " + type + " frame, heard " + call);
                }
            }
        }

        /** The close, skipping frames before it. */
        Closed closed() {
            while (true) {
                Object call = next();
                if (call instanceof Closed closed) {
                    return closed;
                }
                if (!(call instanceof Frame)) {
                    fail("expected the close, heard " + call);
                }
            }
        }

        /** Nothing more within a while: for what must not happen, a wait is all there is. */
        void nothingMore(Duration wait) {
            try {
                Object call = calls.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                if (call != null) {
                    fail("heard " + call + " after all");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        void assertKeptTheContract() {
            synchronized (broken) {
                assertEquals(List.of(), broken, "Wire.Handler's contract");
            }
        }
    }

    /** Runs on the client's thread, as the wire's owner calls it, and waits. */
    <T> T onClient(Callable<T> call) {
        try {
            return executor.submit(call).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpWire open(HttpClient http, URI uri) {
        HttpWire wire = new HttpWire(http, timers);
        onClient(() -> {
            wire.open(uri, heard);
            return null;
        });
        return wire;
    }

    private HttpWire joined(String user) {
        HttpWire wire = open(HTTP, SERVER.streamUri(room));
        assertEquals(new Opened(Transport.HTTP), heard.next());
        assertTrue(send(wire, "{\"type\":\"join\",\"user\":\"" + user + "\"}"));
        assertEquals(user, heard.nextFrame("welcome").getString("user"));
        return wire;
    }

    private boolean send(HttpWire wire, String json) {
        return onClient(() -> wire.send(json));
    }

    private void close(HttpWire wire) {
        onClient(() -> {
            wire.close();
            return null;
        });
    }

    @Test
    void joinsThenAMessageGetsItsAckAndComesBack() {
        HttpWire wire = joined("ada");
        assertTrue(send(wire, "{\"type\":\"message\",\"text\":\"hello\",\"cid\":\"c1\"}"));
        JsonObject ack = null;
        JsonObject message = null;
        while (ack == null || message == null) {
            if (!(heard.next() instanceof Frame frame)) {
                throw new AssertionError("the connection closed");
            }
            switch (frame.type()) {
                case "ack" -> ack = frame.json();
                case "message" -> message = frame.json();
                default -> { }
            }
        }
        assertEquals("c1", ack.getString("cid"));
        assertEquals("hello", message.getString("text"));
        assertEquals("ada", message.getString("user"));
        close(wire);
    }

    @Test
    void nothingIsSentBeforeTheStreamNamedTheConnection() {
        HttpWire wire = new HttpWire(HTTP, timers);
        assertFalse(send(wire, "{\"type\":\"ping\"}"), "not opened");
        assertEquals("refused", onClient(() -> {
            wire.open(SERVER.streamUri(room), heard);
            return wire.send("{\"type\":\"ping\"}") ? "sent" : "refused";
        }), "opening, not open");
        assertEquals(new Opened(Transport.HTTP), heard.next());
        close(wire);
    }

    @Test
    void framesArePostedOneAtATimeInOrderAndAFullQueueRefusesMore() {
        HttpWire wire = open(HTTP, SERVER.streamUri(room));
        assertEquals(new Opened(Transport.HTTP), heard.next());
        // in one task of the client's thread: the first goes out at once, the next 100 wait
        List<Boolean> taken = onClient(() -> {
            List<Boolean> answers = new ArrayList<>();
            for (int n = 1; n <= HttpWire.POST_QUEUE_LIMIT + 2; n++) {
                answers.add(wire.send("{\"type\":\"ping\",\"n\":" + n + "}"));
            }
            return answers;
        });
        assertEquals(HttpWire.POST_QUEUE_LIMIT + 1, taken.indexOf(false), taken.toString());
        for (int n = 1; n <= HttpWire.POST_QUEUE_LIMIT + 1; n++) {
            assertEquals(n, heard.nextFrame("pong").getInt("n"));
        }
        close(wire);
    }

    @Test
    void closeHangsUpAndTheRoomHearsLeftAtOnce() {
        try (ChatClient bob = ChatClient.join(SERVER.chatUri(room), "bob")) {
            HttpWire wire = joined("ada");
            assertEquals("ada", bob.nextOf("joined").getString("user"));
            close(wire);
            assertEquals("ada", bob.nextOf("left").getString("user"));
            close(wire); // again: nothing
            assertFalse(send(wire, "{\"type\":\"ping\"}"));
            heard.nothingMore(Duration.ofMillis(300));
        }
    }

    @Test
    void aFrameOverTheServersLimitClosesWith1009Once() {
        try (ChatClient bob = ChatClient.join(SERVER.chatUri(room), "bob")) {
            HttpWire wire = joined("ada");
            bob.nextOf("joined");
            assertTrue(send(wire, "{\"type\":\"message\",\"text\":\"" + "x".repeat(20_000) + "\"}"));
            assertEquals(new Closed(1009, "frame too big"), heard.closed());
            assertEquals("ada", bob.nextOf("left").getString("user"));
            assertFalse(send(wire, "{\"type\":\"ping\"}"));
            heard.nothingMore(Duration.ofMillis(300));
        }
    }

    @Test
    void theServersCloseEventGivesItsCodeAndReason() {
        open(HTTP, SERVER.streamUri("Not-A-Room"));
        assertEquals(new Opened(Transport.HTTP), heard.next());
        assertEquals("bad-room", heard.nextFrame("error").getString("code"));
        assertEquals(new Closed(1008, "bad room"), heard.next());
    }

    @Test
    void aClientThatPrefersHttp2IsSpokenHttp11To() {
        HttpWire wire = new HttpWire(HttpClient.newHttpClient(), timers);
        onClient(() -> {
            wire.open(SERVER.streamUri(room), heard);
            return null;
        });
        assertEquals(new Opened(Transport.HTTP), heard.next());
        assertTrue(send(wire, "{\"type\":\"join\",\"user\":\"ada\"}"));
        heard.nextFrame("welcome");
        close(wire);
    }
}
