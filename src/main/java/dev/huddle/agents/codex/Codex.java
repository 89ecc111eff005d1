package dev.huddle.agents.codex;

import dev.huddle.agents.AbstractAgentClient;
import dev.huddle.agents.BindingAdvice;
import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookEvent;
import dev.huddle.agents.HookPayload;
import dev.huddle.agents.HookReplies;
import dev.huddle.agents.HookSpec;
import dev.huddle.agents.HookTrust;
import dev.huddle.agents.WakeRoute;
import dev.huddle.agents.setup.ConfigProblem;
import dev.huddle.agents.setup.McpEntryReader;
import dev.huddle.core.identity.ClientType;
import dev.huddle.protocol.AgentEnv;
import dev.huddle.protocol.tools.Tools;
import dev.huddle.terminal.Composer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Codex CLI (agent-platforms.md §3): its thread id comes with every tool call ({@code _meta.threadId}), one
 * {@code app-server} process may run the threads of several TUIs, its edits are {@code apply_patch} bodies, its
 * {@code Stop} hook must print JSON, and its app-server's {@code turn/start} (a TUI's thread) or {@code codex queue} wakes
 * an idle thread without a keystroke.
 */
public final class Codex extends AbstractAgentClient {
    static final String APPLY_PATCH = "apply_patch";
    static final String SHELL = "Bash";
    /** Codex's shell and apply_patch (its hooks also match apply_patch as Edit and Write). */
    static final String POST_TOOLS = "^(Bash|apply_patch)$";

    private static final List<HookSpec> HOOKS = List.of(
            new HookSpec(HookClient.CODEX, "SessionStart", HookEvent.SESSION_START, false),
            new HookSpec(HookClient.CODEX, "UserPromptSubmit", HookEvent.PROMPT, true),
            new HookSpec(HookClient.CODEX, "PreToolUse", HookEvent.TOOL, true),
            HookSpec.matching(HookClient.CODEX, "PostToolUse", HookEvent.TOOL_DONE, false, POST_TOOLS),
            new HookSpec(HookClient.CODEX, "Stop", HookEvent.TURN_END, true));

    /** Codex wants JSON on every successful exit of its Stop hook; it has no {@code ask} (refused instead). */
    private static final HookReplies REPLIES = new HookReplies() {
        @Override
        public String nothing(HookSpec spec) {
            return spec.meaning() == HookEvent.TURN_END ? "{}" : "";
        }

        /** Codex tells the model "Command blocked by PreToolUse hook: {reason}. Command: …": the reason's own final period goes. */
        @Override
        public String deny(HookSpec spec, String reason) {
            return HookReplies.permission(spec, "deny", reason.strip().replaceFirst("[.]+$", ""));
        }
    };

    /** The composer: {@code › } (older builds {@code ▌ }); an Enter within 120 ms of fast typing becomes a newline. */
    private static final Composer COMPOSER = new Composer(ClientType.CODEX.wireName(), List.of("› ", "▌ "), false, Duration.ofMillis(500));

    private final CodexQueueWaker queue = CodexQueueWaker.system();
    private final CodexTurnStart turnStart = new CodexTurnStart(TURN_START_TIMEOUT, this::codexHome);
    private static final Duration TURN_START_TIMEOUT = Duration.ofSeconds(3);

    public Codex() {
        this(new Setup());
    }

    private Codex(Setup setup) {
        super(HookClient.CODEX, "Codex", HOOKS, REPLIES, CodexRollouts.FORMAT, setup, new CodexDoctor(setup), COMPOSER);
    }

    @Override
    public boolean namedBy(String clientInfoName) {
        return clientInfoName.contains("codex");
    }

    @Override
    public boolean detectedIn(Map<String, String> frontEnv) {
        return AgentEnv.CODEX_HOME.isIn(frontEnv) || AgentEnv.CODEX_THREAD_ID.isIn(frontEnv);
    }

    @Override
    public Optional<String> sessionFromToolMeta(Map<String, Object> meta) {
        return meta.get("threadId") instanceof String t ? Optional.of(t) : Optional.empty();
    }

    @Override
    public boolean hostsSeveralSessions() {
        return true;
    }

    @Override
    public BindingAdvice bindingAdvice() {
        return new BindingAdvice("Call any huddle tool once more (" + displayName() + " sends your thread id with each call); if you stay"
                + " unbound, run the shell command below and call " + Tools.CLAIM_SESSION.name() + " with its output as session_id.",
                "echo $" + AgentEnv.CODEX_THREAD_ID.name());
    }

    @Override
    public Optional<String> sessionIdLookup() {
        return Optional.of("`echo $" + AgentEnv.CODEX_THREAD_ID.name() + "` (" + displayName() + ")");
    }

    /** apply_patch, or a shell command that is one (Codex runs {@code apply_patch <<EOF} as the patch tool): the files its headers name. */
    @Override
    public List<String> editedFiles(HookPayload p) {
        if (!APPLY_PATCH.equals(p.toolName()) && !shellPatch(p)) return List.of();
        for (String body : Arrays.asList(p.toolCommand(), p.toolInputText())) {
            List<String> paths = PatchPaths.looksLikePatch(body) ? PatchPaths.of(body) : List.of();
            if (!paths.isEmpty()) return paths;
        }
        return List.of();
    }

    /** Codex 0.169 fires no PostToolUse for a shell {@code apply_patch <<'EOF'}: it applies the patch itself. */
    @Override
    public boolean reportsToolDone(HookPayload p) {
        return !shellPatch(p);
    }

    /** A shell command that is an apply_patch (the path when the model has no apply_patch tool). */
    private static boolean shellPatch(HookPayload p) {
        return SHELL.equals(p.toolName()) && p.toolCommand() != null && p.toolCommand().stripLeading().startsWith(APPLY_PATCH);
    }

    @Override
    public boolean isShell(String toolName) {
        return SHELL.equals(toolName);
    }

    /** Codex runs only the hooks its user trusted (in /hooks, or "Trust all and continue" at start): {@link CodexHookTrust}. */
    @Override
    public Optional<HookTrust> hookTrust(Path home, Map<String, String> env, Path projectRoot) {
        return CodexHookTrust.inspect(setup(), home, env, projectRoot);
    }

    /** turn/start in the app-server that runs a TUI's thread; else codex queue (a codex exec's thread, or the next resume). */
    @Override
    public List<WakeRoute> wakeRoutes() {
        return List.of(turnStart, queue);
    }

    /** The agent's {@code CODEX_HOME}, from the environment its front reported ({@code ~/.codex} without one). */
    private Path codexHome(Map<String, String> frontEnv) {
        String home = AgentEnv.HOME.in(frontEnv);
        return setup().userConfigDir(Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")), frontEnv);
    }

    /** {@code config.toml} (TOML) and {@code hooks.json} under {@code $CODEX_HOME} or {@code .codex}. */
    private static final class Setup implements ClientSetup {
        /** What Codex passes on to the MCP server from its own environment: where it runs (its env is otherwise bare). */
        private static final List<String> FORWARDED = List.of(AgentEnv.CODEX_HOME.name(), AgentEnv.TMUX.name(), AgentEnv.TMUX_PANE.name());
        private static final long STARTUP_TIMEOUT_SEC = 20;

        @Override
        public Path userConfigDir(Path home, Map<String, String> env) {
            Path configured = ClientSetup.configured(env, AgentEnv.CODEX_HOME);
            return configured != null ? configured : home.resolve(".codex");
        }

        @Override
        public ConfigFiles files(Path home, Map<String, String> env, Path projectRoot) {
            Path dir = projectRoot != null ? projectRoot.resolve(".codex") : userConfigDir(home, env);
            return new ConfigFiles(dir, dir.resolve("config.toml"), dir.resolve("hooks.json"));
        }

        @Override
        public McpEntry mcpEntry() {
            return new McpEntry.Toml(FORWARDED, STARTUP_TIMEOUT_SEC);
        }

        @Override
        public long hookTimeout(HookSpec spec) {
            return 5;
        }

        /** Codex skips hooks the user has not trusted. */
        @Override
        public Optional<String> hooksWrittenNote() {
            return Optional.of("Codex: trust the new huddle hooks: start codex and pick \"Trust all and continue\" when it says"
                    + " \"Hooks need review\" (or trust them in /hooks). Codex skips untrusted hooks without a word; huddle doctor"
                    + " shows which it trusts.");
        }

        @Override
        public Optional<String> projectScopeNote() {
            return Optional.of("Codex reads .codex/ only in trusted projects");
        }

        @Override
        public AutoApproval autoApproval(ConfigFiles files) {
            return new AutoApproval(files.mcpFile() + ", under [mcp_servers.huddle]", "default_tools_approval_mode = \"approve\"",
                    approvesHuddle(files.mcpFile()));
        }

        private static boolean approvesHuddle(Path config) {
            try {
                return "approve".equals(McpEntryReader.tomlEntry(McpEntryReader.toml(config)).path("default_tools_approval_mode").asString(""));
            } catch (java.io.IOException | ConfigProblem | RuntimeException unreadable) {
                return false; // missing or broken: nothing is granted (the doctor reports a broken file)
            }
        }
    }
}
