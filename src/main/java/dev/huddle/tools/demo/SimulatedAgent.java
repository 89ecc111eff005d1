package dev.huddle.tools.demo;

import dev.huddle.protocol.Settings;
import dev.huddle.protocol.JvmOptions;
import dev.huddle.protocol.tools.Views;
import dev.huddle.tools.ToolViews;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for an agent session, for the demo, tests and benchmarks: a real {@code huddle mcp} front under its
 * own parent process (a shell playing the agent, so each simulated agent has its own pid and start time, as a
 * real Claude Code or Codex process would), driven by the official MCP SDK client over stdio. The environment
 * is built from scratch: nothing of the caller's own agent session leaks in.
 */
public final class SimulatedAgent implements AutoCloseable {
    /** The SDK client logs an INFO line per start and stop of a front: noise for callers. Pinned (JUL holds loggers weakly). */
    private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("io.modelcontextprotocol");

    static {
        SDK_LOG.setLevel(java.util.logging.Level.WARNING);
    }
    private final McpSyncClient client;
    private final String label;

    private SimulatedAgent(McpSyncClient client, String label) {
        this.client = client;
        this.label = label;
    }

    /** What to start: which jar, which hub home, where the agent "works", what it looks like. */
    public record Spec(Path jar, Path huddleHome, Path cwd, String clientName, String clientVersion,
                       Map<String, String> agentEnv, String background) {
        public Spec {
            agentEnv = Map.copyOf(agentEnv);
        }

        public Spec(Path jar, Path huddleHome, Path cwd, String clientName, String clientVersion, Map<String, String> agentEnv) {
            this(jar, huddleHome, cwd, clientName, clientVersion, agentEnv, "");
        }

        /** The same agent, its shell also running {@code command} (ending in {@code &}) in the background. */
        Spec withBackground(String command) {
            return new Spec(jar, huddleHome, cwd, clientName, clientVersion, agentEnv, command);
        }
    }

    /**
     * Starts the agent in a session of its own, without a controlling terminal ({@code setsid}): a simulated agent
     * started from a terminal must not look as if it ran in that terminal, or a wake could type into the caller's
     * own shell.
     */
    public static SimulatedAgent start(Spec spec) {
        return start(spec, true);
    }

    /** Starts the agent in the caller's terminal session: for an agent that really runs in a terminal (a tmux pane). */
    public static SimulatedAgent startInThisTerminal(Spec spec) {
        return start(spec, false);
    }

    private static SimulatedAgent start(Spec spec, boolean detach) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> front = new ArrayList<>();
        front.add(java);
        front.addAll(JvmOptions.COMMON);
        front.addAll(JvmOptions.FRONT);
        front.add("-jar");
        front.add(spec.jar().toString());
        front.add("mcp");
        // "; exit $?" keeps the shell alive as the front's parent: it plays the agent process.
        String script = "cd " + quote(spec.cwd().toString()) + " && "
                + (spec.background().isEmpty() ? "" : "{ " + spec.background() + " } && ")
                + String.join(" ", front.stream().map(SimulatedAgent::quote).toList()) + "; exit $?";
        List<String> args = new ArrayList<>();
        args.add("-i");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", System.getProperty("user.home"));
        env.put(Settings.HOME.env(), spec.huddleHome().toString());
        env.put(Settings.JAR.env(), spec.jar().toString());
        env.put(Settings.AOT.env(), System.getenv().getOrDefault(Settings.AOT.env(), "off"));
        env.putAll(spec.agentEnv());
        env.forEach((k, v) -> args.add(k + "=" + v));
        // env is not a process-group leader, so setsid(1) does not fork: the shell keeps the pid the transport knows.
        if (detach && Files.isExecutable(Path.of("/usr/bin/setsid"))) args.add("/usr/bin/setsid");
        args.add("/bin/sh");
        args.add("-c");
        args.add(script);
        ServerParameters params = ServerParameters.builder("/usr/bin/env").args(args).build();
        StdioClientTransport transport = new StdioClientTransport(params, McpJsonDefaults.getMapper());
        // Keep the front's last stderr lines: they explain a front that fails to start.
        java.util.Deque<String> stderr = new java.util.concurrent.ConcurrentLinkedDeque<>();
        transport.setStdErrorHandler(line -> {
            stderr.addLast(line);
            while (stderr.size() > 20) stderr.pollFirst();
        });
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation(spec.clientName(), spec.clientVersion()))
                .requestTimeout(Duration.ofSeconds(60))
                .initializationTimeout(Duration.ofSeconds(30))
                .build();
        try {
            client.initialize();
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException("the simulated " + spec.clientName() + " front did not initialize: " + e.getMessage()
                    + (stderr.isEmpty() ? "" : "; its stderr: " + String.join(" | ", stderr)), e);
        }
        return new SimulatedAgent(client, spec.clientName());
    }

    public McpSyncClient client() {
        return client;
    }

    public String label() {
        return label;
    }

    /** Calls a tool and returns its JSON result as a map (tool errors included: {@code ok:false}). */
    public Map<String, Object> call(String tool, Map<String, Object> args) {
        return call(tool, args, null);
    }

    /** Calls a tool with {@code _meta} (Codex sends {@code threadId} there). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> call(String tool, Map<String, Object> args, Map<String, Object> meta) {
        String text = text(tool, args, meta);
        try {
            return JsonMapper.shared().readValue(text, Map.class);
        } catch (RuntimeException notJson) {
            return Map.of("ok", false, "error", Map.of("code", "not-json", "message", text));
        }
    }

    /**
     * Calls a tool and reads its result as {@code view} (a record of {@link dev.huddle.protocol.tools.Views}).
     *
     * @throws ToolViews.ToolFailed when the tool answers {@code ok: false}
     */
    public <T> T tool(String tool, Map<String, ?> args, Class<T> view) {
        return tool(tool, args, null, view);
    }

    /** {@link #tool(String, Map, Class)} with {@code _meta}. */
    public <T> T tool(String tool, Map<String, ?> args, Map<String, Object> meta, Class<T> view) {
        return ToolViews.read(tool, text(tool, args, meta), view);
    }

    /** Calls a tool that should refuse; returns its error result (an {@link IllegalStateException} when it did not refuse). */
    public Views.ErrorResult toolRefused(String tool, Map<String, ?> args) {
        return ToolViews.readError(tool, text(tool, args, null));
    }

    /** The text of the tool's result ({@code {}} when it has none). */
    @SuppressWarnings("unchecked")
    private String text(String tool, Map<String, ?> args, Map<String, Object> meta) {
        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, (Map<String, Object>) args, meta));
        return r.content().isEmpty() ? "{}" : ((McpSchema.TextContent) r.content().getFirst()).text();
    }

    @Override
    public void close() {
        try {
            client.closeGracefully();
        } catch (RuntimeException ignored) {
            client.close();
        }
    }

    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:=+,-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
