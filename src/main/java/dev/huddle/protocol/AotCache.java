package dev.huddle.protocol;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Locates the AOT cache (JEP 483/514) for a role. A cache is only valid for the exact jar and JDK that made it,
 * and a stale one silently serves stale classes, so its name carries the jar's size and mtime and the JDK
 * version: {@code <role>-<size>-<mtime seconds>-<java.version>.aot}, in {@code $HUDDLE_AOT_DIR} or
 * {@code <jar dir>/aot}. The launcher computes the same name in sh.
 */
public final class AotCache {
    private AotCache() {}

    public static boolean enabled(Map<String, String> env) {
        return !"off".equalsIgnoreCase(env.getOrDefault("HUDDLE_AOT", "on"));
    }

    public static Path directory(Path jar, Map<String, String> env) {
        String dir = env.get("HUDDLE_AOT_DIR");
        if (dir != null && !dir.isBlank()) return Path.of(dir);
        return jar.toAbsolutePath().getParent().resolve("aot");
    }

    public static String key(Path jar, String javaVersion) throws IOException {
        long size = Files.size(jar);
        long mtime = Files.getLastModifiedTime(jar).toMillis() / 1000;
        return size + "-" + mtime + "-" + javaVersion;
    }

    public static Path file(Path jar, Map<String, String> env, String role) throws IOException {
        return directory(jar, env).resolve(role + "-" + key(jar, System.getProperty("java.version")) + ".aot");
    }

    /** The cache for {@code role} when it exists for this exact jar and JDK. */
    public static Optional<Path> existing(Path jar, Map<String, String> env, String role) {
        if (!enabled(env)) return Optional.empty();
        try {
            Path f = file(jar, env, role);
            return Files.isRegularFile(f) && Files.size(f) > 0 ? Optional.of(f) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The jar this code runs from, or {@code $HUDDLE_JAR} / {@code -Dhuddle.jar} when run from classes. */
    public static Optional<Path> runningJar(Map<String, String> env) {
        String override = env.getOrDefault("HUDDLE_JAR", System.getProperty("huddle.jar"));
        if (override != null && !override.isBlank() && Files.isRegularFile(Path.of(override))) {
            return Optional.of(Path.of(override).toAbsolutePath());
        }
        try {
            var src = AotCache.class.getProtectionDomain().getCodeSource();
            if (src == null) return Optional.empty();
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
