package dev.parley.store;

/** The store could not do what was asked: the database is unreachable or refused. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
