package dev.huddle.agents.transcript;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one client names and writes its transcripts ({@code AgentClient.transcript()}): the format's name in results,
 * its readers (the newest messages from the end of a file, or every message from its start), its naming rule, and
 * the directories it writes them under (huddle reads no transcript outside them, whoever reports its path).
 */
public record TranscriptFormat(String wireName, Tailer tailer, WholeReader wholeReader, Naming naming, Roots roots) {

    /** The newest {@code limit} messages, read from the end of the file. */
    public Tail tail(Path file, int limit, boolean includeTools) throws IOException {
        return tailer.tail(file, limit, includeTools);
    }

    /** Every message, reading the whole file from its start. */
    public List<TranscriptMessage> readAll(Path file, boolean includeTools) throws IOException {
        return wholeReader.readAll(file, includeTools);
    }

    /** Where the client keeps the session by its own naming rule ({@link Naming}). */
    public Optional<Path> locate(String sessionId, String cwd, Map<String, String> env, List<String> looked) {
        return naming.locate(sessionId, cwd, env, looked);
    }

    /** The directories the client keeps its transcripts under, for an agent with this environment. */
    public List<Path> roots(Map<String, String> env) {
        return roots.of(env);
    }

    /** Reads the newest messages from the end of a file. */
    @FunctionalInterface
    public interface Tailer {
        Tail tail(Path file, int limit, boolean includeTools) throws IOException;
    }

    /** Reads every message from the start of a file. */
    @FunctionalInterface
    public interface WholeReader {
        List<TranscriptMessage> readAll(Path file, boolean includeTools) throws IOException;
    }

    /**
     * Where the client keeps session {@code sessionId} (a safe id), for a session whose hooks reported no path; adds
     * each place it looked in vain to {@code looked}. {@code env} is the agent's environment where known ({@code HOME}
     * and the client's own variables), the hub's otherwise.
     */
    @FunctionalInterface
    public interface Naming {
        Optional<Path> locate(String sessionId, String cwd, Map<String, String> env, List<String> looked);
    }

    /**
     * The directories a client writes its transcripts under, for an agent whose environment is {@code env} ({@code HOME}
     * and the client's own variables where known, the hub's otherwise).
     */
    @FunctionalInterface
    public interface Roots {
        List<Path> of(Map<String, String> env);
    }
}
