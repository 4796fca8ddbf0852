package dev.parley.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The server API and webhooks for the application behind Parley (SERVER-API.md).
 *
 * @param key           {@code PARLEY_API_KEY}: the key every request's {@code Authorization: Bearer}
 *                      must carry; unset, the API is off and every path under {@code /api/v1} answers 404
 * @param webhookUrl    {@code PARLEY_WEBHOOK_URL}: where events are POSTed; null, webhooks are off
 * @param webhookSecret {@code PARLEY_WEBHOOK_SECRET}: the HMAC-SHA256 key of {@code Parley-Signature}
 */
public record ApiConfig(String key, URI webhookUrl, String webhookSecret) {
    static final int MIN_KEY = 32;
    static final int MAX_KEY = 256;

    public static ApiConfig off() {
        return new ApiConfig(null, null, null);
    }

    static ApiConfig from(Settings s) {
        String key = secret(s, "PARLEY_API_KEY");
        String url = s.optional("PARLEY_WEBHOOK_URL");
        String secret = secret(s, "PARLEY_WEBHOOK_SECRET");
        boolean hasUrl = url != null && !url.isEmpty();
        if (hasUrl != (secret != null)) {
            throw new ConfigException(hasUrl ? "PARLEY_WEBHOOK_URL is set without PARLEY_WEBHOOK_SECRET: set both, or neither"
                    : "PARLEY_WEBHOOK_SECRET is set without PARLEY_WEBHOOK_URL: set both, or neither");
        }
        return new ApiConfig(key, hasUrl ? webhookUrl(url) : null, secret);
    }

    /** A key or secret: unset, or 32 to 256 printable ASCII characters, no space at either end. */
    private static String secret(Settings s, String variable) {
        String value = s.optional(variable);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() < MIN_KEY || value.length() > MAX_KEY || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                || value.startsWith(" ") || value.endsWith(" ")) {
            throw new ConfigException(variable + " must be " + MIN_KEY + " to " + MAX_KEY
                    + " printable ASCII characters, not starting or ending with a space (openssl rand -hex 32 makes one)");
        }
        return value;
    }

    private static URI webhookUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(url, "not an http or https URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("PARLEY_WEBHOOK_URL must be an http:// or https:// URL with a host,"
                    + " no user and no fragment: " + e.getReason());
        }
    }

    public boolean enabled() {
        return key != null;
    }

    public boolean webhooks() {
        return webhookUrl != null;
    }

    @Override
    public String toString() { // never the key or the secret
        return "ApiConfig[key=" + (key == null ? "unset" : "set") + ", webhookUrl=" + webhookUrl + ", webhookSecret="
                + (webhookSecret == null ? "unset" : "set") + "]";
    }
}
