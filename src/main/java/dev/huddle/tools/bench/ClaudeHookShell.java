package dev.huddle.tools.bench;

import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;
import dev.huddle.client.UnixHttp;
import dev.huddle.protocol.MiniJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's side of the hook figures: one Claude Code session whose agent process is this JVM. It runs the
 * installed hook commands as Claude Code does ({@code /bin/sh -c}, payload on stdin, stdout read to EOF), posts the
 * same payloads as raw HTTP (to read the hub's own time), and reads what a delivering answer carries.
 */
final class ClaudeHookShell {
    /** The hub's answer header: microseconds spent inside the hub (dev.huddle.hub.hooks.HttpApi). */
    private static final String HANDLED_HEADER = "X-Huddle-Handled-Us";
    private static final Pattern MESSAGE_IDS = Pattern.compile("message ([0-9a-f]{16}) \\|");
    private static final Pattern ARRIVED = Pattern.compile("\\] (\\d+) message\\(s\\) from peer agents arrived");

    /** A raw hook post's answer: status, the hub's own time, body. */
    record HttpAnswer(int status, long handledUs, String body) {}

    private final Path httpSocket;
    private final Map<String, String> env;
    private final Path project;
    private final Path errFile;
    private final Consumer<Process> track;
    private final String sessionId = UUID.randomUUID().toString();
    private final long agentPid = ProcessHandle.current().pid();

    ClaudeHookShell(Path httpSocket, Map<String, String> env, Path project, Path errFile, Consumer<Process> track) {
        this.httpSocket = httpSocket;
        this.env = env;
        this.project = project;
        this.errFile = errFile;
        this.track = track;
    }

    /** The session's id (the agent messages are sent to). */
    String sessionId() {
        return sessionId;
    }

    /** The installed hook command of Claude's {@code event}, run as Claude Code runs it. */
    ShellRun hook(String event, String payload) throws IOException {
        return shell(HookCommands.curl(httpSocket, HookClient.CLAUDE, event), payload.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /bin/sh -c command}, payload on stdin, stdout read to EOF, until exit. */
    ShellRun shell(String command, byte[] payload) throws IOException {
        return ShellRun.of(command, project, env, payload, ProcessBuilder.Redirect.appendTo(errFile.toFile()), track);
    }

    /** One HTTP/1.1 POST over http.sock, as curl sends it (the agent pid header included). */
    HttpAnswer post(String path, String payload) throws IOException {
        UnixHttp.Response r = UnixHttp.post(httpSocket, path, Map.of("Content-Type", "application/x-www-form-urlencoded",
                HookCommands.PID_HEADER, Long.toString(agentPid)), payload.getBytes(StandardCharsets.UTF_8));
        if (r == null) throw new IOException("no complete HTTP answer on " + path);
        long handled = Long.parseLong(r.headers().getOrDefault(HANDLED_HEADER.toLowerCase(Locale.ROOT), "-1"));
        return new HttpAnswer(r.status(), handled, r.bodyText());
    }

    /**
     * A client that POSTs hooks itself, as Claude Code's {@code type: "http"} hooks do: HTTP/1.1 over one kept-alive
     * TCP connection to the hub's hook port, from this process (the agent process, which the hub proves).
     */
    static final class HttpHooks implements AutoCloseable {
        private final java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        private final int port;

        HttpHooks(int port) {
            this.port = port;
        }

        HttpAnswer post(String event, String payload) throws IOException {
            java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(HookCommands.url(port, HookClient.CLAUDE, event)))
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(payload)).build();
            try {
                java.net.http.HttpResponse<String> r = client.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
                return new HttpAnswer(r.statusCode(), r.headers().firstValueAsLong(HANDLED_HEADER).orElse(-1), r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** The message ids a delivering answer carries; an empty answer has none; anything else that is not our JSON fails. */
    static List<String> delivered(String stdout, String event) throws IOException {
        String text = stdout.strip();
        if (text.isEmpty()) return List.of();
        Map<String, Object> out;
        try {
            out = MiniJson.parseObject(text);
        } catch (RuntimeException e) {
            throw new IOException("the hook printed invalid JSON: " + e.getMessage() + ": " + text);
        }
        if (!(out.get("hookSpecificOutput") instanceof Map<?, ?> hso) || !event.equals(hso.get("hookEventName"))
                || !(hso.get("additionalContext") instanceof String ctx)) {
            throw new IOException("not a " + event + " answer: " + text);
        }
        List<String> ids = new ArrayList<>();
        Matcher m = MESSAGE_IDS.matcher(ctx);
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    /** The queue length the hub saw ("N message(s) from peer agents arrived"), or -1. */
    static int arrived(String stdout) {
        Matcher m = ARRIVED.matcher(stdout);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    // ---- payloads in Claude Code's shape ---------------------------------------------------------------------

    private String base(String event) {
        return "{\"session_id\":\"" + sessionId + "\",\"transcript_path\":" + MiniJson.write("/home/u/.claude/projects/"
                + project.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + sessionId + ".jsonl") + ",\"cwd\":" + MiniJson.write(project.toString())
                + ",\"permission_mode\":\"default\",\"hook_event_name\":\"" + event + "\"";
    }

    /** A PreToolUse of Bash (no file edited). */
    String toolPayload() {
        return base("PreToolUse") + ",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"npm test\",\"description\":\"Run the tests\"},"
                + "\"tool_use_id\":\"toolu_01" + toolUseSuffix() + "\"}";
    }

    String promptPayload() {
        return base("UserPromptSubmit") + ",\"prompt\":\"fix the failing parser tests, then run the linter\"}";
    }

    /** A PreToolUse of an Edit of {@code file}. */
    String editPayload(String file) {
        return base("PreToolUse") + ",\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":" + MiniJson.write(file)
                + ",\"old_string\":\"parse(\",\"new_string\":\"read(\"},\"tool_use_id\":\"toolu_01" + toolUseSuffix() + "\"}";
    }

    private static String toolUseSuffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    }
}
