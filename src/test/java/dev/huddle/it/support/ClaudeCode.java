package dev.huddle.it.support;

import dev.huddle.agents.setup.Setup;
import dev.huddle.agents.setup.SetupContext;
import dev.huddle.hub.identity.TcpPeers;
import dev.huddle.protocol.HookPort;
import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;


/**
 * The real Claude Code CLI (installed by {@code .ci/install-clients.sh} into {@code .ci/node}) with a private
 * {@code HOME}, against the hub of a {@link TestHome}, driven offline by {@link ScriptedModel}s: one per session,
 * so their conversations stay apart. It installs huddle into that HOME the ways users do (the user-scope MCP server,
 * the hooks as {@code huddle setup} writes them, or {@code huddle setup} itself) and answers the questions an
 * interactive session asks once. {@link #close()} kills the sessions it started and stops the models; the home's own
 * cleanup ends whatever else carries its {@code HUDDLE_HOME} (fronts, hooks, a tmux server).
 */
public final class ClaudeCode implements AutoCloseable {
    /** Claude Code's onboarding and API-key approval read the key's last 20 characters. */
    public static final String API_KEY = "sk-ant-api03-huddle-it-0123456789abcdefghij";

    private final TestHome hub;
    private final Path home;
    private final List<ScriptedModel> models = new ArrayList<>();
    private final List<Process> sessions = new ArrayList<>();

    private ClaudeCode(TestHome hub, Path home) {
        this.hub = hub;
        this.home = home;
    }

    /** A Claude Code environment against {@code hub}'s hub, with a fresh HOME (a scratch directory of that home). */
    public static ClaudeCode in(TestHome hub) {
        return new ClaudeCode(hub, hub.newDir("cch"));
    }

    /**
     * -Dhuddle.claude / $HUDDLE_CLAUDE_BIN, else {@code <repo>/.ci/node/node_modules/.bin/claude}; skips the test without
     * it, except under CI ({@code CI=true}), where the real-client tests must run.
     */
    public static Path binary() {
        return RealClients.binary("huddle.claude", "HUDDLE_CLAUDE_BIN", "claude", "Claude Code CLI");
    }

    /** The hub's home these sessions use. */
    public TestHome hub() {
        return hub;
    }

    /** The sessions' {@code HOME}: {@code .claude.json}, {@code .claude/settings.json}, {@code .claude/projects/}. */
    public Path home() {
        return home;
    }

    // ---- installing huddle into HOME ----

    /** The user-scope MCP server, as {@code claude mcp add --scope user huddle -- <launcher> mcp} writes it. */
    public void installMcpServer() {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("type", "stdio");
        server.put("command", TestHome.launcher().toString());
        server.put("args", List.of("mcp"));
        server.put("env", Map.of());
        write(home.resolve(".claude.json"), Json.write(Map.of("mcpServers", Map.of("huddle", server))));
    }

    /**
     * Every Claude hook of the catalog as {@code huddle setup} installs it: matchers, http hooks to the hub's hook
     * port (where the hub can prove their process: Linux), the SessionStart hook and the rewake waiter as commands.
     */
    public void installHooks() {
        installHooks(true);
    }

    /** As {@link #installHooks()}; {@code http} false: every hook a curl command ({@code --hook-transport curl}). */
    public void installHooks(boolean http) {
        int port = 0;
        if (http && TcpPeers.unavailable() == null) {
            try {
                port = HookPort.ensure(hub.paths());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        SetupContext ctx = new SetupContext(home, Map.of(), null, TestHome.launcher(), hub.paths().httpSocket(), true, 100_000, null, port);
        Map<String, List<Object>> hooks = new LinkedHashMap<>();
        for (HookSpec spec : HookCatalog.forClient(HookClient.CLAUDE)) {
            Map<String, Object> group = new LinkedHashMap<>();
            if (spec.matcher() != null) group.put("matcher", spec.matcher());
            group.put("hooks", List.of(Setup.handler(spec, ctx)));
            hooks.computeIfAbsent(spec.event(), e -> new ArrayList<>()).add(group);
        }
        Path settings = home.resolve(".claude/settings.json");
        try {
            Files.createDirectories(settings.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(settings, Json.write(Map.of("hooks", hooks)));
    }

    /** {@code huddle setup --client claude} in {@code cwd}, as a user runs it: the user-scope MCP server and the hooks. */
    public TestHome.Result installWithHuddleSetup(Path cwd) {
        return RealClients.setup(hub, cwd, Map.of("HOME", home.toString()), "claude");
    }

    /**
     * What an interactive session asks once, answered in {@code $HOME/.claude.json} so it starts straight into the
     * prompt: onboarding (the theme picker), the custom API key ({@link #API_KEY}), and trust for {@code project} (which
     * also lets its hooks run). Each one, missing, leaves the session in a dialog.
     */
    public void skipFirstRunDialogs(Path project) {
        updateConfig(config -> {
            config.put("hasCompletedOnboarding", true);
            config.put("customApiKeyResponses", Map.of("approved", List.of(API_KEY.substring(API_KEY.length() - 20)), "rejected", List.of()));
            projectEntry(config, project).put("hasTrustDialogAccepted", true);
        });
    }

    /**
     * Claude Code also loads the servers of a {@code .mcp.json} in any parent directory of the session's: one named
     * huddle (a stray {@code /tmp/.mcp.json} another run left) would win over the user-scope server under test in
     * {@code -p}, and stop an interactive session in a dialog. These sessions use the user-scope server only.
     */
    void ignoreProjectServers(Path project) {
        updateConfig(config -> projectEntry(config, project).put("disabledMcpjsonServers", List.of("huddle")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> projectEntry(Map<String, Object> config, Path project) {
        Map<String, Object> projects = new LinkedHashMap<>(config.get("projects") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
        Map<String, Object> entry = new LinkedHashMap<>(projects.get(project.toString()) instanceof Map<?, ?> e
                ? (Map<String, Object>) e : Map.of("allowedTools", List.of()));
        projects.put(project.toString(), entry);
        config.put("projects", projects);
        return entry;
    }

    private synchronized void updateConfig(java.util.function.Consumer<Map<String, Object>> change) {
        Path file = home.resolve(".claude.json");
        try {
            Map<String, Object> config = new LinkedHashMap<>(Files.exists(file) ? Json.object(Files.readString(file)) : Map.of());
            change.accept(config);
            Files.writeString(file, Json.write(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- sessions ----

    /** A scripted model for one session, stopped with this environment. */
    public ScriptedModel model(Function<ScriptedModel.Request, ScriptedModel.Reply> script) {
        ScriptedModel m = ScriptedModel.start(script);
        models.add(m);
        return m;
    }

    /**
     * The environment of a {@code claude} process: the hub's home's (nothing of the caller's own session leaks in),
     * this HOME, no telemetry or updates, and the MCP tools offered up front (else they are deferred behind
     * ToolSearch and the script could not call them in one step).
     */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(hub.env());
        env.put("HOME", home.toString());
        env.put("TMPDIR", "/tmp");
        env.put("HUDDLE_JAVA_HOME", System.getProperty("java.home")); // the launcher would find a JDK 25; pin this one
        env.put("DISABLE_TELEMETRY", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("ENABLE_TOOL_SEARCH", "false");
        return env;
    }

    /** {@link #env()} talking to {@code model}. */
    public Map<String, String> env(ScriptedModel model) {
        Map<String, String> env = env();
        env.put("ANTHROPIC_BASE_URL", model.baseUrl());
        env.put("ANTHROPIC_API_KEY", API_KEY);
        return env;
    }

    /** Starts {@code claude <args>} in {@code cwd} against {@code model}, stdin from /dev/null; killed on close. */
    public Process start(Path cwd, ScriptedModel model, List<String> args) {
        ignoreProjectServers(cwd);
        Process p = TestHome.startClean(binary(), args, cwd, env(model));
        sessions.add(p);
        return p;
    }

    /** Waits for a session to end, with its output; fails (with the hub's log) after {@code timeout}. */
    public TestHome.Result finish(Process session, Duration timeout, String what) {
        try {
            return TestHome.finish(session, timeout, what);
        } catch (AssertionError timedOut) {
            throw new AssertionError(timedOut.getMessage() + hub.logTail(), timedOut);
        }
    }

    /** For a failure: what each scripted model was asked. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (ScriptedModel m : models) sb.append('\n').append(m.describe());
        return sb.toString();
    }

    @Override
    public void close() {
        for (Process p : sessions) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        models.forEach(ScriptedModel::close);
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
