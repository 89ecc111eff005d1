package dev.huddle.tools.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs hook commands as descendants of a simulated agent's process, as a real client runs its hooks: the hub proves
 * which agent a hook acts for by the calling process's ancestry, so a hook the demo ran itself would be refused. The
 * agent's shell starts {@link #runnerCommand() a runner} in the background; the demo hands it each hook through a
 * FIFO and reads what it printed from a file.
 */
final class AgentHooks {
    private final Path dir;
    private final Path requests;
    private final AtomicInteger seq = new AtomicInteger();

    private AgentHooks(Path dir) {
        this.dir = dir;
        this.requests = dir.resolve("requests");
    }

    static AgentHooks in(Path dir) throws IOException {
        Files.createDirectories(dir);
        AgentHooks h = new AgentHooks(dir);
        try {
            Process p = new ProcessBuilder("mkfifo", "-m", "600", h.requests.toString()).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("mkfifo failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return h;
    }

    /**
     * The shell command (ending in {@code &}) that starts the runner in the background of the agent's shell: nothing
     * of it may touch that shell's stdin and stdout, which carry the MCP session.
     */
    String runnerCommand() {
        String d = SimulatedAgent.quote(dir.toString());
        String loop = "while read -r n < " + d + "/requests && [ \"$n\" != stop ]; do /bin/sh " + d + "/hook-$n.sh < " + d + "/in-$n > " + d
                + "/out-$n 2>/dev/null; echo $? > " + d + "/rc-$n.tmp; mv " + d + "/rc-$n.tmp " + d + "/rc-$n; done";
        return "/bin/sh -c " + SimulatedAgent.quote(loop) + " </dev/null >/dev/null 2>&1 &";
    }

    /** Ends the runner (it outlives the agent's shell otherwise, waiting on the FIFO); bounded when it is gone already. */
    void stop() {
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(requests, "stop\n");
            } catch (IOException gone) {
                // nothing to stop
            }
        }, r -> Thread.ofVirtual().start(r));
        try {
            sent.get(2, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            sent.cancel(true); // no runner: the writer thread stays blocked on the FIFO until the directory goes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the hook printed and its exit code. */
    record Result(int exit, String printed) {}

    /** Runs {@code command} (a hook as installed, for {@code sh -c}) with {@code payload} on stdin. */
    Result run(String command, String payload, Duration timeout) throws IOException {
        int n = seq.incrementAndGet();
        Files.writeString(dir.resolve("hook-" + n + ".sh"), command + "\n");
        Files.writeString(dir.resolve("in-" + n), payload);
        // Opening the FIFO waits for the runner to read: bounded, in case the agent's shell is gone.
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(requests, n + "\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Path rc = dir.resolve("rc-" + n);
            while (!Files.exists(rc)) {
                if (System.nanoTime() > deadline) throw new IOException("the hook did not finish within " + timeout.toSeconds() + " s");
                Thread.sleep(5);
            }
            return new Result(Integer.parseInt(Files.readString(rc).strip()), Files.readString(dir.resolve("out-" + n)).strip());
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new IOException("the agent's hook runner is gone (nothing read the request within " + timeout.toSeconds() + " s)");
        } catch (ExecutionException e) {
            throw new IOException("could not hand the hook to the agent: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
