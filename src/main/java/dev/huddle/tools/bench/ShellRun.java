package dev.huddle.tools.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@code /bin/sh -c command} run the way an agent runs its hooks: in {@code cwd}, with exactly {@code env},
 * {@code stdin} written and closed, stdout read to EOF, until exit; the wall time from spawn to exit.
 */
record ShellRun(int exit, String stdout, double ms) {
    static ShellRun of(String command, Path cwd, Map<String, String> env, byte[] stdin, ProcessBuilder.Redirect stderr,
                       Consumer<Process> track) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(cwd.toFile()).redirectError(stderr);
        pb.environment().clear();
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        track.accept(p);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException closedEarly) {
            // the command did not read its stdin (sh alone): fine
        }
        byte[] out = p.getInputStream().readAllBytes();
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new ShellRun(exit, new String(out, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e6);
    }

    @Override
    public String toString() {
        return "exit " + exit + ", " + Math.round(ms * 100) / 100.0 + " ms, stdout: "
                + (stdout.length() > 300 ? stdout.substring(0, 300) + "..." : stdout);
    }
}
