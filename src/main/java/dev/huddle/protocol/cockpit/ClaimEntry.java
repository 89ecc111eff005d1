package dev.huddle.protocol.cockpit;

import java.time.Instant;

/**
 * A path claim as the cockpit shows it.
 *
 * @param implicit true for "being edited" (recorded from an edit the hooks saw, not claimed), with {@code lastEdit}
 */
public record ClaimEntry(String holder, String holderHandle, String pattern, String mode, Boolean implicit, Instant lastEdit,
                         String reason, Instant since, Instant expiresAt) {}
