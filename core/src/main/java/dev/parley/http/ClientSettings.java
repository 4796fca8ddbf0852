package dev.parley.http;

import dev.parley.config.IdentityConfig;
import dev.parley.config.ParleyConfig;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * What the web client reads before it connects, {@code config.json} beside the page (the
 * standalone server and the WAR serve the same): whether users sign in with tokens, where
 * the page gets one, and how long the server may hold a name after its connection was
 * lost ({@code nameHeldSeconds}: until it notices, at the latest after the idle timeout,
 * and in a cluster until a dead node's presence runs out), which is how long the page
 * retries a {@code name-taken} after a reconnect it could not take its name back on.
 *
 * <pre>{"identity": true, "tokenUrl": "https://app.example.com/chat-token", "nameHeldSeconds": 60}</pre>
 */
public final class ClientSettings {
    /** Where it is served, relative to the page. */
    public static final String FILE = "config.json";

    private ClientSettings() {
    }

    public static String json(ParleyConfig config) {
        IdentityConfig identity = config.identity();
        JsonObjectBuilder json = Json.createObjectBuilder().add("identity", identity.enabled());
        if (identity.tokenUrl() != null) {
            json.add("tokenUrl", identity.tokenUrl());
        } else {
            json.addNull("tokenUrl");
        }
        long held = config.idleTimeout().toSeconds();
        if (config.cluster().enabled()) {
            held = Math.max(held, config.cluster().presenceTtl().toSeconds());
        }
        return json.add("nameHeldSeconds", held).build().toString();
    }
}
