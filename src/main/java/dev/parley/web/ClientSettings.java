package dev.parley.web;

import dev.parley.config.IdentityConfig;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

/**
 * What the web client reads before it connects, {@code config.json} beside the page (the
 * standalone server and the WAR serve the same): whether users sign in with tokens, and
 * where the page gets one.
 *
 * <pre>{"identity": true, "tokenUrl": "https://app.example.com/chat-token"}</pre>
 */
public final class ClientSettings {
    /** Where it is served, relative to the page. */
    public static final String FILE = "config.json";

    private ClientSettings() {
    }

    public static String json(IdentityConfig identity) {
        JsonObjectBuilder json = Json.createObjectBuilder().add("identity", identity.enabled());
        if (identity.tokenUrl() != null) {
            json.add("tokenUrl", identity.tokenUrl());
        } else {
            json.addNull("tokenUrl");
        }
        return json.build().toString();
    }
}
