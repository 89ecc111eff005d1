package dev.huddle.cli.watch;

import dev.huddle.client.HubConnector;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the dashboard asks of the hub besides the stream: one control request each (send, nudge, read, diagnose), over
 * the hub socket. Never starts a hub: the dashboard is already connected to one, or says it is not.
 */
public class HubActions {
    /** The hub said no ({@code ok: false}): its code and message, shown to the user. */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    private static final long CONNECT_MS = 5_000;
    private static final long REPLY_MS = 15_000;

    private final HubConnector connector;
    private final String cwd;

    public HubActions(HubConnector connector, String cwd) {
        this.connector = connector;
        this.cwd = cwd;
    }

    /** An operator message to the agent ({@code huddle send}); returns the hub's result. */
    public Map<String, Object> send(Snapshot.Agent to, String body) throws IOException {
        return call("send", args(to, "body", body));
    }

    /** An operator message asking the agent to check its messages; its wake follows the wake policy. */
    public Map<String, Object> nudge(Snapshot.Agent to) throws IOException {
        return call("nudge", args(to));
    }

    /** The agent's newest transcript messages with their tool calls (or its pane), as {@code huddle read --tools}. */
    public Map<String, Object> read(Snapshot.Agent agent) throws IOException {
        Map<String, Object> a = args(agent);
        a.put("mode", "auto");
        a.put("limit", 40);
        a.put("max_bytes", 60_000);
        a.put("include_tools", true);
        a.put("include_timestamps", true);
        return call("read", a);
    }

    /** {@code huddle diagnose}: wiring per agent and what waking did in the last 24 hours. */
    public Map<String, Object> diagnose() throws IOException {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("hours", 24);
        return call("diagnose", a);
    }

    private static Map<String, Object> args(Snapshot.Agent agent, Object... more) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("target", agent.target());
        if (agent.projectRoot() != null) a.put("project", agent.projectRoot());
        for (int i = 0; i + 1 < more.length; i += 2) a.put(String.valueOf(more[i]), more[i + 1]);
        return a;
    }

    @SuppressWarnings("unchecked")
    protected Map<String, Object> call(String op, Map<String, Object> args) throws IOException {
        Map<String, Object> hello = HubConnector.hello("control");
        hello.put("op", op);
        hello.put("args", args);
        hello.put("cwd", cwd);
        Map<String, Object> reply;
        try (HubConnector.Connection c = connector.open(hello, false, CONNECT_MS, REPLY_MS)) {
            reply = c.reply();
        } catch (HubConnector.HubRefusedException refused) {
            reply = refused.reply();
        }
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            throw new Refused(reply.get("error") + ": " + reply.getOrDefault("message", ""));
        }
        return reply.get("result") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
