package dev.huddle.client;

import dev.huddle.protocol.Hello;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.control.ControlError;
import dev.huddle.protocol.control.HelloLine;
import dev.huddle.protocol.control.HubReply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Opens a connection to the hub: hello line out, reply line in. Starts a hub when none answers (exactly one,
 * however many clients race: a start lock serialises the starters and the hub's own lock refuses a second hub),
 * and makes an older hub hand over to this newer build.
 */
public final class HubConnector {

    /** An open, greeted connection. After the reply the stream carries whatever the hello's kind speaks. */
    public record Connection(SocketChannel channel, InputStream in, OutputStream out, HubReply reply)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    public static class HubUnavailableException extends IOException {
        public HubUnavailableException(String message) {
            super(message);
        }
    }

    /** The hub answered the hello with {@code ok: false} (a bad hello, or a control request it refused). */
    public static final class HubRefusedException extends HubUnavailableException {
        private final ControlError error;

        public HubRefusedException(String message, ControlError error) {
            super(message);
            this.error = error;
        }

        /** Why the hub said no: its code, message, hint and details. */
        public ControlError error() {
            return error;
        }
    }

    /** The hub process was started and exited with an error (for example, it refused a corrupt database). */
    public static final class HubStartFailedException extends HubUnavailableException {
        public HubStartFailedException(String message) {
            super(message);
        }
    }

    private static final long START_TIMEOUT_MS = 20_000;
    /** A hub that accepted but does not answer the hello within this time is treated as not there. */
    private static final long REPLY_TIMEOUT_MS = 10_000;
    /** File locks are per process: threads of one process queue here before taking the start lock. */
    private static final java.util.concurrent.locks.ReentrantLock START_LOCK_IN_PROCESS = new java.util.concurrent.locks.ReentrantLock();
    private final HubPaths paths;
    private final Map<String, String> env;
    /** A hub this connector starts is started ahead of any session (nobody waits for it), and warms itself. */
    private final boolean ahead;

    public HubConnector(HubPaths paths, Map<String, String> env) {
        this(paths, env, false);
    }

    private HubConnector(HubPaths paths, Map<String, String> env, boolean ahead) {
        this.paths = paths;
        this.env = env;
        this.ahead = ahead;
    }

    /** This connector, for a command that starts a hub ahead of any session ({@code hub start}, setup, {@code hub restart}). */
    public HubConnector aheadOfSessions() {
        return new HubConnector(paths, env, true);
    }

    public static HubConnector fromEnvironment() {
        return new HubConnector(HubPaths.fromEnvironment(System.getenv()), System.getenv());
    }

    public HubPaths paths() {
        return paths;
    }

    /**
     * Connects, greets, and returns the open connection. With {@code autoStart}, a missing hub is started and an
     * older hub is asked to hand over; without it, a missing hub is an error.
     */
    public Connection open(Hello hello, boolean autoStart) throws IOException {
        return open(hello, autoStart, START_TIMEOUT_MS);
    }

    public Connection open(Hello hello, boolean autoStart, long timeoutMs) throws IOException {
        return open(hello, autoStart, timeoutMs, REPLY_TIMEOUT_MS);
    }

    /**
     * As {@link #open(Hello, boolean, long)}, for a request the hub may answer only after {@code replyTimeoutMs}
     * (a control {@code log} that waits for news): a hub silent for longer is treated as not there.
     */
    public Connection open(Hello hello, boolean autoStart, long timeoutMs, long replyTimeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        // Only a client that will start the replacement may ask an older hub to hand over.
        String line = HelloLine.of(hello.autostarting(autoStart));
        boolean handedOver = false;
        while (System.currentTimeMillis() < deadline) {
            Connection c = tryGreet(line, replyTimeoutMs);
            if (c != null) {
                if (c.reply().ok()) return c;
                c.close();
                ControlError refusal = c.reply().refusal();
                if ("handover".equals(refusal.code()) && autoStart && !handedOver) {
                    handedOver = true;
                    new HubStarter(paths, env).recordJarIfNewest();
                    waitForHubExit(deadline);
                    continue;
                }
                throw new HubRefusedException("hub refused the connection: "
                        + (refusal.message() != null ? refusal.message() : refusal.code()), refusal);
            }
            if (!autoStart) throw new HubUnavailableException("no hub is running (" + paths.mcpSocket() + ")");
            startHub(deadline);
        }
        throw new HubUnavailableException("timed out connecting to the hub at " + paths.mcpSocket());
    }

    /** One attempt: connect and exchange the hello line and the reply; null when nothing listens. */
    Connection tryGreet(String helloLine, long replyTimeoutMs) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new HubUnavailableException("cannot open a Unix socket: " + e.getMessage());
        }
        try {
            ch.connect(UnixDomainSocketAddress.of(paths.mcpSocket()));
        } catch (IOException refusedOrMissing) {
            ch.close();
            return null;
        }
        // Channel streams have no read timeout: a watchdog closes a connection whose hub never answers.
        java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
        Thread.ofPlatform().daemon().name("huddle-hello-watchdog").start(() -> { // platform: keeps the front's start lean
            sleep(replyTimeoutMs);
            if (!answered.get()) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        });
        try {
            InputStream in = new LineInputStream(Channels.newInputStream(ch));
            OutputStream out = Channels.newOutputStream(ch);
            out.write((helloLine + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line;
            try {
                line = readLine(in, MAX_REPLY_BYTES);
            } catch (LineInputStream.LineTooLongException e) { // a hub is there: its answer is too big, not missing
                ch.close();
                throw new HubRefusedException("the hub's answer is over " + (MAX_REPLY_BYTES >> 20) + " MiB",
                        new ControlError("reply-too-large", "the hub's answer is over " + (MAX_REPLY_BYTES >> 20) + " MiB",
                                "Ask for less: fewer messages (-n) or a narrower filter (--grep, --project).", null));
            }
            answered.set(true);
            if (line == null) { // hub closing (shutdown in progress)
                ch.close();
                return null;
            }
            return new Connection(ch, in, out, HubReply.parse(line));
        } catch (IOException | IllegalArgumentException e) {
            ch.close();
            return null;
        }
    }

    /** The longest answer line read from the hub: a control reply (a long log page) can be several MiB. */
    static final int MAX_REPLY_BYTES = 64 << 20;

    /** Reads one '\n'-terminated UTF-8 line byte by byte, so nothing after it is consumed. */
    public static String readLine(InputStream in, int max) throws IOException {
        if (in instanceof LineInputStream lines) return lines.readLine(max);
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        while (true) {
            int b = in.read();
            if (b < 0) return buf.size() == 0 ? null : buf.toString(StandardCharsets.UTF_8);
            if (b == '\n') return buf.toString(StandardCharsets.UTF_8);
            if (buf.size() >= max) throw new LineInputStream.LineTooLongException(max);
            buf.write(b);
        }
    }

    /** Starts a hub under the start lock; returns when a hub is (now) accepting, else throws saying why not. */
    private void startHub(long deadline) throws IOException {
        paths.ensurePrivateDirectories();
        HubPaths.ensurePrivateFile(paths.startLock());
        START_LOCK_IN_PROCESS.lock();
        try (FileChannel lockFile = FileChannel.open(paths.startLock(), StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (socketAccepts()) return; // someone else started it while we waited for the lock
            if (EarlyHub.await(env, this::socketAccepts, deadline)) return; // the launcher started one beside us
            Process p = new HubStarter(paths, env).spawn(ahead);
            while (System.currentTimeMillis() < deadline) {
                if (socketAccepts()) return;
                if (!p.isAlive() && p.exitValue() != 0) {
                    throw new HubStartFailedException("the hub failed to start (exit " + p.exitValue() + "): " + lastLogLines());
                }
                sleep(15);
            }
            throw new HubUnavailableException("the hub did not start in time: " + lastLogLines());
        } finally {
            START_LOCK_IN_PROCESS.unlock();
        }
    }

    /** Whether a hub accepts on the socket now (one connect, no hello). */
    public boolean socketAccepts() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(paths.mcpSocket()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void waitForHubExit(long deadline) {
        while (System.currentTimeMillis() < deadline && socketAccepts()) sleep(20);
    }

    private String lastLogLines() {
        try {
            var lines = Files.readAllLines(paths.logDir().resolve("hub.stderr.log"), StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
