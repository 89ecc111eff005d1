package dev.huddle.agents.transcript;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a session's transcript file is. The path the client's hooks reported comes first (every hook payload has
 * {@code transcript_path}); without hooks it is computed the way the client names its files
 * ({@link TranscriptFormat#locate}). The environment is the agent's own where known; the caller falls back to its own.
 */
public final class TranscriptLocator {
    private TranscriptLocator() {}

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /**
     * @param file   the transcript
     * @param source {@code reported} (by the client's hooks) or {@code computed}
     */
    public record Found(Path file, String source) {}

    /** @param looked where it was looked for, for the error a caller shows when nothing was found */
    public record Result(Optional<Found> found, List<String> looked) {}

    /** @param format the client's transcript format; null for a client huddle does not know */
    public static Result locate(TranscriptFormat format, String sessionId, String cwd, String reportedPath, Map<String, String> env) {
        List<String> looked = new ArrayList<>();
        if (reportedPath != null && !reportedPath.isBlank()) {
            Path p = Path.of(reportedPath);
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (p.isAbsolute() && (name.endsWith(".jsonl") || name.endsWith(".json")) && Files.isRegularFile(p)) {
                return new Result(Optional.of(new Found(p, "reported")), looked);
            }
            looked.add(reportedPath + " (reported by the hooks: " + (Files.exists(p) ? "not a transcript file" : "gone") + ")");
        }
        if (sessionId == null || !SAFE_ID.matcher(sessionId).matches() || sessionId.contains("..")) {
            looked.add("no session id to compute a path from");
            return new Result(Optional.empty(), looked);
        }
        if (format == null) {
            looked.add("the client is unknown, so its transcript format is too");
            return new Result(Optional.empty(), looked);
        }
        return new Result(format.locate(sessionId, cwd, env, looked).map(p -> new Found(p, "computed")), looked);
    }
}
