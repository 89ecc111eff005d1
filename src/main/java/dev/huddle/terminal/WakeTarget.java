package dev.huddle.terminal;

import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.identity.TerminalLocation;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whom to wake: the agent process (pid + start time), its client (decides the submit recipe), the terminal the
 * registry recorded, and the terminal variables from the agent's environment ({@code TMUX} names the tmux server;
 * {@code KITTY_LISTEN_ON}, {@code STY}, {@code WINDOW} and {@code WEZTERM_*} address the other terminals). The
 * recorded terminal is a hint only: a waker proves the pane again before it types.
 */
public record WakeTarget(AgentProcess agent, ClientType client, TerminalLocation terminal, Map<String, String> terminalEnv) {
    /** The environment variables a waker may read; everything else in the agent's environment is dropped. */
    public static final Set<String> TERMINAL_ENV_KEYS = Set.of("TMUX", "TMUX_PANE", "WEZTERM_PANE", "WEZTERM_UNIX_SOCKET",
            "KITTY_WINDOW_ID", "KITTY_LISTEN_ON", "STY", "WINDOW");

    public WakeTarget {
        if (agent == null) throw new IllegalArgumentException("agent process required");
        client = client == null ? ClientType.UNKNOWN : client;
        terminal = terminal == null ? TerminalLocation.NONE : terminal;
        Map<String, String> kept = new TreeMap<>();
        if (terminalEnv != null) terminalEnv.forEach((k, v) -> {
            if (k != null && v != null && TERMINAL_ENV_KEYS.contains(k)) kept.put(k, v);
        });
        terminalEnv = Map.copyOf(kept);
    }

    public WakeTarget(AgentProcess agent, ClientType client, TerminalLocation terminal) {
        this(agent, client, terminal, Map.of());
    }

    String env(String key) {
        return terminalEnv.get(key);
    }
}
