package dev.huddle.terminal;

import dev.huddle.protocol.AgentEnv;

import java.util.Map;

/**
 * Picks the waker for a target's terminal: tmux when the registry located the agent in tmux (verified or
 * reported) or its environment names a tmux server, else the terminal the registry recorded. The tmux waker
 * proves the pane itself, so a reported tmux location is only the reason to try.
 */
public final class TerminalWakers implements TerminalWaker {
    private final TerminalWaker tmux;
    private final Map<String, TerminalWaker> others;

    public TerminalWakers(TerminalWaker tmux, TerminalWaker wezterm, TerminalWaker kitty, TerminalWaker screen) {
        this.tmux = tmux;
        this.others = Map.of(WezTermWaker.ROUTE, wezterm, KittyWaker.ROUTE, kitty, ScreenWaker.ROUTE, screen);
    }

    public static TerminalWakers system() {
        return new TerminalWakers(new TmuxWaker(), new WezTermWaker(), new KittyWaker(), new ScreenWaker());
    }

    @Override
    public WakeAttempt wake(TerminalTarget target, String text) {
        if (target.terminal().isTmux() || AgentEnv.TMUX.isIn(target.terminalEnv())) return tmux.wake(target, text);
        TerminalWaker other = others.get(target.terminal().kind());
        if (other != null) return other.wake(target, text);
        return WakeAttempt.noRoute("none", "no terminal route: the agent's terminal is " + target.terminal().kind()
                + " (huddle types into tmux, WezTerm, kitty and GNU screen)");
    }
}
