package dev.huddle.agents.codex;

import dev.huddle.agents.transcript.TranscriptFiles;
import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.protocol.AgentEnv;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Codex's rollouts ({@link CodexRollout} reads them): {@code <CODEX_HOME or ~/.codex>/sessions/YYYY/MM/DD/rollout-<time>-<thread>.jsonl}
 * on whatever day the session started: the day its UUIDv7 thread id encodes first (either time zone, a day either
 * side), then every day, newest first; then {@code archived_sessions/}.
 */
public final class CodexRollouts {
    /** The format, for {@code AgentClient.transcript()}. */
    public static final TranscriptFormat FORMAT = new TranscriptFormat(
            "codex", CodexRollout::tail, CodexRollout::readAll, CodexRollouts::locate, CodexRollouts::roots);

    private CodexRollouts() {}

    /** Where Codex keeps rollouts: {@code <CODEX_HOME or ~/.codex>/sessions} and {@code archived_sessions}. */
    static List<Path> roots(Map<String, String> env) {
        Path codexHome = codexHome(env);
        return List.of(codexHome.resolve("sessions"), codexHome.resolve("archived_sessions"));
    }

    private static Path codexHome(Map<String, String> env) {
        return TranscriptFiles.dirFrom(env, AgentEnv.CODEX_HOME, TranscriptFiles.home(env).resolve(".codex"));
    }

    /** The session's file by Codex's naming rule (the class comment). */
    static Optional<Path> locate(String thread, String cwd, Map<String, String> env, List<String> looked) {
        Path codexHome = codexHome(env);
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
            Optional<Path> p = TranscriptFiles.match(dayDir(sessions, d), glob);
            if (p.isPresent()) return p;
        }
        // Any day: directories newest first (names are zero-padded numbers, so names sort as dates).
        int visited = 0;
        for (Path year : TranscriptFiles.childrenDescending(sessions)) {
            for (Path month : TranscriptFiles.childrenDescending(year)) {
                for (Path day : TranscriptFiles.childrenDescending(month)) {
                    if (++visited > TranscriptFiles.MAX_SCAN_ENTRIES) break;
                    Optional<Path> p = TranscriptFiles.match(day, glob);
                    if (p.isPresent()) return p;
                }
            }
        }
        looked.add(sessions.resolve("YYYY/MM/DD").resolve(glob) + " (every day)");
        Path archived = codexHome.resolve("archived_sessions");
        Optional<Path> p = TranscriptFiles.match(archived, glob);
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
}
