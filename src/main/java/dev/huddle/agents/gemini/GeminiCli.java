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

    /** The composer: {@code > } inside a box, like Claude Code's; text is typed. */
    private static final Composer COMPOSER = new Composer(ClientType.GEMINI.wireName(),
            List.of("> ", "❯ ", "\u276F\u00A0", ">\u00A0"), false, Duration.ofMillis(50));

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

        @Override
        public AutoApproval autoApproval(ConfigFiles files) {
            return new AutoApproval(files.mcpFile() + ", in mcpServers.huddle", "\"trust\": true");
        }
    }
}
