package dev.parley.client;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PROTOCOL.md's HTTP transport: the room's event stream down (GET), one POST up per frame,
 * strictly one at a time, DELETE to hang up. It behaves as the JavaScript client's
 * {@code HttpTransport} (clients/js/transport.js): the stream's {@code close} event is the
 * server's close; a stream that fails or ends without one, or a POST the server does not
 * take, is a lost connection (1006); a POST refused with a 4xx other than 404 is the server
 * refusing, as a WebSocket's 1008 with the server's own words (413: 1009, as the server
 * closes too).
 *
 * <p>One thread: everything this wire decides runs on the client's thread ({@link Timers}).
 * {@link #open}, {@link #send} and {@link #close} must be called there, and the
 * {@link HttpClient}'s callbacks, on its own threads, only hand what they got over to it. So
 * the state needs no lock, and the handler hears one thing at a time, in order, and nothing
 * after {@code close()}: a callback that comes later finds the wire ended.
 *
 * <p>Every request is HTTP/1.1, whatever the given client prefers, as a browser speaks to a
 * server without TLS: an HTTP/2 client would offer an h2c upgrade on the stream's GET. The
 * stream holds a connection of its own while it is open; the POSTs use another.
 *
 * <p>Bounded against a server that grows things: the queue of frames waiting for their
 * POST ({@value #POST_QUEUE_LIMIT}), an event ({@link EventStream#MAX_EVENT_CHARS}
 * characters), a line not yet ended ({@value #MAX_LINE_BYTES} bytes), a refusal's body
 * ({@value #ERROR_BODY_BYTES} bytes). The stream is read one line at a time: the next is
 * asked for only once the client's thread has taken the last.
 */
final class HttpWire implements Wire {
    /** Frames waiting for their POST; a full queue refuses more. */
    static final int POST_QUEUE_LIMIT = 100;
    /** A stream with no first event by then failed: something between holds it back (a buffering proxy). */
    static final long FIRST_EVENT_MS = 10_000;
    /** The reason of that failure's close (1006). */
    static final String STREAM_SILENT = "no event came on the stream";
    /** After a POST not taken, how long its close event may take to come before the connection is lost. */
    static final long CLOSE_GRACE_MS = 1_000;
    /** A POST (or the DELETE) not answered by then is not answered. */
    static final long POST_TIMEOUT_MS = 10_000;
    /**
     * Bytes of the stream read without a line break: a line can hold no more than an event,
     * {@link EventStream#MAX_EVENT_CHARS} characters, at most 3 bytes each in UTF-8, after
     * its field's name. Beyond, the server is not ending its line, and the stream fails
     * before the JDK's line splitter holds it all. (That splitter searches a line from its
     * start each time it decodes more of it, so a line costs time in its length squared:
     * about a second at this bound.)
     */
    static final long MAX_LINE_BYTES = 3L * EventStream.MAX_EVENT_CHARS + 16;
    /** Of a refused POST's answer, only this much is read: the server's is a sentence, more is a proxy's page. */
    static final int ERROR_BODY_BYTES = 8192;
    /** The most of a refusal's words a close reason keeps. */
    static final int MAX_REASON_CHARS = 200;

    private static final int LOST = 1006;

    private final HttpClient http;
    private final Timers timers;

    // all below: the client's thread only
    private URI uri;
    private Handler handler;
    private CompletableFuture<HttpResponse<Void>> response; // the stream's GET
    private Flow.Subscription stream;                       // its lines, once they flow
    private final EventStream events = new EventStream(this::event);
    private String id;                                      // the connection's, from the first event
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean posting;
    private boolean refused;    // a POST was not taken: the connection is gone, its close event may be on the way
    private boolean ended;
    private Timers.Timer firstEvent;
    private Timers.Timer grace;

    /**
     * @param http   the client's; every request this wire makes is HTTP/1.1
     * @param timers the client's thread, where this wire's methods are called and its handler hears everything
     */
    HttpWire(HttpClient http, Timers timers) {
        this.http = http;
        this.timers = timers;
    }

    /**
     * Opens the event stream {@code uri} ({@code http[s]://host[:port]/CONTEXT/sse/{room}}).
     *
     * @throws IllegalArgumentException if {@code uri} is not an http or https URI
     * @throws IllegalStateException    if this wire was opened already: a wire is used once
     */
    @Override
    public void open(URI uri, Handler handler) {
        if (this.handler != null) {
            throw new IllegalStateException("a wire is opened once");
        }
        HttpRequest get = HttpRequest.newBuilder(uri).version(HttpClient.Version.HTTP_1_1)
                .header("Accept", "text/event-stream").GET().build();
        this.uri = uri;
        this.handler = handler;
        if (ended) {
            return; // closed before it was opened
        }
        firstEvent = timers.schedule(() -> end(LOST, STREAM_SILENT, true), FIRST_EVENT_MS);
        Reader reader = new Reader();
        response = http.sendAsync(get, info -> answered(info, reader));
        // before the stream's lines flow (no answer, a refused connection); later failures reach the reader too
        response.whenComplete((answer, error) -> {
            if (error != null) {
                timers.execute(() -> end(LOST, "", true));
            }
        });
    }

    /** On the HttpClient's thread, when the GET's answer comes: its lines if it is a stream, else the end. */
    private BodySubscriber<Void> answered(HttpResponse.ResponseInfo info, Reader reader) {
        String type = info.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (info.statusCode() == 200 && type.startsWith("text/event-stream")) {
            return new Lines(reader);
        }
        timers.execute(() -> end(LOST, "", true));
        return BodySubscribers.mapping(new AtMost(0), body -> null);
    }

    /**
     * Queues a frame for its POST, after those before it.
     *
     * @return false if not open yet, ended, refused (a POST was not taken), or the queue is full
     */
    @Override
    public boolean send(String json) {
        if (ended || refused || id == null || queue.size() >= POST_QUEUE_LIMIT) {
            return false;
        }
        queue.add(json);
        post();
        return true;
    }

    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        stop();
        hangUp();
    }

    // ---- the stream ----

    /**
     * The stream's lines, handed over to the client's thread one at a time: the next is
     * asked for when the client's thread takes one, so at most two wait there.
     */
    private final class Reader implements Flow.Subscriber<String> {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            timers.execute(() -> {
                if (ended) {
                    subscription.cancel();
                    return;
                }
                stream = subscription;
                subscription.request(1);
            });
        }

        @Override
        public void onNext(String line) {
            timers.execute(() -> read(line));
        }

        @Override
        public void onError(Throwable failure) {
            timers.execute(() -> end(LOST, "", true));
        }

        @Override
        public void onComplete() {
            timers.execute(() -> end(LOST, "", true)); // a stream that ends without a close event was lost
        }
    }

    private void read(String line) {
        if (ended) {
            return;
        }
        stream.request(1); // first: a handler that throws does not stall the stream
        if (!events.line(line)) {
            end(LOST, "", true); // an event over the bound: a server that never ends one
        }
    }

    private void event(String type, String data) {
        switch (type) {
            case "connection" -> connected(data);
            case "message" -> {
                if (id == null) {
                    end(LOST, "", true); // a frame before the connection's id: not Parley's stream
                } else {
                    handler.frame(data);
                }
            }
            case "close" -> {
                JsonObject close = object(data);
                JsonValue code = close == null ? null : close.get("code");
                JsonValue reason = close == null ? null : close.get("reason");
                end(code instanceof JsonNumber number ? intOr(number, LOST) : LOST,
                        reason instanceof JsonString text ? text.getString() : "", false); // the server closed it: no DELETE
            }
            default -> {
                // a type this client does not know: ignored, as an EventSource with no listener for it does
            }
        }
    }

    private void connected(String data) {
        if (id != null) {
            return; // there is one connection event; another changes nothing
        }
        firstEvent.cancel();
        JsonObject connection = object(data);
        if (connection == null || !(connection.get("id") instanceof JsonString given) || given.getString().isEmpty()) {
            end(LOST, "", true);
            return;
        }
        id = given.getString();
        handler.opened(Transport.HTTP);
        post();
    }

    // ---- the POSTs ----

    private URI frameUri() {
        // URLEncoder is for forms: a space would be '+', which a path keeps as a '+'
        return URI.create(uri + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** The next queued frame's POST, unless one is in flight: each waits for the answer before it. */
    private void post() {
        if (posting || ended || refused || id == null || queue.isEmpty()) {
            return;
        }
        posting = true;
        HttpRequest request = HttpRequest.newBuilder(frameUri()).version(HttpClient.Version.HTTP_1_1)
                .timeout(Duration.ofMillis(POST_TIMEOUT_MS)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(queue.poll(), StandardCharsets.UTF_8)).build();
        http.sendAsync(request, info -> info.statusCode() / 100 == 2 ? BodySubscribers.replacing("")
                        : new AtMost(ERROR_BODY_BYTES))
                .whenComplete((answer, error) -> timers.execute(() -> posted(
                        answer == null ? 0 : answer.statusCode(), answer == null ? "" : answer.body())));
    }

    /** A POST's answer, as the JavaScript client's {@code #post} takes it (0: none came). */
    private void posted(int status, String body) {
        posting = false;
        if (ended) {
            return;
        }
        if (status >= 200 && status < 300) {
            post();
        } else if (status == 413) {
            end(1009, "frame too big", true); // the server closes with 1009 too
        } else if (status >= 400 && status < 500 && status != 404 && status != 408 && status != 429) {
            end(1008, refusal(status, body), true);
        } else {
            refuse();
        }
    }

    /**
     * A POST not taken (404: the connection is gone) or not answered: the server may have
     * closed the connection, and its close event, which says why, can come a moment after the
     * answer. Nothing more is sent; without a close event within {@link #CLOSE_GRACE_MS} the
     * connection is lost.
     */
    private void refuse() {
        refused = true;
        queue.clear();
        grace = timers.schedule(() -> end(LOST, "", true), CLOSE_GRACE_MS);
    }

    /** What a refused POST says: its body's {@code error}, else its status. */
    private static String refusal(int status, String body) {
        JsonObject answer = object(body);
        if (answer != null && answer.get("error") instanceof JsonString error && !error.getString().isEmpty()) {
            String words = error.getString();
            if (words.length() <= MAX_REASON_CHARS) {
                return words;
            }
            int cut = Character.isHighSurrogate(words.charAt(MAX_REASON_CHARS - 1)) ? MAX_REASON_CHARS - 1 : MAX_REASON_CHARS;
            return words.substring(0, cut);
        }
        return "refused with HTTP " + status; // not JSON: a proxy's page
    }

    // ---- the end ----

    /** The wire ended by itself: the handler hears it, once. */
    private void end(int code, String reason, boolean hangUp) {
        if (ended) {
            return;
        }
        ended = true;
        stop();
        if (hangUp) {
            hangUp();
        }
        handler.closed(code, reason);
    }

    private void stop() {
        if (firstEvent != null) {
            firstEvent.cancel();
        }
        if (grace != null) {
            grace.cancel();
        }
        queue.clear();
        if (stream != null) {
            stream.cancel();
        }
        if (response != null) {
            response.cancel(true); // a GET still waiting for its answer
        }
    }

    /**
     * DELETE, so that the room hears {@code left} at once, not when the server notices the
     * stream is gone. Its answer does not matter: closed already, or no network (the server
     * then notices within 25 s).
     */
    private void hangUp() {
        if (id == null) {
            return;
        }
        http.sendAsync(HttpRequest.newBuilder(frameUri()).version(HttpClient.Version.HTTP_1_1)
                .timeout(Duration.ofMillis(POST_TIMEOUT_MS)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    // ---- JSON ----

    /** The object {@code text} holds, or null for anything else. */
    private static JsonObject object(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.read() instanceof JsonObject object ? object : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static int intOr(JsonNumber number, int otherwise) {
        try {
            return number.isIntegral() ? number.intValueExact() : otherwise;
        } catch (ArithmeticException tooBig) {
            return otherwise;
        }
    }

    // ---- reading bodies ----

    /**
     * The stream's body as lines, split by the JDK ({@link BodySubscribers#fromLineSubscriber}:
     * on LF, CRLF and CR, a CRLF cut between two reads being one break), decoded as UTF-8 as
     * the format says. The splitter holds a line until it ends: this fails the stream when
     * {@value #MAX_LINE_BYTES} bytes come without one reaching the reader.
     */
    static final class Lines implements BodySubscriber<Void> {
        private final AtomicLong unsplit = new AtomicLong(); // bytes read since a line last reached the reader
        private final BodySubscriber<Void> split;
        private Flow.Subscription upstream;
        private boolean failed;

        Lines(Flow.Subscriber<String> reader) {
            split = BodySubscribers.fromLineSubscriber(new Flow.Subscriber<String>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    reader.onSubscribe(subscription);
                }

                @Override
                public void onNext(String line) {
                    unsplit.set(0);
                    reader.onNext(line);
                }

                @Override
                public void onError(Throwable failure) {
                    reader.onError(failure);
                }

                @Override
                public void onComplete() {
                    reader.onComplete();
                }
            });
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            split.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (failed) {
                return;
            }
            long bytes = 0;
            for (ByteBuffer buffer : buffers) {
                bytes += buffer.remaining();
            }
            if (unsplit.addAndGet(bytes) > MAX_LINE_BYTES) {
                failed = true;
                upstream.cancel();
                split.onError(new IOException("over " + MAX_LINE_BYTES + " bytes without a line break"));
                return;
            }
            split.onNext(buffers);
        }

        @Override
        public void onError(Throwable failure) {
            if (!failed) {
                split.onError(failure);
            }
        }

        @Override
        public void onComplete() {
            if (!failed) {
                split.onComplete();
            }
        }

        @Override
        public CompletionStage<Void> getBody() {
            return split.getBody();
        }
    }

    /**
     * A body read up to {@code limit} bytes, as UTF-8: what came within it. The rest is not
     * read (the connection closes); 0 reads nothing.
     */
    static final class AtMost implements BodySubscriber<String> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        AtMost(int limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (limit == 0) {
                subscription.cancel();
                done();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                byte[] taken = new byte[Math.min(buffer.remaining(), limit - bytes.size())];
                buffer.get(taken); // not array(): the client's buffers may be read-only
                bytes.writeBytes(taken);
            }
            if (bytes.size() >= limit) {
                subscription.cancel();
                done();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            done(); // what came is enough: it is only read for the words in it
        }

        @Override
        public void onComplete() {
            done();
        }

        private void done() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }
    }

    // ---- the format ----

    /**
     * The event stream format (the HTML standard's "Server-sent events"), fed one line at a
     * time without its line break: {@code field: value}, a blank line dispatching the event,
     * a line opening with {@code :} a comment. {@code id} and {@code retry} are read and
     * ignored: the client recovers with {@code join} and {@code since}, not Last-Event-ID,
     * and keeps its own backoff.
     */
    static final class EventStream {
        /** An event's data, or any line, longer than this fails the stream: a server that never ends one. */
        static final int MAX_EVENT_CHARS = 1 << 20;

        /** Hears each event: its type ({@code message} if none was named) and data. */
        interface Listener {
            void event(String type, String data);
        }

        private final Listener listener;
        private boolean started;
        private String type = "";
        private StringBuilder data; // null: no data line yet, and an event without one is not dispatched

        EventStream(Listener listener) {
            this.listener = listener;
        }

        /**
         * One line, without its line break.
         *
         * @return false if the event (or the line) has grown over {@link #MAX_EVENT_CHARS}: the
         *         stream has failed, and nothing more may be fed
         */
        boolean line(String line) {
            if (!started) {
                started = true;
                if (line.startsWith("\uFEFF")) {
                    line = line.substring(1); // the format allows one byte order mark, first
                }
            }
            if (line.length() > MAX_EVENT_CHARS) {
                return false;
            }
            if (line.isEmpty()) {
                dispatch();
                return true;
            }
            if (line.charAt(0) == ':') {
                return true;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(line.startsWith(" ", colon + 1) ? colon + 2 : colon + 1);
            switch (field) {
                case "event" -> type = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else if (data.length() + 1L + value.length() > MAX_EVENT_CHARS) {
                        return false;
                    } else {
                        data.append('\n').append(value);
                    }
                }
                default -> {
                    // id, retry, and fields the format does not know
                }
            }
            return true;
        }

        private void dispatch() {
            String named = type.isEmpty() ? "message" : type;
            StringBuilder dispatched = data;
            type = "";
            data = null;
            if (dispatched != null) {
                listener.event(named, dispatched.toString());
            }
        }
    }
}
