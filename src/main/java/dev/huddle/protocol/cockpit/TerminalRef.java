package dev.huddle.protocol.cockpit;

/** Where an agent runs (tmux, WezTerm, ...); {@code verified}: the process tree proved it. */
public record TerminalRef(String kind, String session, String pane, boolean verified, String label) {}
