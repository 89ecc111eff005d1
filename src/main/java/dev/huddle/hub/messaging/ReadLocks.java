package dev.huddle.hub.messaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One lock per recipient, for everything that must see a recipient's mail and activity at one moment: a read or a
 * hook delivery selects and reserves under it (two of them never hand out the same message), and a wake is decided
 * under it ({@link WakeHandOff}), so a turn-end hook's "no mail, so idle" and a send's wake decision never
 * interleave ({@link Inbox#forHookAtTurnEnd}).
 */
final class ReadLocks {
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** The lock of {@code agentId}'s mail. */
    Object of(String agentId) {
        return locks.computeIfAbsent(agentId, k -> new Object());
    }
}
