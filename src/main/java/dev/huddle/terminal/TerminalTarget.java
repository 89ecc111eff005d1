package dev.huddle.terminal;

import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.TerminalLocation;
import dev.huddle.protocol.AgentEnv;

import java.util.Map;

/**
 * Whom to wake in a terminal: the agent process (pid + start time), its client's composer (decides the submit
 * recipe), the terminal the registry recorded, and the terminal variables from the agent's environment
 * ({@link AgentEnv.Use#TERMINAL}: {@code TMUX} names the tmux server; {@code KITTY_LISTEN_ON}, {@code STY},
 * {@code WINDOW} and {@code WEZTERM_*} address the other terminals). The recorded terminal is a hint only: a waker
 * proves the pane again before it types.
 */
public record TerminalTarget(AgentProcess agent, Composer composer, TerminalLocation terminal, Map<String, String> terminalEnv) {
    public TerminalTarget {
        if (agent == null) throw new IllegalArgumentException("agent process required");
        composer = composer == null ? Composer.UNKNOWN : composer;
        terminal = terminal == null ? TerminalLocation.NONE : terminal;
        terminalEnv = Map.copyOf(AgentEnv.usedFor(AgentEnv.Use.TERMINAL, terminalEnv == null ? Map.of() : terminalEnv));
    }

    public TerminalTarget(AgentProcess agent, Composer composer, TerminalLocation terminal) {
        this(agent, composer, terminal, Map.of());
    }

    String env(AgentEnv variable) {
        return variable.in(terminalEnv);
    }
}
