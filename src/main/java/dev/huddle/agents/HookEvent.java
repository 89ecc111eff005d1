package dev.huddle.agents;

/**
 * What a hook event means to huddle, whatever the client calls it. Each client's events map onto these
 * (see {@link HookCatalog}).
 */
public enum HookEvent {
    /** Session began, resumed, was cleared or compacted: bind the session id and transcript path; print nothing. */
    SESSION_START,
    /** The user submitted a prompt: the agent is busy. {@code delivers} says whether messages ride along. */
    PROMPT,
    /**
     * Before a tool call, mid-turn: busy; refuse an edit of a file another agent holds; deliver as additional context
     * where the spec delivers.
     */
    TOOL,
    /**
     * After a tool call: busy; an edit records "being edited" (an implicit claim), a shell command's changes to the
     * working tree are looked for; deliver as additional context where the spec delivers (Gemini AfterTool).
     */
    TOOL_DONE,
    /** The turn ended: deliver as a continuation (block/deny + reason) or mark the agent idle. */
    TURN_END,
    /** The session ended: offline. */
    SESSION_END,
    /**
     * Armed at each turn end (Claude Code {@code Stop}, {@code asyncRewake}): waits in the hub while the agent is idle
     * and answers with its mail when a message should wake it; the hook then exits 2 and Claude Code starts a turn.
     */
    IDLE_WAIT
}
