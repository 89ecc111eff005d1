package dev.huddle.core.identity;

/**
 * The kind of agent client on the other end of a front, as huddle names it in results and rows. How each one is
 * recognised is its own package's business ({@code dev.huddle.agents.AgentClients#detect}).
 */
public enum ClientType {
    CLAUDE_CODE("claude-code"),
    CODEX("codex"),
    GEMINI("gemini"),
    UNKNOWN("unknown");

    private final String wireName;

    ClientType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ClientType fromWireName(String name) {
        for (ClientType t : values()) if (t.wireName.equals(name)) return t;
        return UNKNOWN;
    }
}
