package dev.parley.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.HttpStatus;

/**
 * Serves the web client from the classpath folder {@code webapp/}: content types by
 * extension, an ETag per file and {@code Cache-Control: no-cache}, so browsers revalidate
 * (cheaply, with 304) and never run a stale client against a newer server.
 */
final class WebClientHandler extends HttpHandler {
    private static final String ROOT = "webapp";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json",
            "webmanifest", "application/manifest+json");

    private final ClassLoader loader = WebClientHandler.class.getClassLoader();
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    private record Asset(byte[] body, String type, String etag) {
    }

    @Override
    public void service(Request request, Response response) throws IOException {
        if (request.getMethod() != Method.GET && request.getMethod() != Method.HEAD) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(HttpStatus.METHOD_NOT_ALLOWED_405.getStatusCode());
            return;
        }
        ignoreUpgrade(request, response);
        String path = request.getRequestURI();
        if (path.endsWith("/")) {
            path += "index.html";
        }
        Optional<Asset> asset = isSafe(path) ? cache.computeIfAbsent(path, this::load) : Optional.empty();
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (asset.isEmpty()) {
            response.sendError(HttpStatus.NOT_FOUND_404.getStatusCode());
            return;
        }
        Asset found = asset.get();
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", found.etag());
        if (found.etag().equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            return;
        }
        response.setContentType(found.type());
        response.setContentLength(found.body().length);
        if (request.getMethod() == Method.GET) {
            response.getOutputStream().write(found.body());
        }
    }

    /**
     * A plain GET may offer an upgrade to h2c (the JDK's HttpClient does). We answer in
     * HTTP/1.1, as RFC 9110 allows; Grizzly would otherwise treat the exchange as upgraded
     * and leave out the content headers.
     */
    private static void ignoreUpgrade(Request request, Response response) {
        if (request.getRequest().isUpgrade()) {
            request.getRequest().getUpgradeDC().recycle();
            request.getRequest().setIgnoreContentModifiers(false);
            response.getResponse().getUpgradeDC().recycle();
            response.getResponse().setIgnoreContentModifiers(false);
        }
    }

    private static boolean isSafe(String path) {
        return path.startsWith("/") && !path.contains("..") && !path.contains("\\") && !path.contains("//");
    }

    private Optional<Asset> load(String path) {
        int dot = path.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] body = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return Optional.of(new Asset(body, type, "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
