package dev.huddle.tools.aot;

import dev.huddle.protocol.Settings;
import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.JvmOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hub on a private {@code HUDDLE_HOME}, started as a child JVM with the production hub flags
 * ({@link JvmOptions#COMMON} + {@link JvmOptions#HUB}, as {@code HubStarter} uses) plus any extra flags (an AOT
 * cache to use or to write). For AOT training and benchmarks.
 */
public final class PrivateHub implements AutoCloseable {
    private final Process process;
    private final HubPaths paths;
    private final HubConnector connector;
    private final Path log;

    private PrivateHub(Process process, HubPaths paths, Path log) {
        this.process = process;
        this.paths = paths;
        this.connector = new HubConnector(paths, Map.of(Settings.HOME.env(), paths.home().toString()));
        this.log = log;
    }

    /**
     * Spawns {@code java COMMON HUB <extraFlags> -jar <jar> hub run}; output goes to {@code <home>/hub.out}.
     * Returns at once; see {@link #awaitReady}.
     */
    public static PrivateHub start(String java, Path jar, Path home, List<String> extraFlags, Map<String, String> extraEnv)
            throws IOException {
        List<String> flags = new ArrayList<>(JvmOptions.COMMON);
        flags.addAll(JvmOptions.HUB);
        flags.addAll(extraFlags);
        Map<String, String> env = ChildJava.cleanEnv(home, jar);
        env.putAll(extraEnv);
        Path log = home.resolve("hub.out");
        ProcessBuilder pb = ChildJava.builder(ChildJava.command(java, flags, jar, List.of("hub", "run")), env)
                .directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        return new PrivateHub(pb.start(), HubPaths.fromEnvironment(Map.of(Settings.HOME.env(), home.toString())), log);
    }

    public Process process() {
        return process;
    }

    public HubPaths paths() {
        return paths;
    }

    public Path log() {
        return log;
    }

    /**
     * Polls with a control {@code ping} every {@code pollMs} until the hub answers; returns the nanoTime of the
     * answer. Fails when the process exits or the timeout passes.
     */
    public long awaitReady(long timeoutMs, long pollMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            if (ping()) return System.nanoTime();
            if (!process.isAlive()) {
                throw new IOException("the hub exited with code " + process.exitValue() + " before answering (see " + log + ")");
            }
            if (System.nanoTime() > deadline) throw new IOException("the hub did not answer within " + timeoutMs + " ms (see " + log + ")");
            sleep(pollMs);
        }
    }

    /** One control ping; false when nothing answers yet. */
    public boolean ping() {
        try {
            return call(new ControlRequest.Ping(), 2_000) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** This hub's typed control client, asking as if from {@code cwd}; it never starts a hub. */
    public HubClient client(Path cwd) {
        return new HubClient(connector, cwd.toString());
    }

    /** A control request ({@code ping}, {@code status}, {@code stop}, ...) reaching the hub within {@code timeoutMs}. */
    public <R> R call(ControlRequest<R> request, long timeoutMs) throws IOException {
        return client(paths.home()).connectWithin(timeoutMs).call(request);
    }

    /** Asks the hub to stop and waits for its process to end (an AOT training hub writes its cache first). */
    public boolean stop(long timeoutMs) {
        try {
            call(new ControlRequest.Stop(), 5_000);
        } catch (IOException alreadyGone) {
            // fall through to waiting / killing
        }
        return ChildJava.waitOrKill(process, timeoutMs);
    }

    @Override
    public void close() {
        if (process.isAlive()) stop(10_000);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
