package dev.huddle.client;

import dev.huddle.protocol.control.ControlError;

import java.io.IOException;

/** The hub answered a control request with a refusal: its code, message, and hint or details where it gave them. */
public final class ControlRefusedException extends IOException {
    private final ControlError error;

    public ControlRefusedException(ControlError error) {
        super("hub answered: " + (error.message() != null ? error.message() : error.code()));
        this.error = error;
    }

    public ControlError error() {
        return error;
    }
}
