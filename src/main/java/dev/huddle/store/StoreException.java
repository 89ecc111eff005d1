package dev.huddle.store;

/**
 * A persistence failure; the message says what failed and what to do about it, {@link #code()} what kind of failure
 * it is for a caller that answers with structured errors ({@code store-error}, {@code store-degraded} while the disk is
 * full or failing, {@code store-corrupt} once the file is damaged), {@link #hint()} the next step when there is one.
 */
public class StoreException extends RuntimeException {
    private final String code;
    private final String hint;

    public StoreException(String message, Throwable cause) {
        this("store-error", message, null, cause);
    }

    public StoreException(String message) {
        this("store-error", message, null, null);
    }

    public StoreException(String code, String message, String hint, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.hint = hint;
    }

    public String code() {
        return code;
    }

    /** The next step for whoever reads the error, or null. */
    public String hint() {
        return hint;
    }
}
