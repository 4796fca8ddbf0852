package dev.parley.standalone.http;

import dev.parley.http.PageHeaders;
import dev.parley.sse.SseStream;
import dev.parley.sse.SseTransport;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.WriteHandler;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.io.NIOOutputStream;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The HTTP transport on the standalone server: {@code /sse/{room}} and
 * {@code /sse/{room}/{id}}, answered by {@link SseTransport}. Requests arrive on a selector
 * thread: a POST's body is read without waiting ({@link RequestBody}), and a stream is
 * written without blocking.
 */
final class SseHandler {
    static final String PREFIX = "/sse/";
    private static final Logger LOG = Logger.getLogger(SseHandler.class.getName());

    private final SseTransport transport;
    SseHandler(SseTransport transport) {
        this.transport = transport;
    }

    static boolean serves(String path) {
        return path.startsWith(PREFIX);
    }

    void service(Request request, Response response) throws IOException {
        PageHeaders.set(response::setHeader, request.isSecure());
        response.setHeader("Cache-Control", "no-store");
        boolean upgrade = request.getRequest().isUpgrade();
        HttpAnswer.ignoreUpgrade(request, response);
        String[] parts = request.getRequestURI().substring(PREFIX.length()).split("/", -1);
        Method method = request.getMethod();
        SseTransport.Request about = transport.request(request.getRemoteAddr(), name -> RequestHeaders.get(request, name));
        if (parts.length == 1 && method == Method.GET) {
            stream(parts[0], about, response);
        } else if (parts.length == 2 && method == Method.POST) {
            if (upgrade) { // Grizzly would hand the body to the upgraded protocol (h2c): refused, never left waiting
                answer(response, new SseTransport.Answer(400, "Send this request without Upgrade (HTTP/1.1)."));
                return;
            }
            if (request.getContentLengthLong() > transport.maxBody()) {
                answer(response, transport.post(parts[0], parts[1], request.getContentType(), about,
                        new byte[transport.maxBody() + 1]), false);
                return;
            }
            RequestBody.read(request, response, transport.maxBody(), (body, suspended) ->
                    answer(response, transport.post(parts[0], parts[1], request.getContentType(), about, body), suspended));
        } else if (parts.length == 2 && method == Method.DELETE) {
            answer(response, transport.delete(parts[0], parts[1], about), false);
        } else if (parts.length <= 2) {
            response.setHeader("Allow", parts.length == 1 ? "GET" : "POST, DELETE");
            answer(response, new SseTransport.Answer(405, "Streams are opened with GET, frames sent with POST."));
        } else {
            answer(response, new SseTransport.Answer(404, "No such path."));
        }
    }

    private void stream(String room, SseTransport.Request about, Response response) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("X-Accel-Buffering", "no"); // a proxy that buffers would hold the events back
        response.suspend();
        transport.open(room, about, new Sink(response));
    }

    /**
     * Answers when the stage completes: at once for a connection of this node, later for one
     * another node holds (forwarded over the broker), with the response suspended meanwhile.
     */
    private static void answer(Response response, CompletionStage<SseTransport.Answer> answer, boolean suspended) {
        CompletableFuture<SseTransport.Answer> stage = answer.toCompletableFuture();
        if (stage.isDone()) {
            answer(response, stage.join());
            if (suspended) {
                response.resume();
            }
            return;
        }
        if (!suspended) {
            response.suspend();
        }
        stage.whenComplete((done, failure) -> {
            answer(response, done != null ? done : new SseTransport.Answer(500, "Failed."));
            response.resume();
        });
    }

    private static void answer(Response response, SseTransport.Answer answer) {
        try {
            byte[] body = answer.body();
            response.setStatus(answer.status());
            if (body.length > 0) {
                response.setContentType("application/json");
            }
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "answer failed", e);
        }
    }

    /**
     * The stream on Grizzly's non-blocking output; the client's going away fails it. Grizzly
     * takes one write handler at a time ({@code notifyCanWrite} throws while one waits), and
     * the stream asks {@link #ready} again before that one is told (its tick, a close), so
     * the sink registers once and waits for the call back.
     * <p>
     * Grizzly's output is ready while the connection's write queue holds less than its
     * bound, four times the socket's send buffer by default (8 MB on a loopback here): a
     * stream bounds it to {@link #QUEUED_BYTES}, so a client that stops reading leaves what
     * it has not read in the outbox, whose bounds close it as a slow consumer (1008), as over
     * WebSocket. The connection's own bound comes back when the stream ends (keep-alive).
     */
    private static final class Sink implements SseStream.Sink, WriteHandler {
        static final int QUEUED_BYTES = 64 * 1024;

        private final Response response;
        private final NIOOutputStream out;
        private final int connectionQueuedBytes;
        private SseStream stream;
        /** A handler waits in Grizzly; cleared before it is told, so a pump after that registers anew. */
        private volatile boolean registered;

        Sink(Response response) {
            this.response = response;
            this.out = response.getNIOOutputStream();
            Connection<?> connection = response.getRequest().getConnection();
            this.connectionQueuedBytes = connection.getMaxAsyncWriteQueueSize();
            connection.setMaxAsyncWriteQueueSize(QUEUED_BYTES);
        }

        @Override
        public void bind(SseStream stream) {
            this.stream = stream;
            response.getRequest().getConnection().addCloseListener(
                    (closeable, type) -> stream.failed(new IOException("the client went away")));
        }

        @Override
        public boolean ready() {
            if (out.canWrite()) {
                return true;
            }
            if (!registered) {
                registered = true; // before the call: Grizzly may call back inside it
                out.notifyCanWrite(this);
            }
            return false;
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            out.write(bytes);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void end() {
            response.getRequest().getConnection().setMaxAsyncWriteQueueSize(connectionQueuedBytes);
            if (response.isSuspended()) {
                response.resume();
            }
        }

        @Override
        public void abort() {
            response.getRequest().getConnection().closeSilently();
        }

        @Override
        public void onWritePossible() {
            registered = false;
            stream.writable();
        }

        @Override
        public void onError(Throwable t) {
            registered = false;
            stream.failed(t);
        }
    }
}
