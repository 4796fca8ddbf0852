package dev.parley.web;

import dev.parley.sse.OffThreadSink;
import dev.parley.sse.SseStream;
import dev.parley.sse.SseTransport;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP transport in the WAR: {@code /sse/{room}} and {@code /sse/{room}/{id}},
 * answered by {@link SseTransport}. A stream is an asynchronous response written with the
 * Servlet API's non-blocking output, so a client that does not read holds no thread; a
 * POST's body is small (the frame limit) and read as the container hands it over.
 */
@WebServlet(urlPatterns = "/sse/*", asyncSupported = true)
public class SseServlet extends HttpServlet {
    /** Longer than the broker's own timeout for a forwarded request (5 s), which answers first. */
    private static final long FORWARD_WAIT_SECONDS = 6;

    @Inject
    private SseTransport transport;

    private ExecutorService writers; // guarded by this

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] parts = parts(request);
        if (parts.length != 1) {
            notAllowed(response, parts);
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no"); // a proxy that buffers would hold the events back
        // A stream ends its connection: the Servlet API cannot drop a response, so a stream
        // given up on (its client stopped reading) is completed, and without this the
        // container would keep the connection for another request once the client drains it
        response.setHeader("Connection", "close");
        // Commit the status and headers now: Open Liberty ignores the first flush of every
        // response (it only commits it), which would otherwise be the opening event's, and
        // the stream would stay in its buffer until the next flush, a heartbeat 15 s later
        response.flushBuffer();
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the chat's idle check closes a silent connection, as on WebSocket
        ServletOutputStream out = response.getOutputStream();
        SseStream.Sink sink = new Sink(async, out);
        // Open Liberty's non-blocking output blocks: docs/CONTAINERS.md, "Open Liberty 26"
        transport.open(parts[0], about(request),
                out.getClass().getName().startsWith("com.ibm.ws.") ? new OffThreadSink(sink, writers()) : sink);
    }

    /** The threads that write Open Liberty's streams ({@link OffThreadSink}): made at its first stream. */
    private synchronized Executor writers() {
        if (writers == null) {
            writers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
                Thread thread = new Thread(task, "parley-sse-write");
                thread.setDaemon(true);
                return thread;
            });
        }
        return writers;
    }

    @Override
    public synchronized void destroy() {
        if (writers != null) {
            writers.shutdownNow();
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] parts = parts(request);
        if (parts.length != 2) {
            notAllowed(response, parts);
            return;
        }
        byte[] body;
        if (request.getContentLengthLong() > transport.maxBody()) {
            body = new byte[transport.maxBody() + 1];
        } else {
            try (InputStream in = request.getInputStream()) {
                body = in.readNBytes(transport.maxBody() + 1);
            }
        }
        answer(response, transport.post(parts[0], parts[1], request.getContentType(), about(request), body));
    }

    /** Waits for the answer: at once for a connection of this node, up to the broker's forwarding for another's. */
    private static void answer(HttpServletResponse response, CompletionStage<SseTransport.Answer> answer) throws IOException {
        SseTransport.Answer done;
        try {
            done = answer.toCompletableFuture().get(FORWARD_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = new SseTransport.Answer(503, "Interrupted.");
        } catch (ExecutionException | TimeoutException e) {
            done = new SseTransport.Answer(503, "The node that holds this connection did not answer in time.");
        }
        answer(response, done);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String[] parts = parts(request);
        if (parts.length != 2) {
            notAllowed(response, parts);
            return;
        }
        answer(response, transport.delete(parts[0], parts[1], about(request)));
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        notAllowed(response, parts(request));
    }

    private static String[] parts(HttpServletRequest request) {
        String path = request.getPathInfo(); // "/" for …/sse/: the empty room name, a bad room as on WebSocket
        return path == null ? new String[0] : path.substring(1).split("/", -1);
    }

    private SseTransport.Request about(HttpServletRequest request) {
        return transport.request(request.getRemoteAddr(), name -> header(request, name));
    }

    /** A request header, several values joined with commas (as proxies may send X-Forwarded-For); null if none. */
    static String header(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return first;
        }
        StringBuilder joined = new StringBuilder(first);
        while (values.hasMoreElements()) {
            joined.append(',').append(values.nextElement());
        }
        return joined.toString();
    }

    private static void notAllowed(HttpServletResponse response, String[] parts) throws IOException {
        if (parts.length == 0 || parts.length > 2) {
            answer(response, new SseTransport.Answer(404, "No such path."));
            return;
        }
        response.setHeader("Allow", parts.length == 1 ? "GET" : "POST, DELETE");
        answer(response, new SseTransport.Answer(405, "Streams are opened with GET, frames sent with POST."));
    }

    private static void answer(HttpServletResponse response, SseTransport.Answer answer) throws IOException {
        byte[] body = answer.body();
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        if (body.length > 0) {
            response.setContentType("application/json");
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The stream on the container's non-blocking output; a failed or timed-out response fails it. */
    private static final class Sink implements SseStream.Sink, WriteListener, AsyncListener {
        private final AsyncContext async;
        private final ServletOutputStream out;
        private volatile SseStream stream;
        private boolean ended;

        Sink(AsyncContext async, ServletOutputStream out) {
            this.async = async;
            this.out = out;
        }

        @Override
        public void bind(SseStream stream) {
            this.stream = stream;
            async.addListener(this);
            out.setWriteListener(this); // from now on writes do not block; the container calls onWritePossible
        }

        @Override
        public boolean ready() {
            return out.isReady();
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
            if (!ended) {
                ended = true;
                async.complete();
            }
        }

        @Override
        public void abort() {
            end(); // the Servlet API cannot drop a connection: the response completes, and "Connection: close" ends it
        }

        @Override
        public void onWritePossible() {
            stream.writable();
        }

        @Override
        public void onError(Throwable t) {
            stream.failed(t);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            stream.failed(new IOException("the response completed"));
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            stream.failed(new IOException("the response timed out"));
        }

        @Override
        public void onError(AsyncEvent event) {
            stream.failed(event.getThrowable() == null ? new IOException("the response failed") : event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not restarted
        }
    }
}
