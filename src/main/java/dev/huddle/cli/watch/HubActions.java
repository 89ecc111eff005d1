package dev.huddle.cli.watch;

import dev.huddle.client.ControlRefusedException;
import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.CockpitSnapshot;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.Diagnosis;
import dev.huddle.protocol.control.SendReceipt;
import dev.huddle.protocol.control.SessionRead;

import java.io.IOException;

/**
 * What the dashboard asks of the hub besides the stream: one control request each (send, nudge, read, diagnose, one
 * snapshot), over the hub socket. Never starts a hub: the dashboard is already connected to one, or says it is not.
 */
public class HubActions {
    private static final long CONNECT_MS = 5_000;
    private static final long REPLY_MS = 15_000;

    private final HubClient hub;

    public HubActions(HubConnector connector, String cwd) {
        this.hub = new HubClient(connector, cwd).replyWithin(REPLY_MS).connectWithin(CONNECT_MS);
    }

    /** An operator message to the agent ({@code huddle send}) of {@code project}. */
    public SendReceipt send(AgentStatus to, String project, String body) throws IOException {
        return call(new ControlRequest.Send(to.target(), body, false, project));
    }

    /** An operator message asking the agent to check its messages; its wake follows the wake policy. */
    public SendReceipt nudge(AgentStatus to, String project) throws IOException {
        return call(new ControlRequest.Nudge(to.target(), null, project));
    }

    /** The agent's newest transcript messages with their tool calls (or its pane), as {@code huddle read --tools}. */
    public SessionRead read(AgentStatus agent, String project) throws IOException {
        return call(new ControlRequest.Read(agent.target(), "auto", 40L, 60_000L, true, true, null, null, project));
    }

    /** {@code huddle diagnose}: wiring per agent and what waking did in the last 24 hours. */
    public Diagnosis diagnose() throws IOException {
        return call(new ControlRequest.Diagnose(24L));
    }

    /** One snapshot ({@code huddle watch --once}). */
    public CockpitSnapshot cockpit(ControlRequest.Cockpit request) throws IOException {
        return call(request);
    }

    /** The hub's reply; replaced in tests. */
    protected <R> R call(ControlRequest<R> request) throws IOException {
        return hub.call(request);
    }

    /** How a refusal reads on the dashboard: {@code <code>: <message>}. */
    public static String reason(ControlRefusedException e) {
        return e.error().code() + ": " + (e.error().message() == null ? "" : e.error().message());
    }
}
