package dev.huddle.agents.transcript;

import dev.huddle.agents.claude.ClaudeTranscript;
import dev.huddle.agents.codex.CodexRollout;
import dev.huddle.agents.gemini.GeminiChat;

import dev.huddle.core.identity.ClientType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The transcript formats huddle reads, one per client. */
public enum TranscriptFormat {
    CLAUDE_CODE("claude-code"),
    CODEX("codex"),
    GEMINI("gemini");

    private final String wireName;

    TranscriptFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The format a client writes, or null for a client whose transcripts huddle cannot read. */
    public static TranscriptFormat of(ClientType client) {
        return switch (client) {
            case CLAUDE_CODE -> CLAUDE_CODE;
            case CODEX -> CODEX;
            case GEMINI -> GEMINI;
            case UNKNOWN -> null;
        };
    }

    /** The newest {@code limit} messages, read from the end of the file. */
    public Tail tail(Path file, int limit, boolean includeTools) throws IOException {
        return switch (this) {
            case CLAUDE_CODE -> ClaudeTranscript.tail(file, limit, includeTools);
            case CODEX -> CodexRollout.tail(file, limit, includeTools);
            case GEMINI -> GeminiChat.tail(file, limit, includeTools);
        };
    }

    /** Every message, reading the whole file from its start. */
    public List<TranscriptMessage> readAll(Path file, boolean includeTools) throws IOException {
        return switch (this) {
            case CLAUDE_CODE -> ClaudeTranscript.readAll(file, includeTools);
            case CODEX -> CodexRollout.readAll(file, includeTools);
            case GEMINI -> GeminiChat.readAll(file, includeTools);
        };
    }
}
