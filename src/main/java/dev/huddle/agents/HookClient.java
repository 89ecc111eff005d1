package dev.huddle.agents;

import dev.huddle.core.identity.ClientType;

import java.util.Locale;
import java.util.Optional;

/** The clients huddle installs hooks into, by the short name used in hook URLs and on the command line. */
public enum HookClient {
    CLAUDE("claude", ClientType.CLAUDE_CODE),
    CODEX("codex", ClientType.CODEX),
    GEMINI("gemini", ClientType.GEMINI);

    private final String id;
    private final ClientType clientType;

    HookClient(String id, ClientType clientType) {
        this.id = id;
        this.clientType = clientType;
    }

    public String id() {
        return id;
    }

    public ClientType clientType() {
        return clientType;
    }

    public static Optional<HookClient> byId(String id) {
        if (id == null) return Optional.empty();
        String s = id.toLowerCase(Locale.ROOT);
        for (HookClient c : values()) if (c.id.equals(s)) return Optional.of(c);
        return Optional.empty();
    }
}
