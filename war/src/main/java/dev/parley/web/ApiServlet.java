package dev.parley.web;

import dev.parley.api.ServerApi;
import dev.parley.ops.OpsPages;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WAR's server API, {@code /parley/api/v1/…} ({@link ServerApi}): the key first, then
 * the body's size, then the API. A publish or delete that waits for the store's commit is
 * answered asynchronously, so no container thread waits for it.
 */
@WebServlet(urlPatterns = "/api/v1/*", asyncSupported = true)
public class ApiServlet extends HttpServlet {
    private static final Logger LOG = Logger.getLogger(ApiServlet.class.getName());
    /** Longer than the API's own wait for the store (10 s): the API always answers first. */
    private static final long ASYNC_TIMEOUT_MILLIS = 30_000;

    @Inject
    private ServerApi api;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        // as it came, not decoded: a user's name in the path is the API's to decode
        String path = request.getRequestURI().substring(request.getContextPath().length() + ServerApi.PREFIX.length());
        OpsPages.Answer refused = api.refusal(method, path, request.getHeader("Authorization"));
        if (refused != null) {
            OpsServlet.write(refused, response);
            return;
        }
        if (request.getContentLengthLong() > ServerApi.MAX_BODY) {
            OpsServlet.write(api.tooBig(method, path), response);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(ServerApi.MAX_BODY + 1);
        }
        if (body.length > ServerApi.MAX_BODY) {
            OpsServlet.write(api.tooBig(method, path), response);
            return;
        }
        CompletableFuture<OpsPages.Answer> answer = api.handle(method, path, request.getQueryString(),
                body.length == 0 ? null : body).toCompletableFuture();
        if (answer.isDone()) {
            OpsServlet.write(answer.join(), response);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(ASYNC_TIMEOUT_MILLIS);
        answer.whenComplete((done, failure) -> {
            try {
                OpsServlet.write(done, (HttpServletResponse) async.getResponse());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "API answer failed", e);
            } finally {
                async.complete();
            }
        });
    }
}
