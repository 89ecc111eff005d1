package dev.huddle.agents.claude;

import dev.huddle.agents.transcript.TranscriptFiles;
import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.protocol.AgentEnv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Claude Code's transcripts ({@link ClaudeTranscript} reads them): {@code <CLAUDE_CONFIG_DIR or ~/.claude>/projects/<cwd
 * with every character but ASCII letters and digits replaced by '-'>/<session>.jsonl}; a name longer than 200
 * characters is cut to 200 and followed by {@code -<hash>} (the hash depends on the runtime, so the directory is found
 * by its prefix); {@code CLAUDE_CODE_PROJECT_DIR_NAME} pins the name; as a last resort every project directory is
 * looked in.
 */
public final class ClaudeTranscripts {
    /** The format, for {@code AgentClient.transcript()}. */
    public static final TranscriptFormat FORMAT = new TranscriptFormat(
            "claude-code", ClaudeTranscript::tail, ClaudeTranscript::readAll, ClaudeTranscripts::locate, ClaudeTranscripts::roots);

    static final int MAX_NAME = 200;

    private ClaudeTranscripts() {}

    /** Where Claude Code keeps transcripts: {@code <CLAUDE_CONFIG_DIR or ~/.claude>/projects}. */
    static List<Path> roots(Map<String, String> env) {
        return List.of(projects(env));
    }

    private static Path projects(Map<String, String> env) {
        return TranscriptFiles.dirFrom(env, AgentEnv.CLAUDE_CONFIG_DIR, TranscriptFiles.home(env).resolve(".claude")).resolve("projects");
    }

    /** The session's file by Claude Code's naming rule (the class comment). */
    static Optional<Path> locate(String sid, String cwd, Map<String, String> env, List<String> looked) {
        Path projects = projects(env);
        String file = sid + ".jsonl";
        String pinned = AgentEnv.CLAUDE_CODE_PROJECT_DIR_NAME.in(env);
        if (pinned != null && !pinned.isBlank() && !pinned.contains("/") && !pinned.contains("..")) {
            Path p = projects.resolve(pinned).resolve(file);
            if (Files.isRegularFile(p)) return Optional.of(p);
            looked.add(p + " (CLAUDE_CODE_PROJECT_DIR_NAME)");
        }
        if (cwd != null && cwd.startsWith("/")) {
            String name = projectName(cwd);
            if (name.length() <= MAX_NAME) {
                Path p = projects.resolve(name).resolve(file);
                if (Files.isRegularFile(p)) return Optional.of(p);
                looked.add(p.toString());
            } else {
                String prefix = name.substring(0, MAX_NAME) + "-";
                Path p = projects.resolve(prefix + nodeHash(cwd)).resolve(file);
                if (Files.isRegularFile(p)) return Optional.of(p);
                Optional<Path> byPrefix = TranscriptFiles.firstChild(projects, d -> d.getFileName().toString().startsWith(prefix), d -> d.resolve(file));
                if (byPrefix.isPresent()) return byPrefix;
                looked.add(projects.resolve(prefix + "<hash>").resolve(file) + " (the name is over " + MAX_NAME + " characters)");
            }
        }
        Optional<Path> anywhere = TranscriptFiles.firstChild(projects, d -> true, d -> d.resolve(file));
        if (anywhere.isEmpty()) looked.add(projects.resolve("*").resolve(file).toString());
        return anywhere;
    }

    /** The project directory name Claude Code derives from a working directory (JavaScript: one '-' per UTF-16 unit). */
    public static String projectName(String cwd) {
        StringBuilder b = new StringBuilder(cwd.length());
        for (int i = 0; i < cwd.length(); i++) {
            char c = cwd.charAt(i);
            b.append(c < 128 && Character.isLetterOrDigit(c) ? c : '-');
        }
        return b.toString();
    }

    /** The hash Claude Code appends to a cut name when it runs on Node (djb2, base 36); on Bun it uses another. */
    static String nodeHash(String cwd) {
        int hash = 0;
        for (int i = 0; i < cwd.length(); i++) hash = (hash << 5) - hash + cwd.charAt(i);
        return Long.toString(Math.abs((long) hash), 36);
    }
}
