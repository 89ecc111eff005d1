package dev.huddle.protocol;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one allowlist of environment variables a front forwards to the hub in its hello, each with what the hub uses it
 * for. Nothing else of the agent's environment leaves the front. The front, the hub's identity rules, its transcript
 * readers and its wakers all read the agent's variables through these constants, so a variable a waker needs is
 * forwarded by construction.
 */
public enum AgentEnv {
    CLAUDECODE("set to 1 by Claude Code for its MCP servers", Use.IDENTITY),
    CLAUDE_CODE_SESSION_ID("Claude Code's session id (stale after /clear; the SessionStart hook re-binds)", Use.IDENTITY),
    CLAUDE_PROJECT_DIR("the project root Claude Code started in", Use.IDENTITY),
    CODEX_HOME("Codex's home: says the client is Codex, holds its rollouts and its app-server's socket, and is where codex queue looks for the thread",
            Use.IDENTITY, Use.TRANSCRIPT, Use.CODEX),
    CODEX_THREAD_ID("Codex's thread id (set for shell tools; forwarded where Codex passes it)", Use.IDENTITY),
    GEMINI_CLI("set to 1 by Gemini CLI for its MCP servers", Use.IDENTITY),
    GEMINI_SESSION_ID("Gemini CLI's session id (set for hooks; forwarded where Gemini passes it)", Use.IDENTITY),
    TMUX("names the tmux server (its socket) the agent runs in; kept with the agent to read its pane", Use.TERMINAL, Use.KEPT),
    TMUX_PANE("the tmux pane the agent reports (a hint: the process tree proves the pane)", Use.TERMINAL),
    TERM_PROGRAM("the terminal emulator's name", Use.TERMINAL),
    WEZTERM_PANE("the WezTerm pane to type a wake into", Use.TERMINAL),
    WEZTERM_UNIX_SOCKET("the WezTerm mux the agent's pane belongs to", Use.TERMINAL),
    KITTY_WINDOW_ID("the kitty window to type a wake into", Use.TERMINAL),
    KITTY_LISTEN_ON("kitty's remote-control address (kitty @ --to)", Use.TERMINAL),
    ZELLIJ("set inside zellij", Use.TERMINAL),
    ZELLIJ_SESSION_NAME("the zellij session", Use.TERMINAL),
    STY("the GNU screen session (its server's pid and name)", Use.TERMINAL),
    WINDOW("the GNU screen window to type a wake into", Use.TERMINAL),
    PATH("where the hub looks for the agent's codex when it cannot tell from the process", Use.CODEX),
    HOME("the agent's home, under which clients keep their transcripts", Use.TRANSCRIPT),
    CLAUDE_CONFIG_DIR("Claude Code's config directory (its transcripts are under projects/)", Use.TRANSCRIPT),
    CLAUDE_CODE_PROJECT_DIR_NAME("pins the directory name of Claude Code's transcripts", Use.TRANSCRIPT),
    GEMINI_CLI_HOME("Gemini CLI's home (its chats are under .gemini/tmp/)", Use.TRANSCRIPT);

    /** What the hub uses a variable for. */
    public enum Use {
        /** Which client the agent is, and its session id. */
        IDENTITY,
        /** Which terminal and pane host the agent: where a wake is typed, which pane is read. */
        TERMINAL,
        /** Where the agent's client keeps its transcript ({@code read_session}, the cockpit's latest tool call). */
        TRANSCRIPT,
        /** The Codex wakes ({@code turn/start}, {@code codex queue}): which codex, and which Codex home holds the thread. */
        CODEX,
        /**
         * Stored with the agent ({@code agents.read_env}, together with every {@link #TRANSCRIPT} variable), so that
         * an agent that has exited is still read.
         */
        KEPT
    }

    private final String meaning;
    private final Set<Use> uses;

    AgentEnv(String meaning, Use first, Use... more) {
        this.meaning = meaning;
        this.uses = EnumSet.of(first, more);
    }

    /** What the variable is, in one line. */
    public String meaning() {
        return meaning;
    }

    public Set<Use> uses() {
        return Set.copyOf(uses);
    }

    /** Its value in {@code env}, or null. */
    public String in(Map<String, String> env) {
        return env.get(name());
    }

    /**
     * Whether it says something about the agent session it was set for (its client, session, terminal, transcripts),
     * rather than about the user ({@code HOME}, {@code PATH}): a process that is nobody's agent (the hub) drops these.
     */
    public boolean describesTheAgent() {
        return this != HOME && this != PATH;
    }

    /** Whether {@code env} has it. */
    public boolean isIn(Map<String, String> env) {
        return env.containsKey(name());
    }

    /** Whether the hub stores it with the agent: transcript locations and the tmux server. */
    public boolean kept() {
        return uses.contains(Use.TRANSCRIPT) || uses.contains(Use.KEPT);
    }

    /** The variables of {@code env} a front forwards, in the allowlist's order. */
    public static Map<String, String> forwarded(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (AgentEnv v : values()) {
            String value = env.get(v.name());
            if (value != null) out.put(v.name(), value);
        }
        return out;
    }

    /** The variables of {@code env} that are used for {@code use}. */
    public static Map<String, String> usedFor(Use use, Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        forwarded(env).forEach((k, v) -> {
            if (valueOf(k).uses.contains(use)) out.put(k, v);
        });
        return out;
    }

    /** The variables of {@code env} the hub keeps with the agent ({@link #kept()}). */
    public static Map<String, String> kept(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        forwarded(env).forEach((k, v) -> {
            if (valueOf(k).kept()) out.put(k, v);
        });
        return out;
    }
}
