package dev.huddle.protocol.control;

/** A request the hub refuses, thrown where it is handled and answered as {@link ControlReply#refused}. */
public final class ControlFailure extends RuntimeException {
    private final ControlError error;

    public ControlFailure(ControlError error) {
        super(error.message());
        this.error = error;
    }

    public ControlFailure(String code, String message) {
        this(new ControlError(code, message));
    }

    public ControlError error() {
        return error;
    }
}
