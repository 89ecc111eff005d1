package dev.huddle.protocol.control;

import java.util.Map;

/**
 * Why the hub said no to a hello or a control request: a stable {@code code} (bad-hello, handover, unknown-op,
 * target-not-found, ...), a message for the human, and, where the hub has them, a hint and details.
 */
public record ControlError(String code, String message, String hint, Map<String, Object> details) {
    public ControlError(String code, String message) {
        this(code, message, null, null);
    }
}
