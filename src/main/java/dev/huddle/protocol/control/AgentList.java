package dev.huddle.protocol.control;

import dev.huddle.protocol.tools.Views;

import java.util.List;

/**
 * The reply to {@code ps}: the agents per project (a session view as list_sessions shows it, with the number of
 * fronts connected).
 *
 * @param projectRoot the caller's project; absent with {@code all}
 */
public record AgentList(String projectRoot, List<Project> projects, int count) {
    public AgentList {
        projects = projects == null ? List.of() : projects;
    }

    /**
     * @param projectRoot the project's key: its root path, or on a store shared by machines its name across them
     * @param localRoot   where a named project lives on this machine, when known (absent when the key is the path)
     */
    public record Project(String projectRoot, String localRoot, List<Agent> agents) {
        public Project {
            agents = agents == null ? List.of() : agents;
        }
    }

    /** One agent: list_sessions' view of it (without {@code is_me}) and its connected fronts. */
    public record Agent(String sessionId, String handle, String name, String clientType, boolean bound, String binding,
                        String cwd, String purpose, String stateUpdatedAt, Views.ActivityView activity, boolean online,
                        String offlineReason, String lastSeenAt, Views.TerminalView terminal, String transcriptPath, int fronts) {
        public static Agent of(Views.SessionView v, int fronts) {
            return new Agent(v.sessionId(), v.handle(), v.name(), v.clientType(), v.bound(), v.binding(), v.cwd(), v.purpose(),
                    v.stateUpdatedAt(), v.activity(), v.online(), v.offlineReason(), v.lastSeenAt(), v.terminal(), v.transcriptPath(), fronts);
        }
    }
}
