package dev.huddle.core.wake;

import java.util.Objects;

/**
 * What {@link WakePolicy} decided: fire or a named skip, the rule that asked for the wake ({@code basis}; null
 * when nothing did) and a short human sentence naming the deciding rule and its figure.
 */
public record WakeDecision(WakeStatus status, WakeBasis basis, String reason) {

    public WakeDecision {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (status.setByRoute()) throw new IllegalArgumentException(status + " is set by routes, not by the policy");
    }

    /** Whether the hub should wake the agent now. */
    public boolean fire() {
        return status == WakeStatus.WILL_FIRE;
    }
}
