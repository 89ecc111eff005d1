package dev.huddle.it.support;

import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for an agent process that runs hooks the way the clients do: a long-lived {@code sh} that starts
 * each hook command with {@code sh -c}, payload on stdin, so {@code $PPID} in the command is this process, as it
 * is the claude/codex/node process in real life. Commands are exactly what {@code huddle setup} installs.
 */
public final class HookAgent implements AutoCloseable {
    /** One hook run: its exit code, stdout, stderr, and wall time including the shell's and curl's start. */
    public record Run(int exit, String stdout, String stderr, long micros) {
        public Map<String, Object> json() {
            return Json.object(stdout.strip());
        }
    }

    private final Process sh;
    private final BufferedReader fromSh;
    private final OutputStream toSh;
    private final Path dir;
    private final Path httpSocket;
    private final AtomicInteger seq = new AtomicInteger();

    private HookAgent(Process sh, Path dir, Path httpSocket) {
        this.sh = sh;
        this.fromSh = new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8));
        this.toSh = sh.getOutputStream();
        this.dir = dir;
        this.httpSocket = httpSocket;
    }

    public static HookAgent start(TestHome home, Path cwd) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "hook");
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").directory(cwd.toFile()).redirectErrorStream(false);
            pb.environment().clear();
            pb.environment().putAll(home.env());
            return new HookAgent(pb.start(), dir, home.paths().httpSocket());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This agent's pid: what {@code $PPID} is inside its hooks. */
    public long pid() {
        return sh.pid();
    }

    /** Runs the installed (curl) hook command of {@code client}/{@code event} with {@code payload} on stdin. */
    public Run hook(HookClient client, String event, String payload) {
        return run(HookCommands.curl(httpSocket, client, event), payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs any command the way a client runs a hook: {@code sh -c command < payload}. */
    public synchronized Run run(String command, byte[] payload) {
        int n = seq.incrementAndGet();
        Path in = dir.resolve(n + ".in"), out = dir.resolve(n + ".out"), err = dir.resolve(n + ".err");
        try {
            Files.write(in, payload);
            String line = "s=$(date +%s%N); /bin/sh -c " + HookCommands.shellQuote(command) + " <" + q(in) + " >" + q(out) + " 2>" + q(err)
                    + "; rc=$?; e=$(date +%s%N); echo \"done " + n + " $rc $(( (e - s) / 1000 ))\"\n";
            toSh.write(line.getBytes(StandardCharsets.UTF_8));
            toSh.flush();
            String reply;
            while ((reply = fromSh.readLine()) != null && !reply.startsWith("done " + n + " ")) {
                // stray output of the shell itself: ignore
            }
            if (reply == null) throw new IllegalStateException("the agent shell exited");
            String[] parts = reply.split(" ");
            Run r = new Run(Integer.parseInt(parts[2]), Files.readString(out), Files.readString(err), Long.parseLong(parts[3]));
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command started in the background under this agent, as a client starts an async hook (Claude Code's asyncRewake). */
    public final class Background {
        private final int n;
        private final long pid;
        private final Path err;

        private Background(int n, long pid, Path err) {
            this.n = n;
            this.pid = pid;
            this.err = err;
        }

        /** Whether it ended within {@code timeout}. */
        public boolean waitFor(java.time.Duration timeout) {
            try {
                org.awaitility.Awaitility.await().atMost(timeout).pollInterval(java.time.Duration.ofMillis(20)).until(() -> !TestHome.alive(pid));
                return true;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                return false;
            }
        }

        /** Its exit status (it must have ended). */
        public int exitValue() {
            synchronized (HookAgent.this) {
                return Integer.parseInt(ask("wait " + pid + "; echo \"exited " + n + " $?\"", "exited " + n + " ").split(" ")[2]);
            }
        }

        public String stderr() {
            try {
                return Files.readString(err);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts {@code command} the way a client starts an async hook: {@code sh -c command < payload &}, a child of this agent. */
    public synchronized Background spawn(String command, byte[] payload) {
        int n = seq.incrementAndGet();
        Path in = dir.resolve(n + ".in"), err = dir.resolve(n + ".err");
        try {
            Files.write(in, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String reply = ask("/bin/sh -c " + HookCommands.shellQuote(command) + " <" + q(in) + " >/dev/null 2>" + q(err) + " & echo \"spawned "
                + n + " $!\"", "spawned " + n + " ");
        return new Background(n, Long.parseLong(reply.split(" ")[2]), err);
    }

    /** Sends a line to the agent's shell and returns its first reply line starting with {@code prefix}. */
    private String ask(String line, String prefix) {
        try {
            toSh.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            toSh.flush();
            String reply;
            while ((reply = fromSh.readLine()) != null && !reply.startsWith(prefix)) {
                // stray output of the shell itself: ignore
            }
            if (reply == null) throw new IllegalStateException("the agent shell exited");
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String q(Path p) {
        return HookCommands.shellQuote(p.toString());
    }

    @Override
    public void close() {
        try {
            toSh.close();
        } catch (IOException ignored) {
            // gone already
        }
        sh.destroy();
        TestHome.deleteRecursively(dir);
    }
}
