package dev.huddle.tools.bench;

import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.StdioChild;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A real front under its own {@code sh} (which plays the agent process), as a Claude Code session bound by
 * {@code CLAUDE_CODE_SESSION_ID}; tools are called one at a time over its stdio.
 */
final class ShellFront implements AutoCloseable {
    private static final long CALL_TIMEOUT_MS = 30_000;

    private final StdioChild child;
    private int nextId = 10;

    private ShellFront(StdioChild child) {
        this.child = child;
    }

    /** Starts {@code sh -c "<frontCommand>; exit $?"} in {@code cwd} and initializes the front. */
    static ShellFront start(List<String> frontCommand, Map<String, String> baseEnv, String sessionId, Path cwd, Path errFile,
                            Consumer<Process> track) throws IOException {
        StringBuilder script = new StringBuilder();
        for (String a : frontCommand) script.append(quote(a)).append(' ');
        script.append("; exit $?");
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        env.put("CLAUDECODE", "1");
        env.put("CLAUDE_CODE_SESSION_ID", sessionId);
        Process p = ChildJava.builder(List.of("/bin/sh", "-c", script.toString()), env).directory(cwd.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(errFile.toFile())).start();
        track.accept(p);
        ShellFront f = new ShellFront(new StdioChild(p));
        f.child.send(JsonRpc.initialize("claude-code"));
        Map<String, Object> init = f.child.awaitResponse(1, 30_000);
        if (!init.containsKey("result")) throw new IOException("initialize failed: " + init);
        f.child.send(JsonRpc.INITIALIZED);
        return f;
    }

    /** A tools/call with JSON arguments; the tool's JSON result. */
    Map<String, Object> tool(String name, String argsJson) throws IOException {
        int id = ++nextId;
        child.send(JsonRpc.toolCall(id, name, argsJson));
        return McpSocketClient.toolResult(child.awaitResponse(id, CALL_TIMEOUT_MS));
    }

    /** Reads until the inbox is empty; the ids read. */
    Set<String> drain() throws IOException {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            Map<String, Object> r = tool("read_my_messages", "{}");
            List<?> msgs = (List<?>) r.get("messages");
            for (Object o : msgs) {
                if (!ids.add(String.valueOf(((Map<?, ?>) o).get("id")))) throw new IOException("a message was delivered twice");
            }
            if (msgs.isEmpty() && ((Number) r.get("deferred_count")).intValue() == 0) return ids;
        }
        throw new IOException("the inbox did not drain");
    }

    @Override
    public void close() {
        child.finish(10_000);
    }

    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:=+,@%-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
