package dev.huddle.tools.aot;

import dev.huddle.protocol.Settings;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers to start huddle JVMs the way production does (same java, same flags, {@code -jar}), with an
 * environment built from scratch: nothing of the caller's own agent session (CLAUDE_*, CODEX_*, TMUX...) leaks
 * into a training or benchmark process.
 */
public final class ChildJava {
    private ChildJava() {}

    /** The java binary of this JVM (so children run the JDK whose version names the AOT caches). */
    public static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** {@code java <flags...> -jar <jar> <args...>}. */
    public static List<String> command(String java, List<String> flags, Path jar, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(flags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        return cmd;
    }

    /**
     * A minimal environment for a child on a private hub: PATH, HOME, USER, LANG, TMPDIR from ours, then
     * {@code HUDDLE_HOME} and {@code HUDDLE_AOT=off} (the child must not start AOT training of its own; the
     * caller passes any {@code -XX:AOTCache} itself).
     */
    public static Map<String, String> cleanEnv(Path huddleHome, Path jar) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> mine = System.getenv();
        for (String k : List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TMPDIR")) {
            if (mine.get(k) != null) env.put(k, mine.get(k));
        }
        env.putIfAbsent("PATH", "/usr/bin:/bin");
        env.put(Settings.HOME.env(), huddleHome.toString());
        env.put(Settings.JAR.env(), jar.toString());
        env.put(Settings.AOT.env(), "off");
        return env;
    }

    /** A ProcessBuilder with exactly {@code env} as its environment. */
    public static ProcessBuilder builder(List<String> cmd, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb;
    }

    /** A fresh private directory with a short path (Unix socket paths are limited to ~100 bytes). */
    public static Path shortTempDir(String prefix) throws IOException {
        Path tmp = Path.of("/tmp");
        if (!Files.isDirectory(tmp) || !Files.isWritable(tmp)) tmp = Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(tmp, prefix); // mode 0700 on POSIX
    }

    /** Deletes a directory tree, best effort. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) return;
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // leftovers under /tmp are harmless
        }
    }

    /** Waits for a process to end; kills it (and its children) when it does not within the timeout. */
    public static boolean waitOrKill(Process p, long timeoutMs) {
        try {
            if (p.waitFor(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS)) return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill(p);
        return false;
    }

    /** Kills a process and its descendants (the AOT cache assembly runs in a child JVM). */
    public static void kill(Process p) {
        if (p == null) return;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
