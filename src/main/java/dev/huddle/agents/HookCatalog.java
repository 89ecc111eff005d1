package dev.huddle.agents;

import java.util.List;
import java.util.Optional;

/**
 * The one list of hooks huddle installs per client, and what each one does. {@link #VERSION} is part of every
 * installed command: bump it whenever an installed command or this list changes, so {@code huddle setup}
 * upgrades older installs and {@code huddle doctor} reports them stale.
 */
public final class HookCatalog {
    /** The version of the installed hook set. */
    public static final int VERSION = 3;

    /** Claude Code's tools whose calls the PostToolUse hook sees: the shell and the edit tools. */
    public static final String CLAUDE_POST_TOOLS = "Bash|Edit|Write|MultiEdit|NotebookEdit";
    /** Codex's shell and apply_patch (its hooks also match apply_patch as Edit and Write). */
    public static final String CODEX_POST_TOOLS = "^(Bash|apply_patch)$";
    /** Gemini CLI's edit tools and shell, checked before they run. */
    public static final String GEMINI_BEFORE_TOOLS = "^(write_file|replace|run_shell_command)$";

    private static final List<HookSpec> SPECS = List.of(
            new HookSpec(HookClient.CLAUDE, "SessionStart", HookEvent.SESSION_START, false),
            new HookSpec(HookClient.CLAUDE, "UserPromptSubmit", HookEvent.PROMPT, false),
            new HookSpec(HookClient.CLAUDE, "PreToolUse", HookEvent.TOOL, true),
            HookSpec.matching(HookClient.CLAUDE, "PostToolUse", HookEvent.TOOL_DONE, false, CLAUDE_POST_TOOLS),
            new HookSpec(HookClient.CLAUDE, "Stop", HookEvent.TURN_END, true),
            new HookSpec(HookClient.CLAUDE, "Stop", "Rewake", HookEvent.IDLE_WAIT, true),
            new HookSpec(HookClient.CLAUDE, "SessionEnd", HookEvent.SESSION_END, false),
            new HookSpec(HookClient.CODEX, "SessionStart", HookEvent.SESSION_START, false),
            new HookSpec(HookClient.CODEX, "UserPromptSubmit", HookEvent.PROMPT, true),
            new HookSpec(HookClient.CODEX, "PreToolUse", HookEvent.TOOL, true),
            HookSpec.matching(HookClient.CODEX, "PostToolUse", HookEvent.TOOL_DONE, false, CODEX_POST_TOOLS),
            new HookSpec(HookClient.CODEX, "Stop", HookEvent.TURN_END, true),
            new HookSpec(HookClient.GEMINI, "SessionStart", HookEvent.SESSION_START, false),
            new HookSpec(HookClient.GEMINI, "BeforeAgent", HookEvent.PROMPT, true),
            HookSpec.matching(HookClient.GEMINI, "BeforeTool", HookEvent.TOOL, false, GEMINI_BEFORE_TOOLS),
            new HookSpec(HookClient.GEMINI, "AfterTool", HookEvent.TOOL_DONE, true),
            new HookSpec(HookClient.GEMINI, "AfterAgent", HookEvent.TURN_END, true),
            new HookSpec(HookClient.GEMINI, "SessionEnd", HookEvent.SESSION_END, false));

    private HookCatalog() {}

    public static List<HookSpec> all() {
        return SPECS;
    }

    public static List<HookSpec> forClient(HookClient client) {
        return SPECS.stream().filter(s -> s.client() == client).toList();
    }

    /** The spec of a client's hook endpoint (the event name, or {@code Rewake}; exact, case-sensitive). */
    public static Optional<HookSpec> find(HookClient client, String endpoint) {
        return SPECS.stream().filter(s -> s.client() == client && s.endpoint().equals(endpoint)).findFirst();
    }
}
