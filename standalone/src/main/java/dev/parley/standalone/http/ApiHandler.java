package dev.parley.standalone.http;

import dev.parley.api.ServerApi;
import dev.parley.ops.OpsPages;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The server API on the standalone server, {@code /api/v1/…} ({@link ServerApi}). Requests
 * arrive on a selector thread, which must never wait: the key is checked there, a body is
 * read as it comes (at most {@link ServerApi#MAX_BODY} bytes), and the API, which may ask
 * the store or Redis, runs on a few threads of its own with a bounded queue (beyond it 503
 * at once). A publish is answered from the store's thread when its commit is done.
 */
final class ApiHandler implements AutoCloseable {
    private static final int THREADS = 2;
    private static final int QUEUE = 256;

    private final ServerApi api;
    private final ExecutorService work = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), task -> {
                Thread thread = new Thread(task, "parley-api");
                thread.setDaemon(true);
                return thread;
            });

    ApiHandler(ServerApi api) {
        this.api = api;
    }

    static boolean serves(String path) {
        return path.equals(ServerApi.PREFIX) || path.startsWith(ServerApi.PREFIX + "/");
    }

    void service(Request request, Response response) throws Exception {
        String method = request.getMethod().getMethodString();
        String path = request.getRequestURI().substring(ServerApi.PREFIX.length());
        OpsPages.Answer refused = api.refusal(method, path, request.getHeader("Authorization"));
        if (refused != null) {
            HttpAnswer.send(request, response, refused);
            return;
        }
        if (request.getContentLengthLong() > ServerApi.MAX_BODY) {
            HttpAnswer.send(request, response, api.tooBig(method, path));
            return;
        }
        if (request.getRequest().isUpgrade()) { // h2c offered, as the JDK's HttpClient does on http://
            boolean body = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
            HttpAnswer.ignoreUpgrade(request, response);
            if (body) {
                // Grizzly hands the body of such a request to the upgraded protocol, not to us:
                // refused at once, never left waiting
                HttpAnswer.send(request, response, new OpsPages.Answer(400, "application/json; charset=utf-8",
                        "{\"code\":\"bad-json\",\"message\":\"Send this request in HTTP/1.1, without Upgrade: h2c.\"}",
                        Map.of("Connection", "close")));
                return;
            }
            response.suspend();
            answer(request, response, method, path, request.getQueryString(), null);
            return;
        }
        String query = request.getQueryString();
        RequestBody.read(request, response, ServerApi.MAX_BODY, (body, suspended) -> {
            if (!suspended) {
                response.suspend(); // answered from the API's threads
            }
            if (body.length > ServerApi.MAX_BODY) {
                HttpAnswer.finish(request, response, api.tooBig(method, path));
                return;
            }
            answer(request, response, method, path, query, body.length == 0 ? null : body);
        });
    }

    /** Answers on the API's threads; the response is suspended, and resumed once answered. */
    private void answer(Request request, Response response, String method, String path, String query, byte[] body) {
        try {
            work.execute(() -> api.handle(method, path, query, body)
                    .whenComplete((answer, failure) -> HttpAnswer.finish(request, response, answer != null ? answer
                            : new OpsPages.Answer(500, "application/json; charset=utf-8",
                            "{\"code\":\"unavailable\",\"message\":\"The server failed to answer.\"}", Map.of()))));
        } catch (RejectedExecutionException e) {
            HttpAnswer.finish(request, response, new OpsPages.Answer(503, "application/json; charset=utf-8",
                    "{\"code\":\"unavailable\",\"message\":\"Busy: try again shortly.\"}", Map.of("Retry-After", "1")));
        }
    }

    @Override
    public void close() {
        work.shutdownNow();
    }
}
