package dev.huddle.protocol.tools;

/** One MCP tool's public contract: its name, what it is for, and the JSON Schema of its arguments. */
public record ToolContract(String name, String title, String description, String inputSchema, boolean readOnly) {}
