package dev.parley.broker;

/** The broker did not answer in time, or is away; the client gets {@code unavailable}. */
public final class BrokerException extends RuntimeException {
    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
