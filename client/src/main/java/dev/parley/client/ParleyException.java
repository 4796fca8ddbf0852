package dev.parley.client;

/**
 * What a client's futures fail with, and what {@link Listener#onError} hears: the protocol's
 * error code ({@code name-taken}, {@code too-long}, {@code forbidden} …) or one of the
 * client's own ({@code outbox-full}, {@code offline}, {@code busy}, {@code refused},
 * {@code closed}), and a sentence for people.
 */
public final class ParleyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public ParleyException(String code, String message) {
        super(message == null || message.isEmpty() ? code : message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
