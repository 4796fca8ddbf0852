package dev.parley.standalone.http;

import dev.parley.http.PageHeaders;
import dev.parley.ops.OpsPages;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * How the standalone server's handlers write an answer of their own ({@link OpsPages.Answer}:
 * metrics, health, the admin API), and answer in HTTP/1.1 a request that offers an upgrade.
 */
final class HttpAnswer {
    private static final Logger LOG = Logger.getLogger(HttpAnswer.class.getName());
    private HttpAnswer() {
    }

    /** Writes an answer: Parley's page headers, no caching, its status, headers and body. */
    static void send(Request request, Response response, OpsPages.Answer answer) throws IOException {
        PageHeaders.set(response::setHeader, request.isSecure());
        response.setHeader("Cache-Control", "no-store");
        ignoreUpgrade(request, response);
        answer.headers().forEach(response::setHeader);
        response.setStatus(answer.status());
        if (answer.status() == 204) {
            return; // no content, nor its headers
        }
        byte[] body = answer.bytes();
        response.setContentType(answer.contentType());
        response.setContentLength(body.length);
        if (request.getMethod() != Method.HEAD) {
            response.getOutputStream().write(body);
        }
    }

    /** Writes the answer to a suspended response, then resumes it; a client gone meanwhile is no error. */
    static void finish(Request request, Response response, OpsPages.Answer answer) {
        try {
            send(request, response, answer);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "answer not written", e);
        } finally {
            response.resume();
        }
    }

    /**
     * A plain GET may offer an upgrade to h2c (the JDK's HttpClient does). We answer in
     * HTTP/1.1, as RFC 9110 allows; Grizzly would otherwise treat the exchange as upgraded
     * and leave out the content headers.
     */
    static void ignoreUpgrade(Request request, Response response) {
        if (request.getRequest().isUpgrade()) {
            request.getRequest().getUpgradeDC().recycle();
            request.getRequest().setIgnoreContentModifiers(false);
            response.getResponse().getUpgradeDC().recycle();
            response.getResponse().setIgnoreContentModifiers(false);
        }
    }
}
