package dev.huddle.store;

/** A persistence failure; the message says what failed and what to do about it. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
