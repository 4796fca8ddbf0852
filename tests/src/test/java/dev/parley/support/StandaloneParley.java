package dev.parley.support;

import dev.parley.config.ParleyConfig;
import dev.parley.standalone.StandaloneServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The standalone server on a free loopback port, for one test class. */
public final class StandaloneParley implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> settings = new HashMap<>();
    private StandaloneServer server;

    /**
     * On 127.0.0.1, a free port, without a rate limit (tests send as fast as they can),
     * and with the default store (H2) in a fresh folder.
     */
    public StandaloneParley() {
        this(Map.of());
    }

    /** @param settings PARLEY_* variables for this class's server, over the test defaults */
    public StandaloneParley(Map<String, String> settings) {
        this.settings.put("PARLEY_HOST", "127.0.0.1");
        this.settings.put("PARLEY_PORT", "0");
        this.settings.put("PARLEY_RATE_LIMIT", "0");
        this.settings.put("PARLEY_SHUTDOWN_GRACE", "0"); // ShutdownTest times the grace
        this.settings.put("PARLEY_DATA", freshFolder().toString());
        if (System.getProperty("parley.websocket.engine") != null) { // every suite on one engine: -Dparley.websocket.engine=parley
            this.settings.put("PARLEY_WEBSOCKET_ENGINE", System.getProperty("parley.websocket.engine"));
        }
        this.settings.putAll(settings);
    }

    /**
     * The write path ({@code parley_websocket_writes_total{path}}) of a standalone server
     * with the default engine: Parley's own, or Tyrus' writer when every suite runs on
     * Tyrus ({@code -Dparley.websocket.engine=tyrus}).
     */
    public static String writePath() {
        return "tyrus".equals(System.getProperty("parley.websocket.engine")) ? "tyrus" : "parley";
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private static Path freshFolder() {
        try {
            Path data = Files.createTempDirectory("parley-data-");
            data.toFile().deleteOnExit();
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void start() {
        try {
            server = StandaloneServer.start(ParleyConfig.from(settings::get, name -> null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server; a {@link #start} after it uses the same port and data folder. */
    public void stop() {
        if (server != null) {
            settings.put("PARLEY_PORT", Integer.toString(server.httpUri().getPort()));
            server.close();
            server = null;
        }
    }

    public URI chatUri(String room) {
        return server.chatUri(room);
    }

    /** http://…/sse/{room}: the HTTP transport's stream (ChatClient speaks it given this URI). */
    public URI streamUri(String room) {
        return URI.create(httpUri().toString().replaceFirst("/?$", "/") + "sse/" + room);
    }

    /** The web client, opened on {@code room}. */
    public URI webClient(String room) {
        return httpUri().resolve("/#" + room);
    }

    public URI httpUri() {
        return server.httpUri();
    }

    /** The running server, for tests of the standalone package that look inside it. */
    public StandaloneServer server() {
        return server;
    }
}
