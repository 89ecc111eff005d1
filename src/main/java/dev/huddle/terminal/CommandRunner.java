package dev.huddle.terminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an external command (tmux, wezterm, kitty, screen) with a hard timeout. An interface so unit tests can
 * capture the exact argv a waker would run without any terminal installed.
 */
public interface CommandRunner {

    /** The outcome of one command. {@code exit} is -1 when it could not start, -2 when it timed out. */
    record Result(int exit, String stdout, String stderr) {
        public static final int NOT_STARTED = -1;
        public static final int TIMED_OUT = -2;

        public boolean ok() {
            return exit == 0;
        }

        /** stderr (or stdout) on one short line, for reasons. */
        public String brief() {
            String s = (stderr == null || stderr.isBlank() ? stdout : stderr);
            s = s == null ? "" : s.strip().replaceAll("\\s+", " ");
            return s.length() > 200 ? s.substring(0, 200) + "…" : s;
        }
    }

    Result run(List<String> argv, String stdin, Duration timeout);

    default Result run(List<String> argv, Duration timeout) {
        return run(argv, null, timeout);
    }

    /** Runs real processes with the hub's environment (like {@link TerminalLocator}: a hub started inside tmux talks to that server by default). */
    static CommandRunner system() {
        return (argv, stdin, timeout) -> {
            Process p;
            try {
                p = new ProcessBuilder(argv).start();
            } catch (IOException e) {
                return new Result(Result.NOT_STARTED, "", e.getMessage() == null ? e.toString() : e.getMessage());
            }
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the command did not want stdin; its exit code tells the rest
            }
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    return new Result(Result.TIMED_OUT, "", argv.getFirst() + " did not answer within " + timeout.toMillis() + " ms");
                }
                return new Result(p.exitValue(), out.get(1, TimeUnit.SECONDS), err.get(1, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                return new Result(Result.TIMED_OUT, "", "interrupted");
            } catch (ExecutionException | TimeoutException e) {
                return new Result(p.exitValue(), "", "output unreadable: " + e);
            }
        };
    }

    private static CompletableFuture<String> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, r -> Thread.ofVirtual().start(r));
    }
}
