package dev.parley.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client (the JDK's) that speaks PROTOCOL.md for tests: frames arrive in
 * a queue and are taken with a timeout; the close code is a future. (It reads ahead
 * whatever the server sends, so it cannot play a stalled peer: see RawConnection.stalled.)
 * Given an {@code http[s]://…/sse/{room}} URI it speaks the HTTP transport instead (an
 * {@link EventStreamWire}), with the same frames and closes, so that the suites run over both.
 */
public final class ChatClient implements WebSocket.Listener, AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Looked up once: Json.createReader looks the provider up on every call (~35 µs, 30 times the parse). */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final Set<String> acked = new HashSet<>(); // guarded by itself
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private volatile EventStreamWire stream; // instead of the socket, over the HTTP transport

    /** How a connection ended: the close frame's code and reason, or 1006 for an abnormal end. */
    public record Closed(int code, String reason) {
    }

    private ChatClient() {
    }

    public static ChatClient connect(URI uri) {
        return connect(uri, java.util.Map.of());
    }

    /** Connects with these request headers (an {@code Origin}, say). */
    public static ChatClient connect(URI uri, java.util.Map<String, String> headers) {
        return connect(HTTP, uri, headers);
    }

    /** Connects through {@code http} (one that trusts a test's certificate, for wss). */
    public static ChatClient connect(java.net.http.HttpClient http, URI uri, java.util.Map<String, String> headers) {
        ChatClient client = new ChatClient();
        if (uri.getScheme().startsWith("http")) {
            client.stream = EventStreamWire.open(http, uri, headers, client::received,
                    closed -> client.closed.complete(closed));
            return client;
        }
        try {
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
            headers.forEach(builder::header);
            client.socket = builder.buildAsync(uri, client).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // the cause in the message too: a CI log shows only the summary line of a failure
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new AssertionError("cannot connect to " + uri + ": " + cause, e);
        }
        return client;
    }

    /** Connects and joins; returns the welcome. */
    public static ChatClient join(URI uri, String user) {
        ChatClient client = connect(uri);
        client.send(JSON.createObjectBuilder().add("type", "join").add("user", user).build());
        client.next("welcome");
        return client;
    }

    /** Connects and joins with a signed token (identity on); waits for the welcome. */
    public static ChatClient joinWithToken(URI uri, String token) {
        ChatClient client = connect(uri);
        client.send(JSON.createObjectBuilder().add("type", "join").add("token", token).build());
        client.next("welcome");
        return client;
    }

    // ---- sending ----

    public ChatClient send(String text) {
        if (stream != null) {
            int status = stream.post(text);
            if (status != 202 && status != 413) { // 413: the close (1009) follows on the stream
                throw new AssertionError("POST answered " + status + (closed.isDone() ? "; connection closed: "
                        + closed.join() : ""));
            }
            return this;
        }
        try {
            socket.sendText(text, true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot send" + (closed.isDone() ? "; connection closed: " + closed.join() : ""), e);
        }
        return this;
    }

    /** Sends the frame unless the server has closed the connection (before or while sending); says which. */
    public boolean sendUnlessClosed(String text) {
        if (stream != null) {
            int status = stream.post(text);
            if (status == 202) {
                return true;
            }
            if (awaitClose(TIMEOUT).isPresent()) {
                return false;
            }
            throw new AssertionError("POST answered " + status + " and the stream is still open");
        }
        try {
            socket.sendText(text, true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (awaitClose(TIMEOUT).isPresent()) {
                return false;
            }
            throw new AssertionError("cannot send", e);
        }
    }

    public ChatClient send(JsonObject frame) {
        return send(frame.toString());
    }

    public ChatClient sendBinary(byte[] data) {
        if (stream != null) {
            throw new UnsupportedOperationException("the HTTP transport has no binary frames");
        }
        try {
            socket.sendBinary(ByteBuffer.wrap(data), true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot send", e);
        }
        return this;
    }

    public ChatClient say(String text) {
        return send(JSON.createObjectBuilder().add("type", "message").add("text", text).build());
    }

    public ChatClient say(String text, String cid) {
        return send(JSON.createObjectBuilder().add("type", "message").add("text", text).add("cid", cid).build());
    }

    // ---- receiving ----

    /** The next frame, whatever it is. */
    public JsonObject next() {
        try {
            JsonObject frame = frames.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                fail("no frame within " + TIMEOUT + (closed.isDone() ? "; connection closed: " + closed.join() : ""));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asks for {@code rooms} and answers the count it gives {@code room}, 0 if it lists it not. */
    public int countIn(String room) {
        send(jakarta.json.Json.createObjectBuilder().add("type", "rooms").build());
        return nextOf("rooms").getJsonArray("rooms").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("room").equals(room)).mapToInt(r -> r.getInt("count")).findFirst().orElse(0);
    }

    /** The next frame if one arrives within {@code wait}. */
    public java.util.Optional<JsonObject> poll(Duration wait) {
        try {
            return java.util.Optional.ofNullable(frames.poll(wait.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame, or empty if the connection closes before one comes. */
    public java.util.Optional<JsonObject> nextUnlessClosed() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                JsonObject frame = frames.poll(20, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    return java.util.Optional.of(frame);
                }
                if (closed.isDone() && frames.isEmpty()) {
                    return java.util.Optional.empty();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        throw new AssertionError("neither a frame nor a close within " + TIMEOUT);
    }

    /** The next frame, which must have this type. */
    public JsonObject next(String type) {
        JsonObject frame = next();
        assertEquals(type, frame.getString("type", null), () -> "expected a " + type + " frame, got " + frame);
        return frame;
    }

    /** The next frame of this type, skipping others (presence, typing) that may come first. */
    public JsonObject nextOf(String type) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int skipped = 0;
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            JsonObject frame;
            try {
                frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (frame != null && type.equals(frame.getString("type", null))) {
                return frame;
            }
            if (frame != null) {
                skipped++;
                last = frame;
            }
        }
        throw new AssertionError("no " + type + " frame within " + TIMEOUT + "; skipped " + skipped
                + (last == null ? "" : ", the last " + last) + (closed.isDone() ? "; connection closed: " + closed.join() : ""));
    }

    /**
     * Waits until the ack of this cid has arrived. Acks are also noted apart from the
     * frame queue, so one thread may wait for acks while another reads the frames.
     */
    public void awaitAck(String cid) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (acked) {
            while (!acked.contains(cid)) {
                long wait = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (wait <= 0) {
                    fail("no ack for " + cid + " within " + TIMEOUT);
                }
                try {
                    acked.wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** The next error frame, which must have this code. */
    public JsonObject nextError(String code) {
        JsonObject error = next("error");
        assertEquals(code, error.getString("code"), () -> "error frame " + error);
        assertNotNull(error.getString("message", null), "an error has a message");
        return error;
    }

    /**
     * The frames that arrived and were not taken yet, in order, taking them. After
     * {@link #awaitClose()} these are what came before the close: frames and the close are
     * read in the order they came, over WebSocket and over the HTTP transport.
     */
    public java.util.List<JsonObject> pending() {
        java.util.List<JsonObject> pending = new java.util.ArrayList<>();
        frames.drainTo(pending);
        return pending;
    }

    /** Asserts that nothing arrives within a short while: the round trip of a ping proves it. */
    public void assertNothingPending() {
        send("{\"type\":\"ping\",\"probe\":\"quiet\"}");
        JsonObject frame = next();
        assertEquals("pong", frame.getString("type"), () -> "expected nothing before the pong, got " + frame);
    }

    /** How the connection ended; waits for it. */
    public Closed awaitClose() {
        try {
            return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("connection still open after " + TIMEOUT);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** How the connection ended, if it does within the wait. */
    public java.util.Optional<Closed> awaitClose(Duration wait) {
        try {
            return java.util.Optional.of(closed.get(wait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return java.util.Optional.empty();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Drops the TCP connection without a close frame, like a lost network. */
    public void abort() {
        if (stream != null) {
            stream.abort();
        } else {
            socket.abort();
        }
    }

    /** The HTTP transport's stream, or null over WebSocket. */
    public EventStreamWire eventStream() {
        return stream;
    }

    @Override
    public void close() {
        if (stream != null) {
            // as a browser's page would: DELETE, then the stream ends with its close event
            // (dropping it at once races the server's last write, which Undertow logs as an error)
            if (!closed.isDone() && stream.delete() == 204) {
                awaitClose(Duration.ofSeconds(2));
            }
            stream.abort();
            return;
        }
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    public void closeNormally() {
        if (stream != null) {
            assertEquals(204, stream.delete(), "DELETE of the connection");
            awaitClose();
            return;
        }
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        awaitClose();
    }

    // ---- WebSocket.Listener ----

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private void received(String text) {
        JsonObject frame;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            frame = reader.readObject();
        }
        if ("ack".equals(frame.getString("type", null))) {
            synchronized (acked) {
                acked.add(frame.getString("cid"));
                acked.notifyAll();
            }
        }
        frames.add(frame);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(1006, String.valueOf(error)));
    }
}
