package dev.huddle.core;

/**
 * A failure the caller can act on: a stable machine code ({@code name-taken}, {@code not-bound}, ...), a sentence
 * saying what happened, and a hint saying what to do. Tools return it as a structured error result.
 */
public final class HuddleError extends RuntimeException {
    private final String code;
    private final String hint;
    private final java.util.Map<String, Object> details;

    public HuddleError(String code, String message, String hint) {
        this(code, message, hint, null);
    }

    /** With machine-readable details, such as the candidates of an ambiguous target. */
    public HuddleError(String code, String message, String hint, java.util.Map<String, Object> details) {
        super(message);
        this.code = code;
        this.hint = hint;
        this.details = details == null ? null : java.util.Map.copyOf(details);
    }

    public HuddleError(String code, String message) {
        this(code, message, null);
    }

    public String code() {
        return code;
    }

    public String hint() {
        return hint;
    }

    /** Null when there are none. */
    public java.util.Map<String, Object> details() {
        return details;
    }
}
