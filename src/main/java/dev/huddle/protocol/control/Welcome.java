package dev.huddle.protocol.control;

/** The hub's answer to a front's hello: after it, the connection carries MCP. */
public record Welcome(boolean ok, String hubVersion, String hubBuild, long hubPid) {}
