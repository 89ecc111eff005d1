package dev.huddle.protocol.cockpit;

import java.time.Instant;

/** An obligation (action_required work) open longer than the report's threshold. */
public record StaleObligation(String from, String to, String messageId, Instant since, Long ageS) {
    public StaleObligation withoutAge() {
        return new StaleObligation(from, to, messageId, since, null);
    }
}
