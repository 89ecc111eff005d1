package dev.huddle.it;

import dev.huddle.protocol.AotCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code huddle internal aot-train} on an installed layout (launcher + jar in one directory, caches in
 * {@code aot/}): it writes the three caches under the names the launcher and the hub look for, is a no-op when
 * they are current or another trainer holds the lock, and after the jar changes the old caches are no longer
 * picked up (their name does not match) and the next training deletes them.
 */
class AotTrainIT {
    private Path dir;
    private Path jar;
    private Path launcher;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "hx-aot");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        jar = dir.resolve("huddle.jar");
        Files.copy(Path.of(System.getProperty("huddle.jar", "target/huddle.jar")), jar, StandardCopyOption.COPY_ATTRIBUTES);
        launcher = dir.resolve("huddle");
        Files.copy(Path.of(System.getProperty("huddle.launcher", "huddle")), launcher, StandardCopyOption.COPY_ATTRIBUTES);
    }

    @AfterEach
    void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void trainsOnceNamesCachesForTheJarAndReplacesStaleOnes() throws Exception {
        Path aot = dir.resolve("aot");
        Run first = train();
        assertThat(first.exit).as(first.output).isZero();
        List<Path> caches = caches(aot);
        assertThat(caches).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(name("front"), name("hub"), name("cli"));
        for (Path c : caches) assertThat(Files.size(c)).isPositive();
        assertThat(leftovers(aot)).as("temporary files").isEmpty();
        assertThat(trainingProcesses()).as("training hub and fronts have exited").isEmpty();

        // The launcher computes the same name in sh and passes the cache (the front's differs only in the role).
        assertThat(launcherExecLine()).contains("-XX:AOTCache=" + aot.resolve(name("cli")));

        Run again = train();
        assertThat(again.exit).isZero();
        assertThat(again.output).contains("up to date");

        try (FileChannel ch = FileChannel.open(aot.resolve(".training.lock"), StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            Run busy = train("--force");
            assertThat(busy.exit).isZero();
            assertThat(busy.output).contains("another training is running");
        }

        // A rebuilt (here: touched) jar no longer matches the caches' names: nobody uses them...
        List<String> old = caches(aot).stream().map(p -> p.getFileName().toString()).toList();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
        Map<String, String> env = Map.of("HUDDLE_AOT_DIR", aot.toString());
        for (String role : List.of("front", "hub", "cli")) {
            assertThat(AotCache.existing(jar, env, role)).as(role).isEmpty();
        }
        assertThat(launcherExecLine()).doesNotContain("AOTCache");

        // ...and the next training replaces them.
        Run retrain = train();
        assertThat(retrain.exit).as(retrain.output).isZero();
        assertThat(caches(aot)).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(name("front"), name("hub"), name("cli"))
                .doesNotContainAnyElementsOf(old);
    }

    private String name(String role) throws IOException {
        return role + "-" + AotCache.key(jar, System.getProperty("java.version")) + ".aot";
    }

    private static List<Path> caches(Path aot) throws IOException {
        try (Stream<Path> s = Files.list(aot)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".aot") && !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private static List<Path> leftovers(Path aot) throws IOException {
        try (Stream<Path> s = Files.list(aot)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    private List<ProcessHandle> trainingProcesses() {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains(jar.toString()))
                .toList();
    }

    record Run(int exit, String output) {}

    private Run train(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xlog:disable", "-Xlog:all=warning:stderr", "-jar", jar.toString(),
                "internal", "aot-train"));
        cmd.addAll(List.of(extra));
        return run(cmd, Map.of(), 300);
    }

    /** The java command line the launcher execs for {@code huddle version}, traced with {@code sh -x}. */
    private String launcherExecLine() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HUDDLE_JAVA_HOME", System.getProperty("java.home"));
        env.put("HUDDLE_HOME", dir.resolve("home").toString());
        Run r = run(List.of("/bin/sh", "-x", launcher.toString(), "version"), env, 60);
        assertThat(r.exit).as(r.output).isZero();
        String exec = r.output.lines().filter(l -> l.startsWith("+ exec ")).findFirst().orElse("");
        assertThat(exec).as("the launcher execs java on our jar; output:%n%s", r.output).contains(jar.toString());
        return exec;
    }

    private static Run run(List<String> cmd, Map<String, String> extraEnv, long timeoutS) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.clear();
        for (String k : List.of("PATH", "HOME", "USER", "LANG")) if (System.getenv(k) != null) env.put(k, System.getenv(k));
        env.putAll(extraEnv);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(timeoutS, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
            return new Run(p.exitValue(), out);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
