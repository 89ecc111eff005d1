package dev.huddle.core.identity;

/** How an agent's session id was established. Identity is monotonic: see {@link #mayBeReplacedBy}. */
public enum BindingSource {
    /** No session id yet: the agent is known only by its process. */
    UNBOUND("unbound", "no session id yet"),
    /** The session id the client put in the front's environment (which variable is the client's business). */
    ENV("env", "the session id the client put in the MCP server's environment"),
    /**
     * The session id a tool call's {@code _meta} carries (which key is the client's business); the wire name is the
     * one rows and results have always had.
     */
    TOOL_META("codex_meta", "the session id carried in a tool call's _meta"),
    /** A hook payload's {@code session_id} matched to the agent process. */
    HOOK("hook", "session_id from the client's SessionStart hook, matched by agent process"),
    /** An explicit {@code claim_session}. */
    CLAIM("claim", "explicit claim_session call");

    private final String wireName;
    private final String description;

    BindingSource(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    public String wireName() {
        return wireName;
    }

    public String description() {
        return description;
    }

    public static BindingSource fromWireName(String s) {
        for (BindingSource b : values()) if (b.wireName.equals(s)) return b;
        return UNBOUND;
    }

    /**
     * Whether a binding from {@code incoming} may change an agent whose identity came from this source. Automatic
     * detection only fills an empty identity; an explicit claim always wins; a verified re-bind (a hook reporting
     * {@code /clear} or resume for the same process) is the only automatic change.
     */
    public boolean mayBeReplacedBy(BindingSource incoming, boolean verifiedRebind) {
        if (this == UNBOUND) return incoming != UNBOUND;
        if (incoming == CLAIM) return true;
        return incoming == HOOK && verifiedRebind;
    }
}
