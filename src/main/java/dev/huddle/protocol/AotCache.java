package dev.huddle.protocol;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Locates the AOT cache (JEP 483/514) for a role. A cache is only valid for the exact jar and JDK that made it,
 * and a stale one silently serves stale classes, so its name carries the jar's size and mtime and the JDK
 * version: {@code <role>-<size>-<mtime seconds>-<java.version>.aot}, in {@code $HUDDLE_AOT_DIR}, or else in
 * {@code <jar dir>/aot} (where a distribution ships them) and then {@code $HUDDLE_HOME/aot} (where they are
 * trained when the jar's folder is not writable, as in a global npm prefix). The launcher looks in the same order.
 */
public final class AotCache {
    private AotCache() {}

    public static boolean enabled(Map<String, String> env) {
        return !"off".equalsIgnoreCase(env.getOrDefault("HUDDLE_AOT", "on"));
    }

    /** Where caches are looked for, in this order. */
    public static List<Path> directories(Path jar, Map<String, String> env) {
        String dir = env.get("HUDDLE_AOT_DIR");
        if (dir != null && !dir.isBlank()) return List.of(Path.of(dir));
        return List.of(jar.toAbsolutePath().getParent().resolve("aot"), HubPaths.fromEnvironment(env).home().resolve("aot"));
    }

    /** Where missing caches are written: the first of {@link #directories} that is (or can be created) writable. */
    public static Path directory(Path jar, Map<String, String> env) {
        List<Path> dirs = directories(jar, env);
        return dirs.stream().filter(AotCache::writable).findFirst().orElse(dirs.getFirst());
    }

    private static boolean writable(Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        return existing != null && Files.isDirectory(existing) && Files.isWritable(existing);
    }

    public static String key(Path jar, String javaVersion) throws IOException {
        long size = Files.size(jar);
        long mtime = Files.getLastModifiedTime(jar).toMillis() / 1000;
        return size + "-" + mtime + "-" + javaVersion;
    }

    /** The file name of the cache for {@code role}, this jar and this JDK. */
    public static String fileName(Path jar, String role) throws IOException {
        return role + "-" + key(jar, System.getProperty("java.version")) + ".aot";
    }

    /** The cache for {@code role} when it exists for this exact jar and JDK in one of {@link #directories}. */
    public static Optional<Path> existing(Path jar, Map<String, String> env, String role) {
        if (!enabled(env)) return Optional.empty();
        try {
            String name = fileName(jar, role);
            for (Path dir : directories(jar, env)) {
                Path f = dir.resolve(name);
                if (Files.isRegularFile(f) && Files.size(f) > 0) return Optional.of(f);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The jar this code runs from, or {@code $HUDDLE_JAR} / {@code -Dhuddle.jar} when run from classes. A class
     * loaded from an AOT cache may have no code source, so {@code java -jar}'s class path is the next answer.
     */
    public static Optional<Path> runningJar(Map<String, String> env) {
        String override = env.getOrDefault("HUDDLE_JAR", System.getProperty("huddle.jar"));
        if (override != null && !override.isBlank() && Files.isRegularFile(Path.of(override))) {
            return Optional.of(Path.of(override).toAbsolutePath());
        }
        return codeSource().or(AotCache::classPathJar);
    }

    private static Optional<Path> codeSource() {
        try {
            var src = AotCache.class.getProtectionDomain().getCodeSource();
            if (src == null || src.getLocation() == null) return Optional.empty();
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> classPathJar() {
        String cp = System.getProperty("java.class.path", "");
        if (cp.isEmpty() || cp.contains(File.pathSeparator) || !cp.endsWith(".jar")) return Optional.empty();
        Path p = Path.of(cp).toAbsolutePath();
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
}
