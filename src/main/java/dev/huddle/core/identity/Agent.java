package dev.huddle.core.identity;

import java.time.Instant;

/**
 * One agent session as the hub knows it. {@code agentId} is the client's own session id once known; before that
 * it is a provisional {@code p-...} id derived from the agent process. {@code offlineReason} is not stored: it says
 * why an agent is shown offline when its row does not (another machine's agent whose hub went silent), else null.
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
        Instant retiredAt,
        String transcriptPath,
        Instant hookAt,
        String offlineReason) {

    public boolean bound() {
        return sessionId != null;
    }

    public String handle() {
        return Handles.handle(agentId);
    }

    // Withers: each returns a copy with one aspect changed.

    /** Seen now, online, in this directory and (when known) process; clears offline/retired marks. */
    public Agent seen(String project, String dir, AgentProcess proc, Instant now) {
        return new Agent(agentId, sessionId, binding, clientType, clientName, clientVersion, project, dir, name, purpose,
                stateUpdatedAt, proc != null ? proc : process, terminal, activity, activityAt, lastToolCallAt, createdAt,
                now, true, null, null, transcriptPath, hookAt, null);
    }

    public Agent withBinding(String newSessionId, BindingSource source) {
        return new Agent(agentId, newSessionId, source, clientType, clientName, clientVersion, projectRoot, cwd, name,
                purpose, stateUpdatedAt, process, terminal, activity, activityAt, lastToolCallAt, createdAt, lastSeenAt,
                online, offlineAt, retiredAt, transcriptPath, hookAt, offlineReason);
    }

    public Agent withClient(ClientType type, String newClientName, String newClientVersion) {
        return new Agent(agentId, sessionId, binding, type, newClientName, newClientVersion, projectRoot, cwd, name,
                purpose, stateUpdatedAt, process, terminal, activity, activityAt, lastToolCallAt, createdAt, lastSeenAt,
                online, offlineAt, retiredAt, transcriptPath, hookAt, offlineReason);
    }

    public Agent withTerminal(TerminalLocation t) {
        return new Agent(agentId, sessionId, binding, clientType, clientName, clientVersion, projectRoot, cwd, name,
                purpose, stateUpdatedAt, process, t, activity, activityAt, lastToolCallAt, createdAt, lastSeenAt,
                online, offlineAt, retiredAt, transcriptPath, hookAt, offlineReason);
    }

    public Agent withState(String newPurpose, String newName, Instant at) {
        return new Agent(agentId, sessionId, binding, clientType, clientName, clientVersion, projectRoot, cwd, newName,
                newPurpose, at, process, terminal, activity, activityAt, lastToolCallAt, createdAt, lastSeenAt,
                online, offlineAt, retiredAt, transcriptPath, hookAt, offlineReason);
    }

    /** A tool call arrived: the agent is evidently alive. */
    public Agent calledTool(Instant now) {
        return new Agent(agentId, sessionId, binding, clientType, clientName, clientVersion, projectRoot, cwd, name,
                purpose, stateUpdatedAt, process, terminal, activity, activityAt, now, createdAt, now, true, null, null, transcriptPath, hookAt, null);
    }

    /** Its processes are gone: offline, activity unknown. */
    public Agent wentOffline(Instant now) {
        return new Agent(agentId, sessionId, binding, clientType, clientName, clientVersion, projectRoot, cwd, name,
                purpose, stateUpdatedAt, process, terminal, Activity.UNKNOWN, now, lastToolCallAt, createdAt, lastSeenAt,
                false, now, retiredAt, transcriptPath, hookAt, null);
    }

    /**
     * Shown offline since {@code at} because of {@code reason}, whatever its row says (its machine's hub is silent); what
     * it last reported doing is kept (a wake decided for it meanwhile is its hub's to carry out when back).
     */
    public Agent shownOffline(Instant at, String reason) {
        return new Agent(agentId, sessionId, binding, clientType, clientName, clientVersion, projectRoot, cwd, name,
                purpose, stateUpdatedAt, process, terminal, activity, activityAt, lastToolCallAt, createdAt, lastSeenAt,
                false, at, retiredAt, transcriptPath, hookAt, reason);
    }

    /** Offline long enough to leave the listings; its name is freed, nothing else is dropped. */
    public Agent retired(Instant now) {
        return new Agent(agentId, sessionId, binding, clientType, clientName, clientVersion, projectRoot, cwd, null,
                purpose, stateUpdatedAt, process, terminal, activity, activityAt, lastToolCallAt, createdAt, lastSeenAt,
                false, offlineAt, now, transcriptPath, hookAt, offlineReason);
    }

    /** What its hooks report it is doing, as of {@code at}. */
    public Agent withActivity(Activity newActivity, Instant at) {
        return new Agent(agentId, sessionId, binding, clientType, clientName, clientVersion, projectRoot, cwd, name,
                purpose, stateUpdatedAt, process, terminal, newActivity, at, lastToolCallAt, createdAt, at, true, null,
                null, transcriptPath, hookAt, null);
    }

    /** A hook of this agent ran now, reporting its transcript file (kept when the hook did not say). */
    public Agent hooked(String newTranscriptPath, Instant now) {
        return new Agent(agentId, sessionId, binding, clientType, clientName, clientVersion, projectRoot, cwd, name,
                purpose, stateUpdatedAt, process, terminal, activity, activityAt, lastToolCallAt, createdAt, now, true,
                null, null, newTranscriptPath != null ? newTranscriptPath : transcriptPath, now, null);
    }

    /** Whether hooks have reported for this agent (so busy/idle is known, not guessed). */
    public boolean hasHooks() {
        return hookAt != null;
    }

    /** A fresh agent row. */
    public static Agent create(String id, String sessionId, BindingSource source, ClientType type, String project,
                               String cwd, AgentProcess proc, Instant now) {
        return new Agent(id, sessionId, source, type, null, null, project, cwd, null, null, null, proc,
                TerminalLocation.NONE, Activity.UNKNOWN, null, null, now, now, true, null, null, null, null, null);
    }
}
