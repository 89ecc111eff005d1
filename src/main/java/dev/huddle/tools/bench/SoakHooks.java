package dev.huddle.tools.bench;

import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;
import dev.huddle.protocol.MiniJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A soak agent's Codex hooks: the installed command run as Codex runs it ({@code sh -c}, payload in Codex's shape on
 * stdin, stdout parsed), from the agent's process, so {@code $PPID} in the hook is the agent.
 */
final class SoakHooks {
    private final Path httpSocket;
    private final Path project;
    private final Map<String, String> env;
    private final String thread;
    private final SoakLog log;
    private String turnId = UUID.randomUUID().toString();

    SoakHooks(Path httpSocket, Path project, Map<String, String> env, String thread, SoakLog log) {
        this.httpSocket = httpSocket;
        this.project = project;
        this.env = env;
        this.thread = thread;
        this.log = log;
    }

    /** A new turn starts: later payloads carry its id. */
    void newTurn() {
        turnId = UUID.randomUUID().toString();
    }

    /** Runs {@code event}'s hook with the payload's {@code extra} fields; its JSON answer ({@code {}} for none). */
    Map<String, Object> run(String event, Map<String, Object> extra) throws IOException {
        long t0 = System.currentTimeMillis();
        ShellRun r = ShellRun.of(HookCommands.curl(httpSocket, HookClient.CODEX, event), project, env,
                MiniJson.write(payload(event, extra)).getBytes(StandardCharsets.UTF_8), ProcessBuilder.Redirect.DISCARD, p -> {});
        String stdout = r.stdout().strip();
        int exit = r.exit();
        long ms = System.currentTimeMillis() - t0;
        log.event("hook", "event", event, "t0", t0, "ms", ms, "exit", exit, "chars", stdout.length());
        if (stdout.isEmpty()) return Map.of();
        try {
            return MiniJson.parseObject(stdout);
        } catch (RuntimeException e) {
            log.event("error", "what", event + " printed invalid JSON: " + SoakLog.shorten(stdout, 200));
            return Map.of();
        }
    }

    private Map<String, Object> payload(String event, Map<String, Object> extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("session_id", thread);
        p.put("transcript_path", null);
        p.put("cwd", project.toString());
        p.put("hook_event_name", event);
        p.put("model", "gpt-5-codex");
        p.put("permission_mode", "default");
        if (!"SessionStart".equals(event)) p.put("turn_id", turnId);
        p.putAll(extra);
        return p;
    }
}
