package dev.huddle.protocol.cockpit;

import java.time.Instant;

/** Unread mail of an agent that is offline: nobody will read it soon. */
public record Stranded(String agent, String handle, int count, Instant oldestAt, Long ageS, Instant offlineSince) {
    public Stranded withoutAge() {
        return new Stranded(agent, handle, count, oldestAt, null, offlineSince);
    }
}
