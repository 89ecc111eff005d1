package dev.huddle.agents.gemini;

import dev.huddle.agents.AbstractAgentClient;
import dev.huddle.agents.BindingAdvice;
import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookEvent;
import dev.huddle.agents.HookPayload;
import dev.huddle.agents.HookReplies;
import dev.huddle.agents.HookSpec;
import dev.huddle.core.identity.ClientType;
import dev.huddle.protocol.AgentEnv;
import dev.huddle.terminal.Composer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gemini CLI (agent-platforms.md §4): only its hooks carry the session id, it refuses and continues with
 * {@code decision: "deny"}, its BeforeTool hook has no context for the model, its hook timeouts are milliseconds, and
 * nothing but its terminal wakes it.
 */
public final class GeminiCli extends AbstractAgentClient {
    /** Gemini CLI's edit tools and shell, checked before they run. */
    static final String BEFORE_TOOLS = "^(write_file|replace|run_shell_command)$";
    /** The tools that write the file named in {@code tool_input.file_path}. */
    static final Set<String> EDIT_TOOLS = Set.of("write_file", "replace");
    static final String SHELL = "run_shell_command";

    private static final List<HookSpec> HOOKS = List.of(
            new HookSpec(HookClient.GEMINI, "SessionStart", HookEvent.SESSION_START, false),
            new HookSpec(HookClient.GEMINI, "BeforeAgent", HookEvent.PROMPT, true),
            HookSpec.matching(HookClient.GEMINI, "BeforeTool", HookEvent.TOOL, false, BEFORE_TOOLS),
            new HookSpec(HookClient.GEMINI, "AfterTool", HookEvent.TOOL_DONE, true),
            new HookSpec(HookClient.GEMINI, "AfterAgent", HookEvent.TURN_END, true),
            new HookSpec(HookClient.GEMINI, "SessionEnd", HookEvent.SESSION_END, false));

    /**
     * BeforeTool refuses with a top-level {@code decision: "deny"} and has no context for the model; AfterAgent
     * rejects the answer and sends the reason as a new prompt ({@code decision: "deny"}). There is no ask.
     */
    private static final HookReplies REPLIES = new HookReplies() {
        @Override
        public String deny(HookSpec spec, String reason) {
            return HookReplies.decision("deny", reason);
        }

        @Override
        public String continuation(HookSpec spec, String text) {
            return HookReplies.decision("deny", text);
        }

        @Override
        public boolean contextReachesModel(HookSpec spec) {
            return spec.meaning() != HookEvent.TOOL;
        }
    };

    /**
     * The composer as Gemini CLI 0.61 draws it (captured screens in the tests' resources, terminal/gemini-0.61.0):
     * {@code > }, or {@code * } in YOLO mode ({@code ! } is shell mode, where typed text would run as a command: not
     * a composer here). An empty one shows {@link #PLACEHOLDER} in the theme's secondary colour (not faint) with the
     * cursor at its start; a dialog (a tool confirmation) hides it and takes the cursor. Text typed while a turn runs
     * is queued and sent when it ends. Text is typed, not pasted; an Enter within 30 ms of the last key Gemini handled
     * is a newline ({@code FAST_RETURN_TIMEOUT}), so Enter waits 100 ms after the text shows.
     */
    static final String PLACEHOLDER = "Type your message or @path/to/file";
    private static final Composer COMPOSER = new Composer(ClientType.GEMINI.wireName(), List.of("> ", "* "),
            List.of(PLACEHOLDER), true, false, Duration.ofMillis(100));

    public GeminiCli() {
        this(new Setup());
    }

    private GeminiCli(Setup setup) {
        super(HookClient.GEMINI, "Gemini CLI", HOOKS, REPLIES, GeminiChats.FORMAT, setup, new GeminiDoctor(setup), COMPOSER);
    }

    @Override
    public boolean namedBy(String clientInfoName) {
        return clientInfoName.contains("gemini");
    }

    @Override
    public boolean detectedIn(Map<String, String> frontEnv) {
        return AgentEnv.GEMINI_CLI.isIn(frontEnv) || AgentEnv.GEMINI_SESSION_ID.isIn(frontEnv);
    }

    @Override
    public BindingAdvice bindingAdvice() {
        return new BindingAdvice(BindingAdvice.runThenClaim("") + " If it prints nothing, ask the user to install huddle's Gemini hooks,"
                + " or claim a stable id of your choosing (a UUID).", "echo $" + AgentEnv.GEMINI_SESSION_ID.name());
    }

    @Override
    public List<String> editedFiles(HookPayload p) {
        return p.fileWrittenBy(EDIT_TOOLS);
    }

    @Override
    public boolean isShell(String toolName) {
        return SHELL.equals(toolName);
    }

    /** One {@code settings.json} for the MCP server and the hooks, under {@code ~/.gemini} or {@code .gemini}. */
    private static final class Setup implements ClientSetup {
        @Override
        public Path userConfigDir(Path home, Map<String, String> env) {
            return home.resolve(".gemini");
        }

        @Override
        public ConfigFiles files(Path home, Map<String, String> env, Path projectRoot) {
            Path dir = projectRoot != null ? projectRoot.resolve(".gemini") : userConfigDir(home, env);
            return new ConfigFiles(dir, dir.resolve("settings.json"), dir.resolve("settings.json"));
        }

        @Override
        public McpEntry mcpEntry() {
            return new McpEntry.Json(null, false, true);
        }

        /** Milliseconds. */
        @Override
        public long hookTimeout(HookSpec spec) {
            return 5000;
        }

        @Override
        public boolean namesHookHandlers() {
            return true;
        }

        @Override
        public Optional<String> hooksWrittenNote() {
            return Optional.of("Gemini CLI: hooks run only in trusted folders; trust your repository when Gemini asks (or start it with"
                    + " --skip-trust).");
        }

        /** Gemini asks before each huddle tool unless its settings allow them, and {@code gemini -p} then offers none. */
        @Override
        public Optional<String> unattendedNote(Path home, Map<String, String> env, Path projectRoot) {
            return GeminiToolTrust.inspect(this, home, env, projectRoot).filter(a -> !a.unattended())
                    .map(a -> "Gemini CLI: " + a.detail() + ". " + a.advice());
        }

        @Override
        public AutoApproval autoApproval(ConfigFiles files) {
            boolean granted = GeminiToolTrust.inspect(files.mcpFile(), null, files.configDir().resolve("policies"))
                    .map(GeminiToolTrust.ToolApproval::unattended).orElse(false);
            return new AutoApproval(files.mcpFile() + ", in mcpServers.huddle", "\"trust\": true", granted);
        }
    }
}
