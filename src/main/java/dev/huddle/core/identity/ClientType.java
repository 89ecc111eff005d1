package dev.huddle.core.identity;

import java.util.Locale;
import java.util.Map;

/** The kind of agent client on the other end of a front, as huddle names it in results. */
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

    /**
     * Detects the client: the MCP {@code clientInfo.name} from {@code initialize} wins ("claude-code",
     * "codex-mcp-client", "gemini-cli-mcp-client"); otherwise the environment the agent gave its front.
     */
    public static ClientType detect(String clientInfoName, Map<String, String> env) {
        if (clientInfoName != null) {
            String n = clientInfoName.toLowerCase(Locale.ROOT);
            if (n.contains("claude")) return CLAUDE_CODE;
            if (n.contains("codex")) return CODEX;
            if (n.contains("gemini")) return GEMINI;
        }
        if ("1".equals(env.get("CLAUDECODE")) || env.containsKey("CLAUDE_CODE_SESSION_ID")) return CLAUDE_CODE;
        if (env.containsKey("CODEX_HOME") || env.containsKey("CODEX_THREAD_ID")) return CODEX;
        if (env.containsKey("GEMINI_CLI") || env.containsKey("GEMINI_SESSION_ID")) return GEMINI;
        return UNKNOWN;
    }
}
