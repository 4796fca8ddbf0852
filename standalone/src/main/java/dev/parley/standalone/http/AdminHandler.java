package dev.parley.standalone.http;

import dev.parley.admin.AdminApi;
import dev.parley.http.PageHeaders;
import dev.parley.ops.OpsPages;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The admin view on the standalone server: its page (the web client's files under
 * {@code admin/}) and its API ({@link AdminApi}), both 404 unless PARLEY_ADMIN_TOKEN is set.
 * Requests arrive on a selector thread, which must never wait: a request's body is read as
 * it comes (at most {@link AdminApi#MAX_BODY} bytes), and the API, which may ask the store
 * or Redis, answers on a thread of its own with a short queue (beyond it 503).
 */
final class AdminHandler implements AutoCloseable {
    private static final String API = AdminApi.PREFIX + "api/";

    private final AdminApi api;
    private final WebClientHandler web;
    private final ExecutorService work = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(32),
            task -> {
                Thread thread = new Thread(task, "parley-admin");
                thread.setDaemon(true);
                return thread;
            });

    AdminHandler(AdminApi api, WebClientHandler web) {
        this.api = api;
        this.web = web;
    }

    static boolean serves(String path) {
        return path.equals("/admin") || path.startsWith(AdminApi.PREFIX);
    }

    void service(Request request, Response response) throws Exception {
        String path = request.getRequestURI();
        if (!api.enabled()) {
            PageHeaders.set(response::setHeader, request.isSecure());
            response.sendError(404); // off, not open
            return;
        }
        if (path.equals("/admin")) {
            PageHeaders.set(response::setHeader, request.isSecure());
            response.setHeader("Location", AdminApi.PREFIX);
            response.setStatus(301);
            return;
        }
        if (!path.startsWith(API)) {
            web.service(request, response);
            return;
        }
        boolean upgrade = request.getRequest().isUpgrade();
        HttpAnswer.ignoreUpgrade(request, response);
        Method method = request.getMethod();
        if (method != Method.GET && method != Method.POST) {
            HttpAnswer.send(request, response, new OpsPages.Answer(405, "application/json",
                    "{\"error\":\"method not allowed\"}", Map.of("Allow", "GET, POST")));
            return;
        }
        if (upgrade && method == Method.POST) {
            // Grizzly hands the body of a request that offers an upgrade (h2c, as the JDK's
            // HttpClient does) to the upgraded protocol, not to us: refused at once, never left waiting
            HttpAnswer.send(request, response, new OpsPages.Answer(400, "application/json",
                    "{\"error\":\"send this request without Upgrade (HTTP/1.1)\"}", Map.of("Connection", "close")));
            return;
        }
        if (request.getContentLengthLong() > AdminApi.MAX_BODY) {
            HttpAnswer.send(request, response, tooLarge());
            return;
        }
        if (method == Method.GET) {
            response.suspend();
            answer(request, response, null);
            return;
        }
        RequestBody.read(request, response, AdminApi.MAX_BODY, (body, suspended) -> {
            if (!suspended) {
                response.suspend(); // answered on the admin thread
            }
            if (body.length > AdminApi.MAX_BODY) {
                HttpAnswer.finish(request, response, tooLarge());
            } else {
                answer(request, response, new String(body, StandardCharsets.UTF_8));
            }
        });
    }

    private void answer(Request request, Response response, String body) {
        String method = request.getMethod().getMethodString();
        String path = request.getRequestURI();
        String authorization = request.getHeader("Authorization");
        try {
            work.execute(() -> HttpAnswer.finish(request, response, api.handle(method, path, authorization, body)));
        } catch (RejectedExecutionException e) {
            HttpAnswer.finish(request, response, new OpsPages.Answer(503, "application/json", "{\"error\":\"busy, try again\"}",
                    Map.of("Retry-After", "1")));
        }
    }

    private static OpsPages.Answer tooLarge() {
        return new OpsPages.Answer(413, "application/json", "{\"error\":\"a request body is at most "
                + AdminApi.MAX_BODY + " bytes\"}", Map.of("Connection", "close"));
    }

    @Override
    public void close() {
        work.shutdownNow();
    }
}
