package dev.parley.web;

import dev.parley.ops.OpsPages;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The WAR's {@code /parley/metrics}, {@code /parley/health/live} and {@code /parley/health/ready} ({@link OpsPages}). */
@WebServlet(urlPatterns = {OpsPages.METRICS, OpsPages.LIVE, OpsPages.READY})
public class OpsServlet extends HttpServlet {
    @Inject
    private OpsPages pages;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        OpsPages.Answer answer = pages.answer(request.getServletPath(), request.getHeader("Authorization"));
        if (answer == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        write(answer, response);
    }

    /** Writes one of the ops answers (this servlet's, {@link AdminServlet}'s): never cached. */
    static void write(OpsPages.Answer answer, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        answer.headers().forEach(response::setHeader);
        response.setStatus(answer.status());
        if (answer.status() == 204) {
            return; // no content, nor its headers
        }
        byte[] body = answer.bytes();
        response.setContentType(answer.contentType());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
