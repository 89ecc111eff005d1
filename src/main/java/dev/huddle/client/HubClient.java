package dev.huddle.client;

import dev.huddle.cli.Cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

/** One control request to the hub ({@code kind: "control"}) and its reply. */
public final class HubClient {
    /** How long to start or reach a hub (as {@link HubConnector#open(Map, boolean)}). */
    private static final long CONNECT_TIMEOUT_MS = 20_000;
    private static final long REPLY_TIMEOUT_MS = 10_000;

    private final HubConnector connector;

    public HubClient(HubConnector connector) {
        this.connector = connector;
    }

    /** Sends {@code op}; returns the reply's {@code result}. Throws with the hub's message when it says no. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> call(String op, Map<String, Object> args, boolean autoStart) throws IOException {
        Map<String, Object> reply = reply(op, args, autoStart, REPLY_TIMEOUT_MS);
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            throw new IOException("hub answered: " + reply.getOrDefault("message", reply.get("error")));
        }
        Object result = reply.get("result");
        return result instanceof Map ? (Map<String, Object>) result : Map.of();
    }

    /** {@link #callRunning}'s answer: the hub's result, or (result null) the exit code, already explained on stderr. */
    public record Outcome(Map<String, Object> result, int exit) {
        public boolean failed() {
            return result == null;
        }
    }

    /**
     * For commands that only talk to a hub already running (they never start one): {@code op}'s result, or exit
     * {@link Cli#EXIT_HUB_NOT_RUNNING} with {@code noHub} when none runs, or {@link Cli#EXIT_FAILURE} with the reason
     * when it refused or failed; both explained on {@code err} as {@code huddle <command>: …}.
     */
    public Outcome callRunning(String command, String op, Map<String, Object> args, PrintWriter err, String noHub) {
        try {
            return new Outcome(call(op, args, false), 0);
        } catch (HubConnector.HubUnavailableException e) {
            err.println("huddle " + command + ": " + noHub);
            return new Outcome(null, Cli.EXIT_HUB_NOT_RUNNING);
        } catch (IOException e) {
            err.println("huddle " + command + ": " + e.getMessage());
            return new Outcome(null, Cli.EXIT_FAILURE);
        }
    }

    /**
     * Sends {@code op} and returns the hub's whole reply, {@code {"ok":true,"result":…}} or
     * {@code {"ok":false,"error":…,"message":…}}; throws only when no hub answers within {@code replyTimeoutMs}.
     */
    public Map<String, Object> reply(String op, Map<String, Object> args, boolean autoStart, long replyTimeoutMs) throws IOException {
        Map<String, Object> hello = HubConnector.hello("control");
        hello.put("op", op);
        hello.put("args", args);
        hello.put("cwd", System.getProperty("user.dir"));
        try (HubConnector.Connection c = connector.open(hello, autoStart,
                CONNECT_TIMEOUT_MS + Math.max(0, replyTimeoutMs - REPLY_TIMEOUT_MS), replyTimeoutMs)) {
            return c.reply();
        } catch (HubConnector.HubRefusedException refused) {
            return refused.reply();
        }
    }
}
