package dev.huddle.mcp;

import java.util.List;
import java.util.Map;

/** The JSON shapes tools return (serialised with snake_case names; absent values are left out). */
public final class Views {
    private Views() {}

    public record ActivityView(String state, String since, Long ageS, String lastToolCallAt) {}

    public record TerminalView(String kind, String session, String pane, String window, boolean verified, String label) {}

    public record SessionView(
            String sessionId,
            String handle,
            String name,
            String clientType,
            boolean bound,
            String binding,
            String cwd,
            String purpose,
            String stateUpdatedAt,
            ActivityView activity,
            boolean online,
            String lastSeenAt,
            TerminalView terminal,
            boolean isMe) {}

    public record ListSessionsResult(boolean ok, String projectRoot, boolean inferred, String me, int count,
                                     List<SessionView> sessions) {}

    public record StateView(String purpose, String name, String updatedAt) {}

    public record SetStateResult(boolean ok, StateView state, String tookNameFrom) {}

    public record BindingView(String source, String description) {}

    public record ProcessView(long pid, String startedAt) {}

    public record NextStep(String tool, String instruction, String bashCommand) {}

    public record MySessionResult(
            boolean ok,
            boolean bound,
            String sessionId,
            String handle,
            String name,
            String clientType,
            String clientName,
            BindingView binding,
            String projectRoot,
            String cwd,
            ProcessView agentProcess,
            TerminalView terminal,
            int connectedFronts,
            NextStep nextStep) {}

    public record ClaimResult(boolean ok, String sessionId, String previousSessionId, String binding, String note) {}

    public record ErrorBody(String code, String message, String hint, Map<String, Object> details) {}

    public record ErrorResult(boolean ok, ErrorBody error) {}
}
