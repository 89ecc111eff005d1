package dev.huddle.tools.bench;

import dev.huddle.agents.HookCommands;
import dev.huddle.tools.aot.AotTrainer;
import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.tools.demo.TmuxPane;
import dev.huddle.protocol.MiniJson;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The dashboard's figure of {@code huddle bench} (group {@code watch}, issue 7): a message committed in the hub →
 * the frame of {@code huddle watch} that shows it written to the terminal. The dashboard runs as a user runs it, in an
 * 80×24 pane of a private tmux server, on a project of {@link Sizes#agents} agents (socket sessions, as fronts speak)
 * whose history already fills the feed. One agent sends messages, one at a time; the dashboard (started with the
 * hidden {@code --trace-frames FILE}) appends the wall-clock time each frame showing a new newest message was written
 * to the terminal. The commit happens inside the hub, between the moment the bench sends {@code send_message} and the
 * moment its result arrives: the figure with the target is measured from the request (an upper bound of commit →
 * frame), the other from the result (a lower bound; the frame can even come first). Both clocks are the same
 * machine's wall clock, in microseconds.
 */
final class WatchBench {
    record Sizes(int agents, int history, int warmups, int messages, long gapMs) {
        static final Sizes FULL = new Sizes(20, 200, 10, 100, 150);
        static final Sizes QUICK = new Sizes(5, 20, 2, 8, 150);
    }

    private static final long CALL_TIMEOUT_MS = 20_000;
    private static final long FRAME_TIMEOUT_MS = 10_000;

    private final String java;
    private final Path jar;
    private final PrivateHub hub;
    private final Path home;
    private final Path project;
    private final Path work;
    private final Sizes sizes;
    private final PrintStream progress;
    private final Consumer<Figure> put;

    WatchBench(String java, Path jar, PrivateHub hub, Path home, Path project, Path work, boolean quick, PrintStream progress,
               Consumer<Figure> put) {
        this.java = java;
        this.jar = jar;
        this.hub = hub;
        this.home = home;
        this.project = project;
        this.work = work;
        this.sizes = quick ? Sizes.QUICK : Sizes.FULL;
        this.progress = progress;
        this.put = put;
    }

    void run() throws IOException {
        String label = "message sent → huddle watch frame showing it (80×24 tmux)";
        String tmux = TmuxPane.binary();
        if (tmux == null) {
            put.accept(Figure.skipped("watch_event_to_frame_ms", label, "ms", 100.0, "tmux is not installed"));
            return;
        }
        progress.println("bench: watch: " + sizes.agents() + " agents, a history of " + sizes.history() + " messages, then "
                + sizes.messages() + " messages one at a time while huddle watch runs in an 80x24 tmux pane");
        List<McpSocketClient> agents = new ArrayList<>();
        Path socket = work.resolve("watch-tmux.sock");
        Path trace = work.resolve("watch-frames.txt");
        try {
            for (int i = 0; i < sizes.agents(); i++) {
                McpSocketClient a = McpSocketClient.connect(hub.paths(),
                        project.toString(), Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()), "claude-code");
                agents.add(a);
                a.tool("set_my_state", "{\"name\":\"agent-" + i + "\",\"purpose\":\"bench agent " + i + "\"}", CALL_TIMEOUT_MS);
            }
            McpSocketClient sender = agents.get(0);
            for (int i = 0; i < sizes.history(); i++) {
                send(agents.get(i % agents.size()), "agent-" + ((i + 1) % agents.size()), "history " + i + " " + "lorem ipsum ".repeat(20));
            }

            List<String> cmd = ChildJava.command(java, AotTrainer.flagsFor("cli"), jar,
                    List.of("watch", "--project", project.toString(), "--trace-frames", trace.toString()));
            StringBuilder line = new StringBuilder("env -i");
            ChildJava.cleanEnv(home, jar).forEach((k, v) -> line.append(' ').append(HookCommands.shellQuote(k + "=" + v)));
            line.append(" TERM=xterm-256color");
            for (String c : cmd) line.append(' ').append(HookCommands.shellQuote(c));
            line.append(" 2>").append(HookCommands.shellQuote(work.resolve("watch.err").toString()));
            tmux(tmux, socket, "new-session", "-d", "-x", "80", "-y", "24", "-c", project.toString(), line.toString());
            awaitTrace(trace, null, 30_000);

            List<Double> committed = new ArrayList<>();
            List<Double> sent = new ArrayList<>();
            for (int i = -sizes.warmups(); i < sizes.messages(); i++) {
                sleep(sizes.gapMs());
                long before = micros();
                String id = send(sender, "agent-1", "watch bench " + i);
                long acked = micros();
                long drawn = awaitTrace(trace, id, FRAME_TIMEOUT_MS);
                if (i < 0) continue;
                committed.add((drawn - acked) / 1000.0);
                sent.add((drawn - before) / 1000.0);
            }
            String screen = tmux(tmux, socket, "capture-pane", "-p");
            if (!screen.contains("watch bench " + (sizes.messages() - 1))) {
                throw new IOException("the last message is not on the dashboard's screen:\n" + screen);
            }
            put.accept(Figure.measured("watch_event_to_frame_ms", label, "ms", Stats.of(sent), 100.0,
                    "from the send_message request (the commit happens after it) to the frame that shows the message written to the"
                            + " pane: the tool call, the hub's snapshot (" + sizes.agents() + " agents, feed of 200) pushed, parsed, rendered,"
                            + " written; " + sizes.gapMs() + " ms between messages, " + sizes.warmups() + " warm-ups"));
            put.accept(Figure.measured("watch_result_to_frame_ms", "send_message result → huddle watch frame showing it", "ms",
                    Stats.of(committed), null, "from the tool's result (after the commit); negative when the frame came first"));
        } finally {
            tmux(tmux, socket, "kill-server");
            for (McpSocketClient a : agents) a.close();
        }
    }

    private static String send(McpSocketClient from, String to, String body) throws IOException {
        Map<String, Object> r = from.tool("send_message", "{\"target\":" + MiniJson.write(to) + ",\"body\":" + MiniJson.write(body) + "}",
                CALL_TIMEOUT_MS);
        if (!Boolean.TRUE.equals(r.get("ok"))) throw new IOException("send_message failed: " + r);
        return String.valueOf(r.get("message_id"));
    }

    /** Waits for a trace line naming {@code id} (any line when null); returns its time in epoch µs. */
    private static long awaitTrace(Path trace, String id, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (Files.exists(trace)) {
                List<String> lines = Files.readAllLines(trace, StandardCharsets.UTF_8);
                for (int i = lines.size() - 1; i >= 0; i--) {
                    String[] f = lines.get(i).split(" ");
                    if (f.length == 3 && (id == null || f[2].equals(id))) return Long.parseLong(f[0]);
                }
            }
            sleep(1); // the harness polls the trace file; the dashboard itself does not poll anything
        }
        throw new IOException("huddle watch drew no frame " + (id == null ? "" : "showing message " + id) + " within " + timeoutMs + " ms");
    }

    private static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static String tmux(String tmux, Path socket, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(tmux, "-S", socket.toString(), "-f", "/dev/null"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
