package dev.huddle.protocol.cockpit;

import java.time.Instant;

/**
 * An agent's latest tool call, read from the end of its transcript.
 *
 * @param at    when the client recorded it, if it did
 * @param error true when the call failed, else absent
 */
public record LastTool(String name, String input, Instant at, Boolean error) {
    public boolean failed() {
        return Boolean.TRUE.equals(error);
    }
}
