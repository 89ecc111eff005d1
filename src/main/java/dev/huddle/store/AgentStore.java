package dev.huddle.store;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persistence of agents and of the processes that host them. */
public interface AgentStore {
    Optional<Agent> find(String agentId);

    Optional<Agent> findBySessionId(String sessionId);

    /** The agent (not retired) that holds {@code name} in {@code projectRoot}, compared case-insensitively. */
    Optional<Agent> findByName(String projectRoot, String name);

    /** The agent linked to this process: same pid, start time within {@link AgentProcess#START_TOLERANCE_MS} (the nearest). */
    Optional<String> agentIdForProcess(AgentProcess process);

    /** The agent {@link #agentIdForProcess} names, read with it (one round trip where the store can). */
    default Optional<Agent> findForProcess(AgentProcess process) {
        return agentIdForProcess(process).flatMap(this::find);
    }

    /** Inserts the agent or replaces every column of the row with the same id. */
    void save(Agent agent);

    /** Records that {@code process} hosts {@code agentId} (moving it from any other agent). */
    void linkProcess(AgentProcess process, String agentId, Instant at);

    List<AgentProcess> processesOf(String agentId);

    /** Renames a provisional agent to its real id; processes follow. */
    void rename(String fromAgentId, String toAgentId);

    /** Moves every process, message and ask of {@code fromAgentId} to {@code intoAgentId} and deletes {@code fromAgentId}. */
    void mergeInto(String fromAgentId, String intoAgentId);

    List<Agent> listProject(String projectRoot, boolean includeRetired);

    List<Agent> listAll(boolean includeRetired);

    /** The online agents whose liveness this hub judges: every one on SQLite; on a shared store, its own machine's. */
    List<Agent> listOnline();

    int count();

    /**
     * The machine that owns the agent when it is another than this hub's (a shared store): that machine's hub wakes it
     * and reads its transcript. Empty for this machine's agents, unknown ones, and on a store no other machine shares.
     */
    default Optional<String> otherMachine(String agentId) {
        return Optional.empty();
    }

    /** Whether peers may read this agent's session (read_session); true unless it said otherwise. */
    boolean readable(String agentId);

    void setReadable(String agentId, boolean readable);

    /** The variables that locate the agent's transcript, as its front last reported them (empty when unknown). */
    Map<String, String> readEnv(String agentId);

    void setReadEnv(String agentId, Map<String, String> env);

    /**
     * Whether this hub may change the agent's row: always, but on a shared store where its machine's own database role
     * limits it to its own machine's agents (docs/team.md, "Per-machine roles"). Another machine's hub changes those.
     */
    default boolean mayChange(String agentId) {
        return true;
    }
}
