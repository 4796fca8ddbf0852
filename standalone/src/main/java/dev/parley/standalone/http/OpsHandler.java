package dev.parley.standalone.http;

import dev.parley.http.PageHeaders;
import dev.parley.ops.OpsPages;
import java.io.IOException;
import java.util.Set;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.HttpStatus;

/** Serves {@link OpsPages} (metrics and health) on the standalone server's listener. */
final class OpsHandler extends HttpHandler {
    private static final Set<String> PATHS = Set.of(OpsPages.METRICS, OpsPages.LIVE, OpsPages.READY);

    private final OpsPages pages;

    OpsHandler(OpsPages pages) {
        this.pages = pages;
    }

    static boolean serves(String path) {
        return PATHS.contains(path);
    }

    @Override
    public void service(Request request, Response response) throws IOException {
        PageHeaders.set(response::setHeader, request.isSecure());
        response.setHeader("Cache-Control", "no-store");
        if (request.getMethod() != Method.GET && request.getMethod() != Method.HEAD) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(HttpStatus.METHOD_NOT_ALLOWED_405.getStatusCode());
            return;
        }
        OpsPages.Answer answer = pages.answer(request.getRequestURI(), request.getHeader("Authorization"));
        if (answer == null) {
            response.sendError(HttpStatus.NOT_FOUND_404.getStatusCode());
            return;
        }
        HttpAnswer.send(request, response, answer);
    }
}
