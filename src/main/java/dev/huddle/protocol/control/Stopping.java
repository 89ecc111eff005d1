package dev.huddle.protocol.control;

/** The reply to {@code stop}. */
public record Stopping(boolean stopping) {}
