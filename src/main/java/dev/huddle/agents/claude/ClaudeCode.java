package dev.huddle.agents.claude;

import dev.huddle.agents.AbstractAgentClient;
import dev.huddle.agents.BindingAdvice;
import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookEvent;
import dev.huddle.agents.HookPayload;
import dev.huddle.agents.HookReplies;
import dev.huddle.agents.HookSpec;
import dev.huddle.agents.WakeRoute;
import dev.huddle.agents.setup.McpEntryReader;
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
 * Claude Code (agent-platforms.md §1, §2): its session id is in the front's environment, its hooks can ask the human
 * and wake an idle session ({@code asyncRewake}), its composer takes a bracketed paste.
 */
public final class ClaudeCode extends AbstractAgentClient {
    /** The tools whose calls the PostToolUse hook sees: the shell and the edit tools. */
    static final String POST_TOOLS = "Bash|Edit|Write|MultiEdit|NotebookEdit";
    /** The tools that write the file named in {@code tool_input.file_path} / {@code notebook_path}. */
    static final Set<String> EDIT_TOOLS = Set.of("Edit", "Write", "MultiEdit", "NotebookEdit");
    static final String SHELL = "Bash";

    private static final List<HookSpec> HOOKS = List.of(
            new HookSpec(HookClient.CLAUDE, "SessionStart", HookEvent.SESSION_START, false),
            new HookSpec(HookClient.CLAUDE, "UserPromptSubmit", HookEvent.PROMPT, false),
            new HookSpec(HookClient.CLAUDE, "PreToolUse", HookEvent.TOOL, true),
            HookSpec.matching(HookClient.CLAUDE, "PostToolUse", HookEvent.TOOL_DONE, false, POST_TOOLS),
            new HookSpec(HookClient.CLAUDE, "Stop", HookEvent.TURN_END, true),
            new HookSpec(HookClient.CLAUDE, "Stop", "Rewake", HookEvent.IDLE_WAIT, true),
            new HookSpec(HookClient.CLAUDE, "SessionEnd", HookEvent.SESSION_END, false));

    /**
     * The rewake waiter's labels (handler keys 2.1.329 reads, marked internal in its settings schema): the line the
     * terminal shows when a wake starts a turn, instead of "Stop hook feedback", and what precedes the mail in the
     * model's reminder, instead of {@code Stop hook blocking error from command "Stop":}. Who wrote and the first
     * line follow on the screen from the woken turn's UserPromptSubmit hook.
     */
    static final String REWAKE_SUMMARY = "huddle: a message woke this session";
    static final String REWAKE_MESSAGE = "huddle delivered this while the session was idle:";

    /**
     * Claude Code asks the human with {@code permissionDecision: "ask"}, the reason shown in its prompt, and keeps a
     * turn going with a Stop hook's {@code additionalContext}: the model gets it once, as a system reminder
     * ({@code Stop hook additional context: …}), and the terminal shows {@code Stop hook says: …}. A
     * {@code decision: "block"} would reach the model twice (as {@code Stop hook feedback} and as a
     * {@code Stop hook blocking error} quoting the hook's command line) and show the human "Stop hook reported a
     * problem" (verified on 2.1.329, ClaudeCodeTurnEndIT).
     */
    private static final HookReplies REPLIES = new HookReplies() {
        @Override
        public String ask(HookSpec spec, String reason) {
            return HookReplies.permission(spec, "ask", reason);
        }

        @Override
        public String continuation(HookSpec spec, String text) {
            return context(spec, text);
        }
    };

    /** The composer: {@code > } or {@code ❯ } inside a box; text goes in as a bracketed paste. */
    private static final Composer COMPOSER = new Composer(ClientType.CLAUDE_CODE.wireName(),
            List.of("> ", "❯ ", "\u276F\u00A0", ">\u00A0"), true, Duration.ofMillis(150));

    public ClaudeCode() {
        this(new Setup());
    }

    private ClaudeCode(Setup setup) {
        super(HookClient.CLAUDE, "Claude Code", HOOKS, REPLIES, ClaudeTranscripts.FORMAT, setup, new ClaudeDoctor(setup), COMPOSER);
    }

    @Override
    public boolean namedBy(String clientInfoName) {
        return clientInfoName.contains("claude");
    }

    @Override
    public boolean detectedIn(Map<String, String> frontEnv) {
        return "1".equals(AgentEnv.CLAUDECODE.in(frontEnv)) || AgentEnv.CLAUDE_CODE_SESSION_ID.isIn(frontEnv);
    }

    /** {@code CLAUDE_CODE_SESSION_ID}: an MCP server keeps the id it was started with, so /clear re-binds by hook. */
    @Override
    public Optional<String> sessionFromEnv(Map<String, String> frontEnv) {
        return Optional.ofNullable(AgentEnv.CLAUDE_CODE_SESSION_ID.in(frontEnv));
    }

    @Override
    public BindingAdvice bindingAdvice() {
        return new BindingAdvice(BindingAdvice.runThenClaim(" with your " + SHELL + " tool"), "echo $" + AgentEnv.CLAUDE_CODE_SESSION_ID.name());
    }

    @Override
    public Optional<String> sessionIdLookup() {
        return Optional.of("`echo $" + AgentEnv.CLAUDE_CODE_SESSION_ID.name() + "` (" + displayName() + ")");
    }

    @Override
    public List<String> editedFiles(HookPayload p) {
        return p.fileWrittenBy(EDIT_TOOLS);
    }

    @Override
    public boolean isShell(String toolName) {
        return SHELL.equals(toolName);
    }

    /** Its {@code Stop} hook's rewake waiter wakes the idle session without a keystroke. */
    @Override
    public List<WakeRoute> wakeRoutes() {
        return List.of(WakeRoute.IDLE_WAIT_HOOK);
    }

    /** {@code .claude.json} and {@code settings.json} under the user's config directory; {@code .mcp.json} in a project. */
    private static final class Setup implements ClientSetup {
        @Override
        public Path userConfigDir(Path home, Map<String, String> env) {
            Path configured = ClientSetup.configured(env, AgentEnv.CLAUDE_CONFIG_DIR);
            return configured != null ? configured : home.resolve(".claude");
        }

        @Override
        public ConfigFiles files(Path home, Map<String, String> env, Path projectRoot) {
            if (projectRoot != null) {
                return new ConfigFiles(projectRoot.resolve(".claude"), projectRoot.resolve(".mcp.json"), projectRoot.resolve(".claude/settings.json"));
            }
            Path dir = userConfigDir(home, env);
            // With CLAUDE_CONFIG_DIR, Claude Code keeps .claude.json inside it instead of in $HOME.
            Path mcp = ClientSetup.configured(env, AgentEnv.CLAUDE_CONFIG_DIR) != null ? dir.resolve(".claude.json") : home.resolve(".claude.json");
            return new ConfigFiles(dir, mcp, dir.resolve("settings.json"));
        }

        @Override
        public McpEntry mcpEntry() {
            return new McpEntry.Json("stdio", true, false);
        }

        @Override
        public Map<String, Object> rewakeLabels() {
            Map<String, Object> labels = new java.util.LinkedHashMap<>();
            labels.put("rewakeSummary", REWAKE_SUMMARY);
            labels.put("rewakeMessage", REWAKE_MESSAGE);
            return labels;
        }

        /**
         * Every hook but SessionStart (2.1.329 runs only command and mcp_tool handlers there; it also binds the session
         * to its process, which the http hooks' proof starts from) and the rewake waiter (only a command can rewake).
         */
        @Override
        public boolean postsHook(HookSpec spec) {
            return spec.meaning() != HookEvent.SESSION_START && !spec.rewake();
        }

        /** Claude Code gives all SessionEnd hooks 1.5 s unless one asks for more; curl stops after 2 s anyway. */
        @Override
        public long hookTimeout(HookSpec spec) {
            return spec.meaning() == HookEvent.SESSION_END ? 2 : 5;
        }

        @Override
        public Optional<String> projectScopeNote() {
            return Optional.of("Claude Code asks each user once to approve the servers in .mcp.json");
        }

        @Override
        public AutoApproval autoApproval(ConfigFiles files) {
            return new AutoApproval(files.hooksFile().toString(), "\"permissions\": {\"allow\": [\"mcp__huddle__*\"]}",
                    allowsHuddle(files.hooksFile()));
        }

        /** {@code mcp__huddle} (the whole server) and {@code mcp__huddle__*} both let every huddle tool run unasked. */
        private static boolean allowsHuddle(Path settings) {
            try {
                for (var rule : McpEntryReader.jsonObject(settings, true).path("permissions").path("allow")) {
                    String r = rule.asString("");
                    if (r.equals("mcp__huddle") || r.equals("mcp__huddle__*")) return true;
                }
            } catch (java.io.IOException | RuntimeException unreadable) {
                // missing or broken: nothing is granted (the doctor reports a broken file)
            }
            return false;
        }
    }
}
