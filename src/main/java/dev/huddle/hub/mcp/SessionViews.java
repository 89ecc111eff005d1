package dev.huddle.hub.mcp;

import dev.huddle.hub.identity.FrontConnection;

import dev.huddle.core.identity.Agent;
import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.agents.BindingAdvice;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.protocol.tools.Tools;
import dev.huddle.protocol.tools.Views;

import java.time.Duration;
import java.time.Instant;

/** Maps agents to the JSON views tools and the CLI return. */
public final class SessionViews {
    private SessionViews() {}

    public static Views.SessionView session(Agent a, String meId, Instant now) {
        return new Views.SessionView(
                a.sessionId(), a.handle(), a.name(), a.clientType().wireName(), a.bound(), a.binding().wireName(),
                a.cwd(), a.purpose(), iso(a.stateUpdatedAt()), activity(a, now), a.online(), a.offlineReason(), iso(a.lastSeenAt()),
                terminal(a.terminal(), a.online()), a.transcriptPath(), a.agentId().equals(meId));
    }

    static Views.ActivityView activity(Agent a, Instant now) {
        Long age = a.activityAt() == null ? null : Math.max(0, Duration.between(a.activityAt(), now).toSeconds());
        return new Views.ActivityView(a.activity().wireName(), iso(a.activityAt()), age, iso(a.lastToolCallAt()),
                a.hasHooks() ? "hooks" : "tool_calls", iso(a.hookAt()));
    }

    /** Where the agent's terminal is; for an offline agent, where it last ran (history: {@code past}, never verified). */
    static Views.TerminalView terminal(TerminalLocation t, boolean online) {
        if (t == null || "none".equals(t.kind())) return null;
        return new Views.TerminalView(t.kind(), t.session(), t.pane(), t.window(), t.verified(online), t.label(online), online ? null : true);
    }

    static Views.MySessionResult mySession(Agent a, FrontConnection conn, int fronts) {
        Views.NextStep next = a.bound() ? null : nextStep(a.clientType());
        return new Views.MySessionResult(true, a.bound(), a.sessionId(), a.handle(), a.name(), a.clientType().wireName(),
                a.clientName(), new Views.BindingView(a.binding().wireName(), a.binding().description()),
                a.projectRoot(), a.cwd(),
                a.process() == null ? null : new Views.ProcessView(a.process().pid(), iso(Instant.ofEpochMilli(a.process().startMillis()))),
                terminal(a.terminal(), a.online()), fronts, next);
    }

    /** Exactly what an unbound agent should do to bind itself. */
    static Views.NextStep nextStep(ClientType t) {
        BindingAdvice advice = AgentClients.installed().of(t).map(AgentClient::bindingAdvice).orElse(BindingAdvice.UNKNOWN_CLIENT);
        return new Views.NextStep(Tools.CLAIM_SESSION.name(), advice.instruction(), advice.command());
    }

    public static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
