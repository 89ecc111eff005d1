package dev.huddle.core.claims;

import dev.huddle.core.HuddleError;
import dev.huddle.core.Validation;

import java.util.Locale;

/** How a path is claimed: exclusive (only the holder edits it) or shared (several holders may, none exclusively). */
public enum ClaimMode {
    EXCLUSIVE, SHARED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** exclusive when absent. */
    public static ClaimMode parse(String s) {
        if (s == null || s.isBlank()) return EXCLUSIVE;
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "exclusive" -> EXCLUSIVE;
            case "shared" -> SHARED;
            default -> throw new HuddleError("invalid-argument", "mode '" + Validation.truncate(s, 40) + "' is not a claim mode",
                    "Pass mode exclusive (only you edit) or shared (others may hold it shared too).");
        };
    }

    /** Two claims on overlapping paths by different holders conflict unless both are shared. */
    public boolean conflictsWith(ClaimMode other) {
        return this == EXCLUSIVE || other == EXCLUSIVE;
    }
}
