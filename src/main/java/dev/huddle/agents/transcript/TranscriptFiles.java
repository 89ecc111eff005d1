package dev.huddle.agents.transcript;

import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.AgentEnv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The directory look-ups the clients' transcript naming rules share; bounded, and quiet about unreadable places. */
public final class TranscriptFiles {
    /** A scan of a directory's entries stops after this many. */
    public static final int MAX_SCAN_ENTRIES = 20_000;

    private TranscriptFiles() {}

    /** The agent's {@code HOME}, else the hub's. */
    public static Path home(Map<String, String> env) {
        String h = AgentEnv.HOME.in(env);
        return h != null ? HubPaths.userHome(Map.of(AgentEnv.HOME.name(), h)) : HubPaths.userHome(Map.of());
    }

    /** The absolute directory {@code variable} names, else {@code otherwise}. */
    public static Path dirFrom(Map<String, String> env, AgentEnv variable, Path otherwise) {
        String v = variable.in(env);
        return v != null && v.startsWith("/") ? Path.of(v) : otherwise;
    }

    /** The first regular file in {@code dir} whose name matches {@code glob}. */
    public static Optional<Path> match(Path dir, String glob) {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            for (Path p : s) if (Files.isRegularFile(p)) return Optional.of(p);
        } catch (IOException e) {
            // unreadable: not here
        }
        return Optional.empty();
    }

    /** The subdirectories of {@code dir}, names in descending order. */
    public static List<Path> childrenDescending(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()))
                    .limit(MAX_SCAN_ENTRIES).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** The first regular {@code file(child)} for the children of {@code dir} that pass {@code dirFilter}. */
    public static Optional<Path> firstChild(Path dir, Predicate<Path> dirFilter, Function<Path, Path> file) {
        return firstChild(dir, dirFilter, file, Files::isRegularFile);
    }

    /** The first {@code file(child)} that passes {@code accept}, for the children of {@code dir} that pass {@code dirFilter}. */
    public static Optional<Path> firstChild(Path dir, Predicate<Path> dirFilter, Function<Path, Path> file, Predicate<Path> accept) {
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
