package dev.huddle.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Helpers for the demo and doctor integration tests: run the jar with an explicit environment, find leftovers. */
final class ItProcesses {
    private ItProcesses() {}

    record Result(List<String> command, int exitCode, String output) {
        @Override
        public String toString() {
            return "$ " + String.join(" ", command) + "\n[exit " + exitCode + "]\n" + output;
        }
    }

    static Path jar() {
        String value = System.getProperty("huddle.jar");
        assertThat(value).as("system property huddle.jar (set by Failsafe in pom.xml)").isNotBlank();
        Path jar = Path.of(value).toAbsolutePath();
        assertThat(jar).isRegularFile();
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code java -jar huddle.jar args...} in {@code dir} with exactly {@code env}; stdout and stderr merged. */
    static Result huddle(Map<String, String> env, Path dir, Duration timeout, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        return run(env, dir, timeout, command);
    }

    /** Runs {@code command} in {@code dir} with exactly {@code env} and stdin from /dev/null; stdout and stderr merged. */
    static Result run(Map<String, String> env, Path dir, Duration timeout, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(Duration.ofSeconds(10));
        Result r = new Result(command, exited ? p.exitValue() : -1, out.toString(StandardCharsets.UTF_8));
        if (!exited) fail("timed out after %s: %s", timeout, r);
        return r;
    }

    /**
     * Live processes (zombies excluded) that work in {@code dir} or were given {@code HUDDLE_HOME=dir}: a hub has
     * its cwd in its home; fronts and agents carry the variable.
     */
    static List<ProcessHandle> processesUsing(Path dir) {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) return List.of();
        byte[] marker = ("HUDDLE_HOME=" + dir + "\0").getBytes(StandardCharsets.UTF_8);
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(ph -> {
            if (ph.pid() == ProcessHandle.current().pid()) return;
            Path base = proc.resolve(Long.toString(ph.pid()));
            try {
                String stat = Files.readString(base.resolve("stat"));
                if (stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z")) return;
                boolean match = false;
                try {
                    match = Files.readSymbolicLink(base.resolve("cwd")).startsWith(dir);
                } catch (IOException unreadable) {
                    // fall through to the environment
                }
                if (!match) match = indexOf(Files.readAllBytes(base.resolve("environ")), marker) >= 0;
                if (match) found.add(ph);
            } catch (IOException | RuntimeException goneOrNotOurs) {
                // exited meanwhile, or another user's
            }
        });
        return found;
    }

    /** Ends what {@link #processesUsing} finds (only processes of our test's private directories). */
    static List<String> killProcessesUsing(Path dir) {
        List<ProcessHandle> found = processesUsing(dir);
        List<String> described = found.stream().map(ph -> ph.pid() + " " + ph.info().commandLine().orElse("?")).toList();
        found.forEach(ProcessHandle::destroy);
        for (ProcessHandle ph : found) {
            try {
                ph.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                ph.destroyForcibly();
            }
        }
        return described;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (i > 0 && hay[i - 1] != 0) continue; // variables start after a NUL
            for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return i;
        }
        return -1;
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
