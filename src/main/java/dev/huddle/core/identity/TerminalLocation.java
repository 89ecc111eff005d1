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
        return "none".equals(kind) ? "-" : place() + (verified ? "" : " (reported)");
    }

    /**
     * The label for an agent that is {@code online}, or else where it last ran: {@code was tmux dev:%3}. An offline
     * agent's terminal is history, not a place: its tmux server may be gone, and a new one reuses pane ids.
     */
    public String label(boolean online) {
        return online || "none".equals(kind) ? label() : "was " + place();
    }

    /** Whether to show it as proven: only while the agent runs (the proof is about a live process in a live pane). */
    public boolean verified(boolean online) {
        return online && verified;
    }

    private String place() {
        return switch (kind) {
            case "tmux" -> "tmux " + (session == null ? "?" : session) + ":" + (pane == null ? "?" : pane);
            default -> kind + (pane == null ? "" : " " + pane);
        };
    }
}
