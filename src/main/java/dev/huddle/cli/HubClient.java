package dev.huddle.cli;

import java.io.IOException;
import java.util.Map;

/** One control request to the hub ({@code kind: "control"}) and its reply. */
final class HubClient {
    private final HubConnector connector;

    HubClient(HubConnector connector) {
        this.connector = connector;
    }

    /** Sends {@code op}; returns the reply's {@code result}. Throws with the hub's message when it says no. */
    @SuppressWarnings("unchecked")
    Map<String, Object> call(String op, Map<String, Object> args, boolean autoStart) throws IOException {
        Map<String, Object> hello = HubConnector.hello("control");
        hello.put("op", op);
        hello.put("args", args);
        hello.put("cwd", System.getProperty("user.dir"));
        try (HubConnector.Connection c = connector.open(hello, autoStart)) {
            Map<String, Object> reply = c.reply();
            if (!Boolean.TRUE.equals(reply.get("ok"))) {
                throw new IOException("hub answered: " + reply.getOrDefault("message", reply.get("error")));
            }
            Object result = reply.get("result");
            return result instanceof Map ? (Map<String, Object>) result : Map.of();
        }
    }
}
