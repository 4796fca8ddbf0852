package dev.parley.config;

/**
 * The server API for the application behind Parley (SERVER-API.md).
 *
 * @param key {@code PARLEY_API_KEY}: the key every request's {@code Authorization: Bearer}
 *            must carry; unset, the API is off and every path under {@code /api/v1} answers 404
 */
public record ApiConfig(String key) {
    static final int MIN_KEY = 32;
    static final int MAX_KEY = 256;

    public static ApiConfig off() {
        return new ApiConfig(null);
    }

    static ApiConfig from(Settings s) {
        String key = s.optional("PARLEY_API_KEY");
        if (key == null || key.isEmpty()) {
            return off();
        }
        if (key.length() < MIN_KEY || key.length() > MAX_KEY || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                || key.startsWith(" ") || key.endsWith(" ")) {
            throw new ConfigException("PARLEY_API_KEY must be " + MIN_KEY + " to " + MAX_KEY
                    + " printable ASCII characters, not starting or ending with a space (openssl rand -hex 32 makes one)");
        }
        return new ApiConfig(key);
    }

    public boolean enabled() {
        return key != null;
    }

    @Override
    public String toString() { // never the key itself
        return "ApiConfig[key=" + (key == null ? "unset" : "set") + "]";
    }
}
