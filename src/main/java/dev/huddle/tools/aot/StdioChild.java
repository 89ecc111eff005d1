package dev.huddle.tools.aot;

import dev.huddle.protocol.MiniJson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A child process spoken to line by line over stdin/stdout (a {@code huddle mcp} front). Reads happen on the
 * caller's thread, so a round trip is timed without a thread hand-off; a watchdog kills the child when a read
 * exceeds its deadline, which turns a hang into an {@link IOException}.
 */
public final class StdioChild implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final BufferedReader stdout;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private volatile boolean timedOut;
    private final Thread watchdog;

    public StdioChild(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
        this.watchdog = Thread.ofPlatform().daemon().name("stdio-child-watchdog").start(this::watch);
    }

    private void watch() {
        while (process.isAlive()) {
            if (System.nanoTime() > deadlineNanos) {
                timedOut = true;
                ChildJava.kill(process);
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    /** Writes one line (a newline is appended) and flushes. */
    public void send(String line) throws IOException {
        stdin.write(line.getBytes(StandardCharsets.UTF_8));
        stdin.write('\n');
        stdin.flush();
    }

    /**
     * Reads lines until a JSON-RPC response with this id arrives (other lines: notifications, or the JVM's own
     * AOT messages during a training run, are skipped) and returns it parsed.
     */
    public Map<String, Object> awaitResponse(Object id, long timeoutMs) throws IOException {
        String want = MiniJson.write(id);
        deadlineNanos = System.nanoTime() + timeoutMs * 1_000_000L;
        try {
            while (true) {
                String line = stdout.readLine();
                if (line == null) {
                    throw new IOException(timedOut ? "no answer to request " + want + " within " + timeoutMs + " ms"
                            : "the process closed its stdout before answering request " + want);
                }
                if (!line.startsWith("{")) continue;
                Map<String, Object> msg;
                try {
                    msg = MiniJson.parseObject(line);
                } catch (IllegalArgumentException notJson) {
                    continue;
                }
                if (msg.containsKey("method") || !msg.containsKey("id")) continue;
                if (want.equals(MiniJson.write(msg.get("id")))) return msg;
            }
        } finally {
            deadlineNanos = Long.MAX_VALUE;
        }
    }

    /** Closes stdin: a front exits at EOF. */
    public void closeStdin() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Closes stdin and waits for the process (and an AOT assembly child) to end; kills it after the timeout. */
    public boolean finish(long timeoutMs) {
        closeStdin();
        Thread drain = Thread.ofPlatform().daemon().name("stdio-child-drain").start(() -> {
            try {
                while (stdout.readLine() != null) {
                    // discard: keeps the child from blocking on a full pipe while it exits
                }
            } catch (IOException ignored) {
                // closed
            }
        });
        boolean ended = ChildJava.waitOrKill(process, timeoutMs);
        drain.interrupt();
        return ended;
    }

    @Override
    public void close() {
        closeStdin();
        if (process.isAlive()) ChildJava.kill(process);
        watchdog.interrupt();
    }
}
