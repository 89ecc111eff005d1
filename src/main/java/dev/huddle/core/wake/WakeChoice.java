package dev.huddle.core.wake;

import dev.huddle.core.messaging.MessageRules;

/** The per-send {@code wake} argument: absent (the default for the message kind), {@code "auto"} or {@code "off"}. */
public enum WakeChoice {
    /** No {@code wake} argument: the default of the message kind applies. */
    UNSET(null),
    /** {@code wake:"auto"}: wake unless the agent is offline or busy, or a limit says no. */
    AUTO("auto"),
    /** {@code wake:"off"}: never wake for this message. */
    OFF("off");

    private final String wireName;

    WakeChoice(String wireName) {
        this.wireName = wireName;
    }

    /** {@code "auto"}, {@code "off"}, or null for {@link #UNSET}. */
    public String wireName() {
        return wireName;
    }

    /** From a validated wake argument ({@link MessageRules#wake}): null → UNSET. */
    public static WakeChoice of(String wake) {
        if (wake == null) return UNSET;
        return switch (MessageRules.wake(wake)) {
            case "auto" -> AUTO;
            default -> OFF;
        };
    }
}
