package dev.huddle.tools.bench;

import dev.huddle.protocol.MiniJson;
import dev.huddle.tools.aot.StdioChild;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A soak agent's {@code huddle mcp} front, its direct child (as Codex starts it), initialized as Codex does; every
 * tool call carries Codex's {@code _meta.threadId}.
 */
final class SoakFront {
    private static final long CALL_TIMEOUT_MS = 60_000;

    private final StdioChild child;
    private final String thread;
    private final SoakLog log;
    private int rpcId = 10;

    private SoakFront(StdioChild child, String thread, SoakLog log) {
        this.child = child;
        this.thread = thread;
        this.log = log;
    }

    /** Starts {@code <java> <frontFlags> -jar <jar> mcp} in {@code cwd} with {@code env}, stderr to {@code errFile}. */
    static SoakFront start(String java, List<String> frontFlags, String jar, Path cwd, Map<String, String> env, Path errFile,
                           String thread, SoakLog log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(frontFlags);
        cmd.addAll(List.of("-jar", jar, "mcp"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(errFile.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        // Codex passes these to its MCP servers when huddle setup lists them in env_vars
        for (String k : List.of("TMUX", "TMUX_PANE")) if (System.getenv(k) != null) pb.environment().put(k, System.getenv(k));
        StdioChild child = new StdioChild(pb.start());
        child.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{\"elicitation\":{}},\"clientInfo\":{\"name\":\"codex-mcp-client\",\"title\":\"Codex\",\"version\":\"0.170.0\"}}}");
        Map<String, Object> init = child.awaitResponse(1, 60_000);
        if (!init.containsKey("result")) throw new IOException("initialize failed: " + init);
        child.send(JsonRpc.INITIALIZED);
        return new SoakFront(child, thread, log);
    }

    long pid() {
        return child.pid();
    }

    /** One tool call with Codex's {@code _meta.threadId}; the tool's JSON result (errors included). */
    Map<String, Object> call(String tool, Map<String, Object> args, long extraTimeoutMs) throws IOException {
        int id = ++rpcId;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("name", tool);
        params.put("arguments", args);
        params.put("_meta", Map.of("threadId", thread));
        child.send(MiniJson.write(Map.of("jsonrpc", "2.0", "id", id, "method", "tools/call", "params", params)));
        Map<String, Object> r = child.awaitResponse(id, CALL_TIMEOUT_MS + extraTimeoutMs);
        try {
            Map<String, Object> parsed = MiniJson.parseObject(McpSocketClient.toolText(r));
            if (!Boolean.TRUE.equals(parsed.get("ok"))) log.event("error", "what", tool + " answered " + SoakLog.shorten(String.valueOf(parsed), 300));
            return parsed;
        } catch (IOException | RuntimeException e) {
            log.event("error", "what", tool + " answered " + SoakLog.shorten(String.valueOf(r), 300));
            return Map.of("ok", false);
        }
    }

    void finish(long timeoutMs) {
        child.finish(timeoutMs);
    }
}
