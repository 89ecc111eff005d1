package dev.huddle.protocol.cockpit;

/**
 * Where an agent runs (tmux, WezTerm, ...); {@code verified}: the process tree proved it; {@code past} (true, else
 * absent): the agent is offline and this is where it last ran (never verified, labelled {@code was …}).
 */
public record TerminalRef(String kind, String session, String pane, boolean verified, String label, Boolean past) {}
