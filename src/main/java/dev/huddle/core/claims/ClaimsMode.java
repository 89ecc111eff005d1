package dev.huddle.core.claims;

import java.util.Locale;

/**
 * What a hook does with an edit of a file another agent holds: refuse it ({@code deny}, the default), let the human
 * decide ({@code ask}: Claude Code's permission prompt; clients without one refuse), or allow it and tell the model
 * ({@code warn}).
 */
public enum ClaimsMode {
    DENY, ASK, WARN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** null when {@code s} is not a mode. */
    public static ClaimsMode parse(String s) {
        if (s == null) return null;
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "deny" -> DENY;
            case "ask" -> ASK;
            case "warn" -> WARN;
            default -> null;
        };
    }
}
