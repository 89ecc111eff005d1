package dev.huddle.tools.bench;

import dev.huddle.tools.aot.AotTrainer;
import dev.huddle.tools.aot.ChildJava;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The AOT caches a bench run measures with: the ones of this jar and JDK, trained first when missing (unless
 * {@code --no-train}), each checked to be really used by a JVM that is given it.
 *
 * @param byRole the cache file per role ({@code front}, {@code hub}, {@code cli}); a role without one is absent
 * @param report what the report says about them ({@code dir}, training, per role file, size and use)
 */
record AotCaches(Map<String, Path> byRole, Map<String, Object> report) {

    Path get(String role) {
        return byRole.get(role);
    }

    static AotCaches ensure(Lab lab, Path aotDir, boolean train) throws IOException {
        Map<String, Path> caches = new LinkedHashMap<>();
        AotTrainer trainer = new AotTrainer(lab.java, lab.jar, aotDir, false, lab.progress);
        boolean missing = false;
        for (String role : AotTrainer.ROLES) {
            Path f = trainer.cacheFile(role);
            if (Files.isRegularFile(f) && Files.size(f) > 0) caches.put(role, f);
            else missing = true;
        }
        Map<String, Object> aot = new LinkedHashMap<>();
        aot.put("dir", aotDir.toString());
        if (missing && train) {
            lab.progress.println("bench: AOT caches missing: training them first (huddle internal aot-train)");
            long t0 = System.nanoTime();
            AotTrainer.Outcome outcome = trainer.run();
            long deadline = System.currentTimeMillis() + 300_000;
            while (outcome == AotTrainer.Outcome.BUSY && System.currentTimeMillis() < deadline) {
                Lab.sleep(1000); // someone else (a hub's background training) is at it: wait for them
                outcome = trainer.run();
            }
            aot.put("trained_now", outcome.toString().toLowerCase());
            aot.put("training_ms", (System.nanoTime() - t0) / 1_000_000);
            for (String role : AotTrainer.ROLES) {
                Path f = trainer.cacheFile(role);
                if (Files.isRegularFile(f) && Files.size(f) > 0) caches.put(role, f);
            }
        }
        for (String role : AotTrainer.ROLES) {
            Path f = caches.get(role);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("file", f == null ? null : f.getFileName().toString());
            r.put("size_mb", f == null ? null : Files.size(f) >> 20);
            r.put("used", f == null ? null : isUsed(lab, role, f));
            aot.put(role, r);
        }
        return new AotCaches(caches, aot);
    }

    /** Starts {@code huddle version} with the role's flags, the cache and {@code -Xlog:aot}; true when the cache was mapped and used. */
    private static boolean isUsed(Lab lab, String role, Path cache) {
        List<String> flags = new ArrayList<>(AotTrainer.flagsFor(role));
        flags.add("-XX:AOTCache=" + cache);
        flags.add("-Xlog:aot=info:stderr");
        try {
            Process p = ChildJava.builder(ChildJava.command(lab.java, flags, lab.jar, List.of("version")), ChildJava.cleanEnv(lab.root, lab.jar))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ChildJava.waitOrKill(p, 30_000);
            boolean used = out.contains("Using AOT-linked classes: true") && !out.contains("[error][aot");
            if (!used) lab.progress.println("bench: the " + role + " AOT cache was NOT used:\n" + out.lines().limit(10).reduce("", (a, b) -> a + "  " + b + "\n"));
            return used;
        } catch (IOException e) {
            return false;
        }
    }
}
