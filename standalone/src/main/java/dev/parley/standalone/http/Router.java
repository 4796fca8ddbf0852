package dev.parley.standalone.http;

import dev.parley.admin.AdminApi;
import dev.parley.api.ServerApi;
import dev.parley.config.ParleyConfig;
import dev.parley.ops.OpsPages;
import dev.parley.sse.SseTransport;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Every HTTP request of the standalone server: metrics and health, the server API, the admin
 * view, the HTTP transport, or else the web client. One handler at "/" rather than one mapping each:
 * Grizzly's mapper answers a path it cannot normalize ("/../x") with 500 once it holds more than one.
 */
public final class Router extends HttpHandler implements AutoCloseable {
    private final OpsHandler ops;
    private final AdminHandler admin;
    private final ApiHandler api;
    private final SseHandler sse;
    private final WebClientHandler web;

    public Router(ParleyConfig config, AdminApi admin, ServerApi api, SseTransport transport, OpsPages pages) {
        web = new WebClientHandler(config);
        this.admin = new AdminHandler(admin, web);
        this.api = new ApiHandler(api);
        sse = new SseHandler(transport);
        ops = new OpsHandler(pages);
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        String path = request.getRequestURI();
        if (OpsHandler.serves(path)) {
            ops.service(request, response);
        } else if (ApiHandler.serves(path)) {
            api.service(request, response);
        } else if (AdminHandler.serves(path)) {
            admin.service(request, response);
        } else if (SseHandler.serves(path)) {
            sse.service(request, response);
        } else {
            web.service(request, response);
        }
    }

    /** Stops the admin API's and the server API's threads. */
    @Override
    public void close() {
        admin.close();
        api.close();
    }
}
