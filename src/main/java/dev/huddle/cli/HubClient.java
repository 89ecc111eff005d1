package dev.huddle.cli;

import java.io.IOException;
import java.util.Map;

/** One control request to the hub ({@code kind: "control"}) and its reply. */
final class HubClient {
    /** How long to start or reach a hub (as {@link HubConnector#open(Map, boolean)}). */
    private static final long CONNECT_TIMEOUT_MS = 20_000;
    private static final long REPLY_TIMEOUT_MS = 10_000;

    private final HubConnector connector;

    HubClient(HubConnector connector) {
        this.connector = connector;
    }

    /** Sends {@code op}; returns the reply's {@code result}. Throws with the hub's message when it says no. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String op, Map<String, Object> args, boolean autoStart) throws IOException {
        Map<String, Object> reply = reply(op, args, autoStart, REPLY_TIMEOUT_MS);
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            throw new IOException("hub answered: " + reply.getOrDefault("message", reply.get("error")));
        }
        Object result = reply.get("result");
        return result instanceof Map ? (Map<String, Object>) result : Map.of();
    }

    /**
     * Sends {@code op} and returns the hub's whole reply, {@code {"ok":true,"result":…}} or
     * {@code {"ok":false,"error":…,"message":…}}; throws only when no hub answers within {@code replyTimeoutMs}.
     */
    Map<String, Object> reply(String op, Map<String, Object> args, boolean autoStart, long replyTimeoutMs) throws IOException {
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
