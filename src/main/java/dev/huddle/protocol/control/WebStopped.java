package dev.huddle.protocol.control;

/** The reply to {@code web_stop}: false when no web cockpit ran. */
public record WebStopped(boolean stopped) {}
