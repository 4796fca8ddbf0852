package dev.parley.identity;

/** A token that was refused; the message is a sentence for the user, naming no key or secret. */
public final class TokenException extends Exception {
    public TokenException(String message) {
        super(message, null, false, false);
    }
}
