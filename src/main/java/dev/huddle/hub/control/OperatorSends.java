package dev.huddle.hub.control;

import dev.huddle.core.HuddleError;
import dev.huddle.hub.cockpit.WebServer;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.mcp.ToolResults;
import dev.huddle.hub.messaging.Notices;
import dev.huddle.protocol.tools.Tools;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.huddle.hub.control.ControlReplies.ok;

/**
 * The human's messages ({@code huddle send}, the cockpit's nudge), answered as control replies: for the control
 * operations {@code send} and {@code nudge}, and for the web cockpit's two actions.
 */
public final class OperatorSends implements WebServer.Operator {
    /** What a nudge from the cockpit says when the human typed nothing. */
    static final String NUDGE_TEXT = "Nudge from your user (via huddle's cockpit): please check your huddle messages and open work"
            + " (" + Tools.READ_MY_MESSAGES.name() + ", " + Tools.MY_OPEN_WORK.name() + ") and carry on.";

    private final AgentRegistry registry;
    private final Notices notices;

    public OperatorSends(AgentRegistry registry, Notices notices) {
        this.registry = registry;
        this.notices = notices;
    }

    @Override
    public String projectOf(String directory) {
        return registry.projectOf(directory).toString();
    }

    @Override
    public Map<String, Object> send(String project, String target, String body) {
        return send(project, target, body, false);
    }

    @Override
    public Map<String, Object> nudge(String project, String target) {
        return nudge(project, target, null);
    }

    /**
     * The cockpit's nudge: an operator message ({@code body}, or {@link #NUDGE_TEXT} when blank) whose wake follows
     * the usual policy, so a busy agent is not typed into; it reads the message at its next turn or hook.
     */
    Map<String, Object> nudge(String project, String target, String body) {
        return send(project, target, body == null || body.isBlank() ? NUDGE_TEXT : body, false);
    }

    /** huddle send: an operator message (origin operator, no reply target) to one agent or, with all, to every online one. */
    Map<String, Object> send(String project, String target, String body, boolean all) {
        try {
            var sent = notices.sendAsOperator(project, target, body, all);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("project_root", project);
            r.put("count", sent.size());
            r.put("messages", sent.stream().map(v -> ToolResults.JSON.convertValue(v, Map.class)).toList());
            return ok(r);
        } catch (HuddleError e) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", false);
            m.put("error", e.code());
            m.put("message", e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"));
            return m;
        }
    }
}
