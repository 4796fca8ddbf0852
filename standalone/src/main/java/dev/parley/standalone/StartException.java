package dev.parley.standalone;

/**
 * Start-up cannot go on for a reason the operator can fix (a port in use, a data folder
 * taken or not writable): the message is the one line that says what and how, and there
 * is no stack trace to print.
 */
public final class StartException extends RuntimeException {
    StartException(String message) {
        super(message, null, false, false);
    }
}
