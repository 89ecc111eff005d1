package dev.huddle.agents.transcript;

import dev.huddle.core.identity.ClientType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a session's transcript file is. The path the client's hooks reported comes first (every hook payload has
 * {@code transcript_path}); without hooks it is computed the way each client names its files:
 * <ul>
 *   <li>Claude Code: {@code <CLAUDE_CONFIG_DIR or ~/.claude>/projects/<cwd with every character but ASCII letters
 *       and digits replaced by '-'>/<session>.jsonl}; a name longer than 200 characters is cut to 200 and followed
 *       by {@code -<hash>} (the hash depends on the runtime, so the directory is found by its prefix);
 *       {@code CLAUDE_CODE_PROJECT_DIR_NAME} pins the name; as a last resort every project directory is looked in;</li>
 *   <li>Codex: {@code <CODEX_HOME or ~/.codex>/sessions/YYYY/MM/DD/rollout-<time>-<thread>.jsonl} on whatever day the
 *       session started: the day its UUIDv7 thread id encodes first (either time zone, a day either side), then
 *       every day, newest first; then {@code archived_sessions/};</li>
 *   <li>Gemini CLI: {@code <GEMINI_CLI_HOME or ~>/.gemini/tmp/<project>/chats/session-<time>-<first 8 of id>.jsonl}
 *       (or {@code .json}), the project being the short id {@code projects.json} gives the working directory, the
 *       directory whose {@code .project_root} names it, or (older versions) its SHA-256; then every project.</li>
 * </ul>
 * The environment is the agent's own where known ({@code HOME}, {@code CLAUDE_CONFIG_DIR}, {@code CODEX_HOME},
 * {@code GEMINI_CLI_HOME}); the caller falls back to its own.
 */
public final class TranscriptLocator {
    private TranscriptLocator() {}

    /** The variables that decide where clients keep their sessions. */
    public static final Set<String> ENV_KEYS = Set.of("HOME", "CLAUDE_CONFIG_DIR", "CLAUDE_CODE_PROJECT_DIR_NAME",
            "CODEX_HOME", "GEMINI_CLI_HOME");
    static final int CLAUDE_MAX_NAME = 200;
    /** A scan of every project directory stops after this many entries. */
    static final int MAX_SCAN_ENTRIES = 20_000;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /**
     * @param file   the transcript
     * @param source {@code reported} (by the client's hooks) or {@code computed}
     */
    public record Found(Path file, String source) {}

    /** @param looked where it was looked for, for the error a caller shows when nothing was found */
    public record Result(Optional<Found> found, List<String> looked) {}

    public static Result locate(ClientType client, String sessionId, String cwd, String reportedPath, Map<String, String> env) {
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
        Optional<Path> computed = switch (client) {
            case CLAUDE_CODE -> claude(sessionId, cwd, env, looked);
            case CODEX -> codex(sessionId, env, looked);
            case GEMINI -> gemini(sessionId, cwd, env, looked);
            case UNKNOWN -> {
                looked.add("the client is unknown, so its transcript format is too");
                yield Optional.empty();
            }
        };
        return new Result(computed.map(p -> new Found(p, "computed")), looked);
    }

    static Path home(Map<String, String> env) {
        String h = env.get("HOME");
        return h != null && h.startsWith("/") ? Path.of(h) : Path.of(System.getProperty("user.home"));
    }

    private static Path dirFrom(Map<String, String> env, String key, Path otherwise) {
        String v = env.get(key);
        return v != null && v.startsWith("/") ? Path.of(v) : otherwise;
    }

    // ---- Claude Code ----

    /** The project directory name Claude Code derives from a working directory (JavaScript: one '-' per UTF-16 unit). */
    public static String claudeProjectName(String cwd) {
        StringBuilder b = new StringBuilder(cwd.length());
        for (int i = 0; i < cwd.length(); i++) {
            char c = cwd.charAt(i);
            b.append(c < 128 && Character.isLetterOrDigit(c) ? c : '-');
        }
        return b.toString();
    }

    /** The hash Claude Code appends to a cut name when it runs on Node (djb2, base 36); on Bun it uses another. */
    static String claudeNodeHash(String cwd) {
        int hash = 0;
        for (int i = 0; i < cwd.length(); i++) hash = (hash << 5) - hash + cwd.charAt(i);
        return Long.toString(Math.abs((long) hash), 36);
    }

    private static Optional<Path> claude(String sid, String cwd, Map<String, String> env, List<String> looked) {
        Path config = dirFrom(env, "CLAUDE_CONFIG_DIR", home(env).resolve(".claude"));
        Path projects = config.resolve("projects");
        String file = sid + ".jsonl";
        String pinned = env.get("CLAUDE_CODE_PROJECT_DIR_NAME");
        if (pinned != null && !pinned.isBlank() && !pinned.contains("/") && !pinned.contains("..")) {
            Path p = projects.resolve(pinned).resolve(file);
            if (Files.isRegularFile(p)) return Optional.of(p);
            looked.add(p + " (CLAUDE_CODE_PROJECT_DIR_NAME)");
        }
        if (cwd != null && cwd.startsWith("/")) {
            String name = claudeProjectName(cwd);
            if (name.length() <= CLAUDE_MAX_NAME) {
                Path p = projects.resolve(name).resolve(file);
                if (Files.isRegularFile(p)) return Optional.of(p);
                looked.add(p.toString());
            } else {
                String prefix = name.substring(0, CLAUDE_MAX_NAME) + "-";
                Path p = projects.resolve(prefix + claudeNodeHash(cwd)).resolve(file);
                if (Files.isRegularFile(p)) return Optional.of(p);
                Optional<Path> byPrefix = firstChild(projects, d -> d.getFileName().toString().startsWith(prefix), d -> d.resolve(file));
                if (byPrefix.isPresent()) return byPrefix;
                looked.add(projects.resolve(prefix + "<hash>").resolve(file) + " (the name is over " + CLAUDE_MAX_NAME + " characters)");
            }
        }
        Optional<Path> anywhere = firstChild(projects, d -> true, d -> d.resolve(file));
        if (anywhere.isEmpty()) looked.add(projects.resolve("*").resolve(file).toString());
        return anywhere;
    }

    // ---- Codex ----

    private static Optional<Path> codex(String thread, Map<String, String> env, List<String> looked) {
        Path codexHome = dirFrom(env, "CODEX_HOME", home(env).resolve(".codex"));
        Path sessions = codexHome.resolve("sessions");
        String glob = "rollout-*-" + thread + ".jsonl";
        Set<LocalDate> likely = new LinkedHashSet<>();
        uuidV7Time(thread).ifPresent(t -> {
            for (ZoneId z : List.of(ZoneId.systemDefault(), ZoneOffset.UTC)) {
                LocalDate d = t.atZone(z).toLocalDate();
                likely.add(d);
                likely.add(d.minusDays(1));
                likely.add(d.plusDays(1));
            }
        });
        for (LocalDate d : likely) {
            Optional<Path> p = match(dayDir(sessions, d), glob);
            if (p.isPresent()) return p;
        }
        // Any day: directories newest first (names are zero-padded numbers, so names sort as dates).
        int visited = 0;
        for (Path year : childrenDescending(sessions)) {
            for (Path month : childrenDescending(year)) {
                for (Path day : childrenDescending(month)) {
                    if (++visited > MAX_SCAN_ENTRIES) break;
                    Optional<Path> p = match(day, glob);
                    if (p.isPresent()) return p;
                }
            }
        }
        looked.add(sessions.resolve("YYYY/MM/DD").resolve(glob) + " (every day)");
        Path archived = codexHome.resolve("archived_sessions");
        Optional<Path> p = match(archived, glob);
        if (p.isEmpty()) looked.add(archived.resolve(glob).toString());
        return p;
    }

    private static Path dayDir(Path sessions, LocalDate d) {
        return sessions.resolve(String.format("%04d", d.getYear())).resolve(String.format("%02d", d.getMonthValue()))
                .resolve(String.format("%02d", d.getDayOfMonth()));
    }

    /** The time a version-7 UUID carries in its first 48 bits. */
    static Optional<Instant> uuidV7Time(String id) {
        try {
            UUID u = UUID.fromString(id);
            if (u.version() != 7) return Optional.empty();
            return Optional.of(Instant.ofEpochMilli(u.getMostSignificantBits() >>> 16));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // ---- Gemini ----

    private static Optional<Path> gemini(String sid, String cwd, Map<String, String> env, List<String> looked) {
        Path tmp = dirFrom(env, "GEMINI_CLI_HOME", home(env)).resolve(".gemini").resolve("tmp");
        String shortId = sid.length() >= 8 ? sid.substring(0, 8) : sid;
        Set<Path> projectDirs = new LinkedHashSet<>();
        if (cwd != null && cwd.startsWith("/")) {
            registrySlug(tmp.getParent().resolve("projects.json"), cwd).ifPresent(slug -> projectDirs.add(tmp.resolve(slug)));
            firstChild(tmp, d -> true, d -> d.resolve(".project_root"), f -> readsAs(f, cwd)).ifPresent(f -> projectDirs.add(f.getParent()));
            projectDirs.add(tmp.resolve(sha256(cwd)));
        }
        for (Path dir : projectDirs) {
            Optional<Path> p = geminiChat(dir.resolve("chats"), sid, shortId);
            if (p.isPresent()) return p;
            looked.add(dir.resolve("chats").resolve("session-*-" + shortId + ".jsonl").toString());
        }
        Optional<Path> anywhere = Optional.empty();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp)) {
            int n = 0;
            for (Path d : dirs) {
                if (++n > MAX_SCAN_ENTRIES) break;
                if (projectDirs.contains(d) || !Files.isDirectory(d)) continue;
                anywhere = geminiChat(d.resolve("chats"), sid, shortId);
                if (anywhere.isPresent()) break;
            }
        } catch (IOException | UncheckedIOException e) {
            // no Gemini directory
        }
        if (anywhere.isEmpty()) looked.add(tmp.resolve("*/chats/session-*-" + shortId + ".jsonl").toString());
        return anywhere;
    }

    /** The chat file of this session in a chats directory; of several with the same 8-character prefix, the one whose metadata names it. */
    private static Optional<Path> geminiChat(Path chats, String sid, String shortId) {
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

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- directory helpers ----

    private static Optional<Path> match(Path dir, String glob) {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            for (Path p : s) if (Files.isRegularFile(p)) return Optional.of(p);
        } catch (IOException e) {
            // unreadable: not here
        }
        return Optional.empty();
    }

    private static List<Path> childrenDescending(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
                    .limit(MAX_SCAN_ENTRIES).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    private static Optional<Path> firstChild(Path dir, java.util.function.Predicate<Path> dirFilter,
                                             java.util.function.Function<Path, Path> file) {
        return firstChild(dir, dirFilter, file, Files::isRegularFile);
    }

    /** The first {@code file(child)} that passes {@code accept}, for the subdirectories of {@code dir} that pass {@code dirFilter}. */
    private static Optional<Path> firstChild(Path dir, java.util.function.Predicate<Path> dirFilter,
                                             java.util.function.Function<Path, Path> file, java.util.function.Predicate<Path> accept) {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            int n = 0;
            for (Path child : s) {
                if (++n > MAX_SCAN_ENTRIES) break;
                if (!dirFilter.test(child)) continue;
                Path f = file.apply(child);
                if (accept.test(f)) return Optional.of(f);
            }
        } catch (IOException | UncheckedIOException e) {
            // unreadable: not here
        }
        return Optional.empty();
    }
}
