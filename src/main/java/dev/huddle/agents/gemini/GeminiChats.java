package dev.huddle.agents.gemini;

import dev.huddle.agents.transcript.TranscriptFiles;
import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.agents.transcript.TranscriptJson;
import dev.huddle.core.identity.Handles;
import dev.huddle.protocol.AgentEnv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gemini CLI's chats ({@link GeminiChat} reads them): {@code <GEMINI_CLI_HOME or ~>/.gemini/tmp/<project>/chats/session-<time>-<first 8 of id>.jsonl}
 * (or {@code .json}), the project being the short id {@code projects.json} gives the working directory, the directory
 * whose {@code .project_root} names it, or (older versions) its SHA-256; then every project.
 */
public final class GeminiChats {
    /** The format, for {@code AgentClient.transcript()}. */
    public static final TranscriptFormat FORMAT = new TranscriptFormat(
            "gemini", GeminiChat::tail, GeminiChat::readAll, GeminiChats::locate, GeminiChats::roots);

    private GeminiChats() {}

    /** Where Gemini CLI keeps chats: {@code <GEMINI_CLI_HOME or ~>/.gemini/tmp}. */
    static List<Path> roots(Map<String, String> env) {
        return List.of(tmp(env));
    }

    private static Path tmp(Map<String, String> env) {
        return TranscriptFiles.dirFrom(env, AgentEnv.GEMINI_CLI_HOME, TranscriptFiles.home(env)).resolve(".gemini").resolve("tmp");
    }

    /** The session's file by Gemini CLI's naming rule (the class comment). */
    static Optional<Path> locate(String sid, String cwd, Map<String, String> env, List<String> looked) {
        Path tmp = tmp(env);
        String shortId = sid.length() >= 8 ? sid.substring(0, 8) : sid;
        Set<Path> projectDirs = new LinkedHashSet<>();
        if (cwd != null && cwd.startsWith("/")) {
            registrySlug(tmp.getParent().resolve("projects.json"), cwd).ifPresent(slug -> projectDirs.add(tmp.resolve(slug)));
            TranscriptFiles.firstChild(tmp, d -> true, d -> d.resolve(".project_root"), f -> readsAs(f, cwd))
                    .ifPresent(f -> projectDirs.add(f.getParent()));
            projectDirs.add(tmp.resolve(Handles.sha256Hex(cwd)));
        }
        for (Path dir : projectDirs) {
            Optional<Path> p = chat(dir.resolve("chats"), sid, shortId);
            if (p.isPresent()) return p;
            looked.add(dir.resolve("chats").resolve("session-*-" + shortId + ".jsonl").toString());
        }
        Optional<Path> anywhere = Optional.empty();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp)) {
            int n = 0;
            for (Path d : dirs) {
                if (++n > TranscriptFiles.MAX_SCAN_ENTRIES) break;
                if (projectDirs.contains(d) || !Files.isDirectory(d)) continue;
                anywhere = chat(d.resolve("chats"), sid, shortId);
                if (anywhere.isPresent()) break;
            }
        } catch (IOException | UncheckedIOException e) {
            // no Gemini directory
        }
        if (anywhere.isEmpty()) looked.add(tmp.resolve("*/chats/session-*-" + shortId + ".jsonl").toString());
        return anywhere;
    }

    /** The chat file of this session in a chats directory; of several with the same 8-character prefix, the one whose metadata names it. */
    private static Optional<Path> chat(Path chats, String sid, String shortId) {
        if (!Files.isDirectory(chats)) return Optional.empty();
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(chats, "session-*-" + shortId + ".{jsonl,json}")) {
            for (Path p : s) if (Files.isRegularFile(p)) candidates.add(p);
        } catch (IOException e) {
            return Optional.empty();
        }
        candidates.sort((a, b) -> a.toString().endsWith(".jsonl") == b.toString().endsWith(".jsonl") ? b.compareTo(a)
                : a.toString().endsWith(".jsonl") ? -1 : 1);
        if (candidates.size() <= 1) return candidates.stream().findFirst();
        for (Path p : candidates) if (firstLineNames(p, sid)) return Optional.of(p);
        return candidates.stream().findFirst();
    }

    private static boolean firstLineNames(Path p, String sid) {
        try (var in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(8192);
            String s = new String(head, StandardCharsets.UTF_8);
            return s.contains("\"sessionId\":\"" + sid + "\"") || s.contains("\"sessionId\": \"" + sid + "\"");
        } catch (IOException e) {
            return false;
        }
    }

    /** The short id {@code ~/.gemini/projects.json} gives a project path ({@code {"projects": {path: id}}}). */
    private static Optional<String> registrySlug(Path registry, String cwd) {
        try {
            if (!Files.isRegularFile(registry) || Files.size(registry) > (4 << 20)) return Optional.empty();
            var n = TranscriptJson.object(Files.readString(registry));
            var projects = n == null ? null : n.get("projects");
            String slug = projects == null ? null : TranscriptJson.str(projects, Path.of(cwd).normalize().toString());
            return slug == null || slug.contains("/") || slug.contains("..") || slug.isBlank() ? Optional.empty() : Optional.of(slug);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean readsAs(Path marker, String cwd) {
        try {
            return Files.isRegularFile(marker) && Files.size(marker) < 8192
                    && Path.of(Files.readString(marker).strip()).normalize().equals(Path.of(cwd).normalize());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

}
