package dev.huddle.protocol.control;

/** The reply to {@code ping}. */
public record Pong(boolean pong) {}
