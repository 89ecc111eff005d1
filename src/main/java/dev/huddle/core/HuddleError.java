package dev.huddle.core;

/**
 * A failure the caller can act on: a stable machine code ({@code name-taken}, {@code not-bound}, ...), a sentence
 * saying what happened, and a hint saying what to do. Tools return it as a structured error result.
 */
public final class HuddleError extends RuntimeException {
    private final String code;
    private final String hint;

    public HuddleError(String code, String message, String hint) {
        super(message);
        this.code = code;
        this.hint = hint;
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
}
