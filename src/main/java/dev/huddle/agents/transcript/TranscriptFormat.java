package dev.huddle.agents.transcript;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How one client names and writes its transcripts ({@code AgentClient.transcript()}). */
public interface TranscriptFormat {
    /** The format's name in results ({@code claude-code}, {@code codex}, {@code gemini}). */
    String wireName();

    /** The newest {@code limit} messages, read from the end of the file. */
    Tail tail(Path file, int limit, boolean includeTools) throws IOException;

    /** Every message, reading the whole file from its start. */
    List<TranscriptMessage> readAll(Path file, boolean includeTools) throws IOException;

    /**
     * Where the client keeps session {@code sessionId} (a safe id) by its own naming rule, for a session whose hooks
     * reported no path; adds each place it looked in vain to {@code looked}. {@code env} is the agent's environment
     * where known ({@code HOME} and the client's own variables), the hub's otherwise.
     */
    Optional<Path> locate(String sessionId, String cwd, Map<String, String> env, List<String> looked);
}
