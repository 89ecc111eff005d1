package dev.huddle.protocol.cockpit;

import java.time.Instant;

/** One agent waiting for another: its open asks and obligations, since when, and whether it is on a cycle. */
public record Wait(String from, String to, String fromHandle, String toHandle, Instant since, Long ageS, int asks,
                   int obligations, boolean onCycle) {
    /** The same wait without its age (the cockpit's clients compute ages themselves). */
    public Wait withoutAge() {
        return new Wait(from, to, fromHandle, toHandle, since, null, asks, obligations, onCycle);
    }
}
