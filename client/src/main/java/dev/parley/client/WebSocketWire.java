package dev.parley.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;

/**
 * A room's connection over the JDK's WebSocket. Every callback of the JDK's client hops onto
 * the client's thread ({@link Timers}), where all of this wire's state lives: the owner calls
 * {@link #send} and {@link #close} there too, so nothing here needs a lock.
 *
 * <p>The JDK's WebSocket takes one {@code sendText} at a time: frames wait in a queue of at
 * most {@link #QUEUE_LIMIT} until the one before them is written. A frame from the server
 * that comes in parts is bounded by {@link #FRAME_LIMIT} characters.
 */
final class WebSocketWire implements Wire {
    static final int QUEUE_LIMIT = 1000;
    static final int FRAME_LIMIT = 1 << 22;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final int LOST = 1006;

    private final HttpClient http;
    private final Timers timers;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private Handler handler;
    private WebSocket socket;
    private boolean writing;
    private boolean ended;

    WebSocketWire(HttpClient http, Timers timers) {
        this.http = http;
        this.timers = timers;
    }

    @Override
    public void open(URI uri, Handler handler) {
        this.handler = handler;
        http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT).buildAsync(uri, new Listener())
                .whenComplete((socket, failure) -> timers.execute(() -> {
                    if (failure != null) {
                        end(LOST, "");
                    } else if (ended) {
                        socket.abort();
                    } else {
                        this.socket = socket;
                        handler.opened(Transport.WEBSOCKET);
                    }
                }));
    }

    @Override
    public boolean send(String json) {
        if (socket == null || ended || queue.size() >= QUEUE_LIMIT) {
            return false;
        }
        queue.add(json);
        write();
        return true;
    }

    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        queue.clear();
        WebSocket open = socket;
        if (open != null) {
            open.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(CLOSE_TIMEOUT.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS).whenComplete((ws, failure) -> open.abort());
        }
    }

    private void write() {
        if (writing || queue.isEmpty() || ended) {
            return;
        }
        writing = true;
        socket.sendText(queue.poll(), true).whenComplete((ws, failure) -> timers.execute(() -> {
            writing = false;
            if (failure != null) {
                lost();
            } else {
                write();
            }
        }));
    }

    private void lost() {
        if (socket != null) {
            socket.abort();
        }
        end(LOST, "");
    }

    private void end(int code, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        queue.clear();
        handler.closed(code, reason);
    }

    /** The JDK's callbacks, each handed to the client's thread. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (parts.length() + data.length() > FRAME_LIMIT) {
                parts.setLength(0);
                webSocket.abort();
                timers.execute(WebSocketWire.this::lost);
                return null;
            }
            String frame;
            if (last && parts.isEmpty()) {
                frame = data.toString();
            } else {
                parts.append(data);
                if (!last) {
                    webSocket.request(1);
                    return null;
                }
                frame = parts.toString();
                parts.setLength(0);
            }
            timers.execute(() -> {
                if (!ended) {
                    handler.frame(frame);
                }
                webSocket.request(1);   // the next frame once this one was handled: a fast server cannot fill the client's queue
            });
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);   // the protocol's frames are text: a binary one is ignored
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            timers.execute(() -> end(statusCode, reason == null ? "" : reason));
            return null;   // the JDK answers the close at once
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            timers.execute(() -> end(LOST, ""));
        }
    }
}
