package dev.parley.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * PROTOCOL.md's HTTP transport from a test's side: the event stream read on a thread of
 * its own (one event at a time, as the format says), frames POSTed one at a time, DELETE
 * to close. HTTP/1.1 only, as a browser speaks to a server without TLS (the JDK's client
 * would offer an h2c upgrade otherwise).
 */
public final class EventStreamWire {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final HttpClient http;
    private final URI stream;
    private final CompletableFuture<String> id = new CompletableFuture<>();
    private final Consumer<String> frames;
    private final Consumer<ChatClient.Closed> closed;
    private volatile InputStream body;
    private volatile String lastEventId;
    private volatile boolean aborted;

    /** An event as it was read: its type ({@code message} by default), data and id. */
    record Event(String type, String data, String id) {
    }

    private EventStreamWire(HttpClient http, URI stream, Consumer<String> frames, Consumer<ChatClient.Closed> closed) {
        this.http = http;
        this.stream = stream;
        this.frames = frames;
        this.closed = closed;
    }

    /** Opens the stream and waits for its first event, the connection's id. */
    static EventStreamWire open(HttpClient http, URI stream, Map<String, String> headers, Consumer<String> frames,
                                Consumer<ChatClient.Closed> closed) {
        EventStreamWire wire = new EventStreamWire(http.version() == HttpClient.Version.HTTP_2 && "http".equals(
                stream.getScheme()) ? HTTP : http, stream, frames, closed);
        HttpRequest.Builder get = HttpRequest.newBuilder(stream).header("Accept", "text/event-stream");
        headers.forEach(get::header);
        HttpResponse<InputStream> response;
        try {
            response = wire.http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new AssertionError("cannot open the event stream " + stream, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + stream + " answered " + response.statusCode());
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("text/event-stream")) {
            throw new AssertionError("GET " + stream + " answered Content-Type " + type);
        }
        wire.body = response.body();
        Thread reader = new Thread(wire::read, "event-stream " + stream.getPath());
        reader.setDaemon(true);
        reader.start();
        try {
            wire.id.get(ChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no connection event on " + stream + " within " + ChatClient.TIMEOUT, e);
        }
        return wire;
    }

    /** The connection's id, from the stream's first event. */
    public String id() {
        return id.join();
    }

    /** The id of the newest event that had one (what a browser would send as Last-Event-ID). */
    public String lastEventId() {
        return lastEventId;
    }

    public URI frameUri() {
        return URI.create(stream + "/" + id());
    }

    /** POSTs one frame; the status the server answered. */
    public int post(String frame) {
        return post(frame, "application/json");
    }

    public int post(String frame, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(frameUri()).timeout(ChatClient.TIMEOUT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(frame, StandardCharsets.UTF_8)).build();
        return send(request);
    }

    /** DELETEs the connection; the status. */
    public int delete() {
        return send(HttpRequest.newBuilder(frameUri()).timeout(ChatClient.TIMEOUT).DELETE().build());
    }

    private int send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Drops the stream's TCP connection, like a lost network. */
    void abort() {
        aborted = true;
        try {
            body.close();
        } catch (IOException e) {
            // gone either way
        }
    }

    private void read() {
        ChatClient.Closed end = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String type = "message";
            StringBuilder data = null;
            String eventId = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        end = dispatch(new Event(type, data.toString(), eventId));
                        if (end != null) {
                            break;
                        }
                    }
                    type = "message";
                    data = null;
                    eventId = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue; // a comment: the heartbeat
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "event" -> type = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    case "id" -> eventId = value;
                    default -> { } // retry, and fields the format ignores
                }
            }
        } catch (IOException e) {
            end = new ChatClient.Closed(1006, String.valueOf(e));
        }
        id.completeExceptionally(new IOException("the stream ended before its connection event"));
        closed.accept(end != null ? end : new ChatClient.Closed(1006, aborted ? "aborted" : "the stream ended"));
    }

    /** Hands a frame on; the close, if this event was the last. */
    private ChatClient.Closed dispatch(Event event) {
        switch (event.type()) {
            case "connection" -> {
                id.complete(jakarta.json.Json.createReader(new java.io.StringReader(event.data())).readObject()
                        .getString("id"));
                return null;
            }
            case "close" -> {
                jakarta.json.JsonObject close = jakarta.json.Json.createReader(new java.io.StringReader(event.data()))
                        .readObject();
                return new ChatClient.Closed(close.getInt("code"), close.getString("reason"));
            }
            case "message" -> {
                if (event.id() != null) {
                    lastEventId = event.id();
                }
                frames.accept(event.data());
                return null;
            }
            default -> throw new AssertionError("an event of unknown type " + event);
        }
    }
}
