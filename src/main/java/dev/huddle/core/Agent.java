package dev.huddle.core;

import java.time.Instant;

/**
 * One agent session as the hub knows it. {@code agentId} is the client's own session id once known; before that
 * it is a provisional {@code p-...} id derived from the agent process.
 */
public record Agent(
        String agentId,
        String sessionId,
        BindingSource binding,
        ClientType clientType,
        String clientName,
        String clientVersion,
        String projectRoot,
        String cwd,
        String name,
        String purpose,
        Instant stateUpdatedAt,
        AgentProcess process,
        TerminalLocation terminal,
        Activity activity,
        Instant activityAt,
        Instant lastToolCallAt,
        Instant createdAt,
        Instant lastSeenAt,
        boolean online,
        Instant offlineAt,
        Instant retiredAt) {

    public boolean bound() {
        return sessionId != null;
    }

    public String handle() {
        return Handles.handle(agentId);
    }
}
