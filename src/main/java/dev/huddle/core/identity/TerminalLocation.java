package dev.huddle.core.identity;

/**
 * Where an agent's terminal is. {@code verified} is true only when the process tree proves that the pane hosts
 * the agent process; a location the agent merely reported (environment) stays unverified and is never used for
 * keystrokes.
 */
public record TerminalLocation(String kind, String session, String pane, String window, boolean verified) {
    public static final TerminalLocation NONE = new TerminalLocation("none", null, null, null, false);

    public boolean isTmux() {
        return "tmux".equals(kind);
    }

    /** A short human label such as {@code tmux dev:%3} or {@code wezterm pane 4 (reported)}. */
    public String label() {
        return switch (kind) {
            case "none" -> "-";
            case "tmux" -> "tmux " + (session == null ? "?" : session) + ":" + (pane == null ? "?" : pane)
                    + (verified ? "" : " (reported)");
            default -> kind + (pane == null ? "" : " " + pane) + (verified ? "" : " (reported)");
        };
    }
}
