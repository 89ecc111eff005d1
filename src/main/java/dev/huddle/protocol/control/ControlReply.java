package dev.huddle.protocol.control;

/**
 * The reply line of a control request as the hub writes it ({@link HubReply}): the result, or the refusal.
 */
public final class ControlReply {
    private ControlReply() {}

    /** The reply carrying {@code result}. */
    public static String ok(Object result) {
        return HubReply.ok(result).line();
    }

    /** The reply saying no. */
    public static String refused(ControlError e) {
        return HubReply.refused(e).line();
    }
}
