package dev.parley.standalone.http;

import dev.parley.config.Forwarding;
import dev.parley.config.ParleyConfig;
import dev.parley.config.TrustedProxies;
import dev.parley.http.ClientSettings;
import dev.parley.http.PageHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.util.HttpStatus;

/**
 * Serves the web client from the classpath folder {@code webapp/}: content types by
 * extension, an ETag per file and {@code Cache-Control: no-cache}, so browsers revalidate
 * (cheaply, with 304) and never run a stale client against a newer server. Every answer,
 * 404 and 304 included, carries {@link PageHeaders#ALL}.
 *
 * <p>The files are read once, when the handler is made (from target/classes in a build,
 * from the jar with {@code java -jar}); a request is a lookup in that fixed map, so no
 * request, found or not, adds anything to memory.
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

    /** By request path ("/app.js"). */
    private final Map<String, Asset> files;
    private final String tokenOrigin;
    private final TrustedProxies trustedProxies;

    record Asset(byte[] body, String type, String etag) {
    }

    WebClientHandler() {
        this(WebClientHandler.class.getClassLoader(), ParleyConfig.defaults());
    }

    /**
     * The web client, with its {@code config.json} ({@link ClientSettings}) for {@code config};
     * HSTS also on a request a trusted proxy says came over https.
     */
    WebClientHandler(ParleyConfig config) {
        this(WebClientHandler.class.getClassLoader(), config);
    }

    /** @param loader whose {@code webapp/} folder to serve, a directory or a folder in a jar */
    WebClientHandler(ClassLoader loader) {
        this(loader, ParleyConfig.defaults());
    }

    private WebClientHandler(ClassLoader loader, ParleyConfig config) {
        this.trustedProxies = config.trustedProxies();
        Map<String, Asset> found = new HashMap<>(load(loader.getResource(ROOT)));
        byte[] settings = ClientSettings.json(config).getBytes(StandardCharsets.UTF_8);
        found.put("/" + ClientSettings.FILE, new Asset(settings, TYPES.get("json"), etag(settings)));
        files = Map.copyOf(found);
        tokenOrigin = config.identity().tokenOrigin();
    }

    @Override
    public void service(Request request, Response response) throws IOException {
        boolean secure = Forwarding.of(trustedProxies, request.getRemoteAddr(), request.getHeader("Host"),
                name -> RequestHeaders.get(request, name)).secure(request.isSecure());
        PageHeaders.set(response::setHeader, secure, tokenOrigin);
        if (request.getMethod() != Method.GET && request.getMethod() != Method.HEAD) {
            response.setHeader("Allow", "GET, HEAD");
            response.sendError(HttpStatus.METHOD_NOT_ALLOWED_405.getStatusCode());
            return;
        }
        HttpAnswer.ignoreUpgrade(request, response);
        String path = request.getRequestURI();
        if (path.endsWith("/")) {
            path += "index.html";
        }
        Optional<Asset> asset = find(path);
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

    /** The file served at this request path (raw, as sent: "/app.js"). */
    Optional<Asset> find(String path) {
        return Optional.ofNullable(files.get(path));
    }

    /** The request paths served. */
    Set<String> paths() {
        return files.keySet();
    }

    /** Every file of a known type under {@code root}, a "file:" or a "jar:" URL; none if there is no such folder. */
    private static Map<String, Asset> load(URL root) {
        if (root == null) {
            return Map.of();
        }
        try {
            if (root.getProtocol().equals("jar")) {
                JarURLConnection jar = (JarURLConnection) root.openConnection();
                try (FileSystem zip = FileSystems.newFileSystem(Path.of(jar.getJarFileURL().toURI()))) {
                    return load(zip.getPath("/" + jar.getEntryName()));
                }
            }
            return load(Path.of(root.toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web client at " + root, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Asset> load(Path folder) throws IOException {
        Map<String, Asset> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String name = file.getFileName().toString();
                String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
                if (type != null) {
                    StringBuilder path = new StringBuilder();
                    folder.relativize(file).forEach(part -> path.append('/').append(part));
                    byte[] body = Files.readAllBytes(file);
                    files.put(path.toString(), new Asset(body, type, etag(body)));
                }
            }
        }
        return Map.copyOf(files);
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
