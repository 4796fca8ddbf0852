package dev.parley.web;

import dev.parley.admin.AdminApi;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The WAR's admin API, {@code /parley/admin/api/…} ({@link AdminApi}); {@link AdminFilter} keeps it off without a token. */
@WebServlet(urlPatterns = "/admin/api/*")
public class AdminServlet extends HttpServlet {
    @Inject
    private AdminApi api;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        answer(request, response, null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getContentLengthLong() > AdminApi.MAX_BODY) {
            response.sendError(413);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(AdminApi.MAX_BODY + 1);
        }
        if (body.length > AdminApi.MAX_BODY) {
            response.sendError(413);
            return;
        }
        answer(request, response, new String(body, StandardCharsets.UTF_8));
    }

    private void answer(HttpServletRequest request, HttpServletResponse response, String body) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        OpsServlet.write(api.handle(request.getMethod(), path, request.getHeader("Authorization"), body), response);
    }
}
