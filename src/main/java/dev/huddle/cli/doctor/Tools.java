package dev.huddle.cli.doctor;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Finding programs on PATH and asking them their version, with a time limit. */
public final class Tools {
    private Tools() {}

    public static Optional<Path> onPath(String program, String path) {
        if (path == null || path.isBlank()) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path p = Path.of(dir).resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The program's output (stdout and stderr), or empty when it fails or takes longer than {@code timeout}. */
    static Optional<String> output(List<String> command, Duration timeout) {
        Process p = null;
        try {
            p = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Process proc = p;
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return proc.getInputStream().readNBytes(64 * 1024);
                } catch (IOException e) {
                    return new byte[0];
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return Optional.empty();
            byte[] bytes = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return p.exitValue() == 0 ? Optional.of(new String(bytes, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException | ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p != null && p.isAlive()) p.destroyForcibly();
        }
    }
}
