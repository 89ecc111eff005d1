package dev.huddle.hub;

import dev.huddle.protocol.AotCache;
import dev.huddle.protocol.HubPaths;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Creates the AOT caches (front, hub, cli) on first use: a few seconds after a hub starts from a jar that has no
 * caches yet, it runs {@code huddle internal aot-train} in the background at low priority. Later launches of
 * that exact jar and JDK pick the caches up; any other jar or JDK ignores them (their names carry both).
 */
final class AotTraining {
    private static final Logger LOG = Logger.getLogger(AotTraining.class.getName());
    static final List<String> ROLES = List.of("front", "hub", "cli");

    private AotTraining() {}

    static void scheduleIfMissing(ScheduledExecutorService timers, HubPaths paths) {
        Map<String, String> env = System.getenv();
        if (!AotCache.enabled(env)) return;
        timers.schedule(() -> startIfMissing(paths, env), 5, TimeUnit.SECONDS);
    }

    private static void startIfMissing(HubPaths paths, Map<String, String> env) {
        Path jar = AotCache.runningJar(env).orElse(null);
        if (jar == null) return;
        boolean missing = ROLES.stream().anyMatch(r -> AotCache.existing(jar, env, r).isEmpty());
        if (!missing) return;
        try {
            Path dir = AotCache.directory(jar, env);
            if (dir.startsWith(paths.home())) HubPaths.ensurePrivateDirectory(dir); // $HUDDLE_HOME is 0700/0600 throughout
            else Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                LOG.info("AOT caches not created: " + dir + " is not writable");
                return;
            }
            Path log = paths.logDir().resolve("aot-train.log");
            HubPaths.ensurePrivateFile(log); // appendTo would create it with the umask's mode
            List<String> cmd = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/nice"))) cmd.addAll(List.of("/usr/bin/nice", "-n", "10"));
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(List.of("-Xlog:disable", "-Xlog:all=warning:stderr", "-jar", jar.toString(), "internal", "aot-train"));
            new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true)
                    .start();
            LOG.info("creating AOT caches in " + dir + " (background)");
        } catch (IOException e) {
            LOG.info("AOT caches not created: " + e.getMessage());
        }
    }
}
