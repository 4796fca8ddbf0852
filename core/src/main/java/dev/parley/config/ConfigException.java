package dev.parley.config;

/** A setting that cannot be used; its message names the variable and says what is allowed. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
