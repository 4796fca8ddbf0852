package dev.parley.config;

import java.util.function.UnaryOperator;

/** Reads one setting from the system property, else the environment. */
final class Settings {
    private final UnaryOperator<String> env;
    private final UnaryOperator<String> properties;

    Settings(UnaryOperator<String> env, UnaryOperator<String> properties) {
        this.env = env;
        this.properties = properties;
    }

    /** PARLEY_MAX_FRAME -> parley.max.frame */
    static String propertyName(String variable) {
        return variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }

    String text(String variable, String fallback) {
        String value = raw(variable);
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            throw new ConfigException(source(variable) + " must not be empty");
        }
        return value.strip();
    }

    /** The raw value, or null when unset; for settings where anything, even "", goes. */
    String optional(String variable) {
        return raw(variable);
    }

    /** One of the allowed words (case-insensitive), or the fallback when unset. */
    String choice(String variable, String fallback, String... allowed) {
        String value = raw(variable);
        if (value == null) {
            return fallback;
        }
        for (String word : allowed) {
            if (word.equalsIgnoreCase(value.strip())) {
                return word;
            }
        }
        throw new ConfigException(source(variable) + " must be one of " + String.join(", ", allowed) + ", not \""
                + value + "\"");
    }

    int integer(String variable, int fallback, int min, int max) {
        String value = raw(variable);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(source(variable) + " must be an integer from " + min + " to " + max
                + ", not \"" + value + "\"");
    }

    /** Comma-separated origin patterns; the same-host rule alone when unset. */
    AllowedOrigins origins(String variable) {
        String value = raw(variable);
        if (value == null) {
            return AllowedOrigins.sameHostOnly();
        }
        try {
            return AllowedOrigins.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source(variable) + ": " + e.getMessage());
        }
    }

    /** Comma-separated addresses and CIDR ranges; none when unset. */
    TrustedProxies trustedProxies(String variable) {
        String value = raw(variable);
        if (value == null) {
            return TrustedProxies.none();
        }
        try {
            return TrustedProxies.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source(variable) + ": " + e.getMessage());
        }
    }

    private String raw(String variable) {
        String value = properties.apply(propertyName(variable));
        return value != null ? value : env.apply(variable);
    }

    private String source(String variable) {
        return properties.apply(propertyName(variable)) != null
                ? "system property " + propertyName(variable) + " (" + variable + ")"
                : variable;
    }
}
