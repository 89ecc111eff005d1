package dev.huddle.tools.bench;


import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.tools.demo.PaneAgent;
import dev.huddle.tools.demo.TmuxPane;
import dev.huddle.protocol.JvmOptions;
import dev.huddle.protocol.MiniJson;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The wake figures of {@code huddle bench} (group {@code wake}, issue 5): how long from a message being committed
 * to its idle recipient being woken, per route.
 * <ol>
 *   <li>Keystroke-free ({@code async_rewake}): a stand-in Claude Code process ({@code sh -s}) runs its hooks as
 *       installed: UserPromptSubmit, Stop (now idle), then the rewake waiter. A sender's {@code send_message}
 *       with {@code wake:"auto"} starts the clock; it stops when the waiter has exited 2 with the mail, which is
 *       what makes Claude Code start a turn. A fresh agent per sample, so no debounce or rate limit applies.</li>
 *   <li>tmux: {@link PaneAgent}s (simulated Codex sessions without hooks) in panes of private tmux servers; the
 *       clock runs from the send to the moment the submitted pointer line reaches the agent's stdin, so it holds
 *       the hub's decision, the pane proof, the draft check, Codex's 500 ms gap, Enter and the verify.</li>
 * </ol>
 */
final class WakeBench {
    record Sizes(int rewakes, int panes, int rounds) {
        static final Sizes FULL = new Sizes(30, 4, 4);
        static final Sizes QUICK = new Sizes(6, 2, 2);
    }

    private static final long CALL_TIMEOUT_MS = 30_000;
    /** The policy's per-target debounce is 2 s: rounds against one pane are spaced a little more. */
    private static final long ROUND_SPACING_MS = 2_300;

    private final PrivateHub hub;
    private final Path home;
    private final Map<String, String> env;
    private final Path project;
    private final Path work;
    private final Path jar;
    private final Sizes sizes;
    private final PrintStream progress;
    private final Consumer<Process> track;
    private final Consumer<Figure> put;

    WakeBench(PrivateHub hub, Path home, Map<String, String> env, Path project, Path work, Path jar, boolean quick, PrintStream progress,
              Consumer<Process> track, Consumer<Figure> put) {
        this.hub = hub;
        this.home = home;
        this.env = env;
        this.project = project;
        this.work = work;
        this.jar = jar;
        this.sizes = quick ? Sizes.QUICK : Sizes.FULL;
        this.progress = progress;
        this.track = track;
        this.put = put;
    }

    void run() throws IOException {
        // The idle sessions' first hooks run before the sender connects: the sender's front is this JVM's, so its agent
        // process is an ancestor of every stand-in's shell, and a hook's lineage would reach it first otherwise.
        List<HookShell> idle = new ArrayList<>();
        List<String> sids = new ArrayList<>();
        Path sock = hub.paths().httpSocket();
        try {
            for (int i = 0; i < sizes.rewakes(); i++) {
                String sid = UUID.randomUUID().toString();
                HookShell agent = HookShell.start(env, project, track);
                idle.add(agent);
                sids.add(sid);
                agent.run(HookCommands.curl(sock, HookClient.CLAUDE, "UserPromptSubmit"), agent.payload(claude(sid, "UserPromptSubmit", "\"prompt\":\"go\"")));
            }
            try (McpSocketClient sender = McpSocketClient.connect(hub.paths(), project.toString(), Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()), "claude-code")) {
                rewake(sender, idle, sids);
                tmux(sender);
            }
        } finally {
            idle.forEach(HookShell::close);
        }
    }

    // ---- 1. async_rewake --------------------------------------------------------------------------------------

    /** @param idle one stand-in session per sample, each past its first hook; @param sids their session ids */
    private void rewake(McpSocketClient sender, List<HookShell> idle, List<String> sids) throws IOException {
        progress.println("bench: wake via Claude Code's rewake hook (sh + curl as installed), " + sizes.rewakes() + " idle sessions");
        Path sock = hub.paths().httpSocket();
        List<Double> total = new ArrayList<>();
        List<Double> afterSend = new ArrayList<>();
        for (int i = 0; i < idle.size(); i++) {
            String sid = sids.get(i);
            HookShell agent = idle.get(i);
            {
                Path stopPayload = agent.payload(claude(sid, "Stop", "\"stop_hook_active\":false"));
                agent.run(HookCommands.curl(sock, HookClient.CLAUDE, "Stop"), stopPayload);
                agent.start(HookCommands.rewake(sock, HookClient.CLAUDE, "Rewake"), stopPayload);
                sleep(300); // the waiter's curl is connected and parked in the hub
                long t0 = System.nanoTime();
                Map<String, Object> sent = sender.tool("send_message", "{\"target\":" + MiniJson.write(sid)
                        + ",\"body\":\"wake up: the build broke\",\"wake\":\"auto\"}", CALL_TIMEOUT_MS);
                long t1 = System.nanoTime();
                if (!"will_fire".equals(sent.get("wake_status"))) throw new IOException("the wake should fire, the send said " + sent);
                int exit = agent.awaitExit(10_000);
                long t2 = System.nanoTime();
                if (exit != 2) throw new IOException("the rewake waiter should exit 2 with the mail, exited " + exit);
                total.add((t2 - t0) / 1e6);
                afterSend.add((t2 - t1) / 1e6);
            }
        }
        put.accept(Figure.measured("wake_rewake_ms", "send_message → Claude Code's rewake hook exited 2 with the mail (no keystrokes)", "ms",
                Stats.of(total), 50.0, "includes the send call; after the send returned: median "
                        + Figure.num(Stats.of(afterSend).median()) + " ms; one fresh idle session per sample"));
    }

    // ---- 2. tmux ----------------------------------------------------------------------------------------------

    private void tmux(McpSocketClient sender) throws IOException {
        String tmux = TmuxPane.binary();
        if (tmux == null) {
            put.accept(Figure.skipped("wake_tmux_ms", "send_message → pointer submitted in the agent's tmux pane (Codex recipe)", "ms", 700.0,
                    "tmux is not installed"));
            return;
        }
        progress.println("bench: wake via tmux (Codex recipe: literal keys, 500 ms gap, Enter, verify), " + sizes.panes()
                + " panes × " + sizes.rounds() + " rounds");
        List<TmuxPane> panes = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        // The tmux servers are not our children: on Ctrl-C they must be stopped explicitly.
        Thread stopPanes = new Thread(() -> panes.forEach(TmuxPane::close), "bench-tmux-cleanup");
        Runtime.getRuntime().addShutdownHook(stopPanes);
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            for (int p = 0; p < sizes.panes(); p++) {
                Path log = work.resolve("pane-" + p + ".log");
                String name = "pane-" + p;
                List<String> cmd = new ArrayList<>(List.of(java));
                cmd.addAll(JvmOptions.COMMON);
                cmd.addAll(List.of("-cp", jar.toString(), PaneAgent.class.getName(), jar.toString(), home.toString(),
                        project.toString(), UUID.randomUUID().toString(), name, "ok", log.toString()));
                panes.add(TmuxPane.start(tmux, work.resolve("tmux-" + p + ".sock"), project, cmd));
                logs.add(log);
                names.add(name);
            }
            for (Path log : logs) awaitLines(log, 1, 60_000);
            List<Double> total = new ArrayList<>();
            List<Double> afterSend = new ArrayList<>();
            for (int r = 0; r < sizes.rounds(); r++) {
                long roundStart = System.nanoTime();
                for (int p = 0; p < panes.size(); p++) {
                    long sentAt = PaneAgent.micros();
                    Map<String, Object> sent = sender.tool("send_message", "{\"target\":" + MiniJson.write(names.get(p))
                            + ",\"body\":\"round " + r + ": is the nightly green?\",\"wake\":\"auto\"}", CALL_TIMEOUT_MS);
                    long returnedAt = PaneAgent.micros();
                    if (!"will_fire".equals(sent.get("wake_status"))) throw new IOException("the wake should fire, the send said " + sent);
                    List<String> lines = awaitLines(logs.get(p), r + 2, 10_000);
                    long arrived = Long.parseLong(lines.get(r + 1).split(" ")[1]);
                    total.add((arrived - sentAt) / 1e3);
                    afterSend.add((arrived - returnedAt) / 1e3);
                }
                long left = ROUND_SPACING_MS - (System.nanoTime() - roundStart) / 1_000_000;
                if (left > 0) sleep(left);
            }
            put.accept(Figure.measured("wake_tmux_ms", "send_message → pointer submitted in the agent's tmux pane (Codex recipe)", "ms",
                    Stats.of(total), 700.0, "includes Codex's 500 ms paste-burst gap; after the send returned: median "
                            + Figure.num(Stats.of(afterSend).median()) + " ms; " + sizes.panes() + " panes × " + sizes.rounds() + " rounds"));
        } finally {
            panes.forEach(TmuxPane::close);
            try {
                Runtime.getRuntime().removeShutdownHook(stopPanes);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private static List<String> awaitLines(Path log, int n, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            if (lines.size() >= n) return lines;
            if (System.nanoTime() > deadline) {
                throw new IOException(log + " should have " + n + " lines within " + timeoutMs + " ms, has " + lines);
            }
            sleep(5);
        }
    }

    private String claude(String sid, String event, String extra) {
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"" + work.resolve(sid + ".jsonl") + "\",\"cwd\":"
                + MiniJson.write(project.toString()) + ",\"hook_event_name\":\"" + event + "\"," + extra + "}";
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A stand-in agent process: a long-lived {@code sh -s} that runs each hook command with {@code sh -c}, payload
     * on stdin, so {@code $PPID} in the command is this shell, as it is the claude process in real life.
     */
    private static final class HookShell implements AutoCloseable {
        private final Process sh;
        private final OutputStream in;
        private final BufferedReader out;
        private final Path dir;
        private int seq;

        private HookShell(Process sh, Path dir) {
            this.sh = sh;
            this.in = sh.getOutputStream();
            this.out = new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8));
            this.dir = dir;
        }

        static HookShell start(Map<String, String> env, Path cwd, Consumer<Process> track) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-s").directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            track.accept(p);
            return new HookShell(p, Files.createTempDirectory(Path.of("/tmp"), "hb"));
        }

        Path payload(String json) throws IOException {
            return Files.writeString(dir.resolve("p" + (seq++)), json);
        }

        /** Runs a hook to its end; fails unless it exits 0. */
        void run(String command, Path payload) throws IOException {
            start(command, payload);
            int exit = awaitExit(10_000);
            if (exit != 0) throw new IOException("the hook exited " + exit + ": " + command);
        }

        /** Starts a hook; the shell reports its exit code when it ends ({@link #awaitExit}). */
        void start(String command, Path payload) throws IOException {
            String line = "/bin/sh -c " + HookCommands.shellQuote(command) + " <" + HookCommands.shellQuote(payload.toString())
                    + " >/dev/null 2>&1; echo \"exit $?\"\n";
            in.write(line.getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        int awaitExit(long timeoutMs) throws IOException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (!out.ready()) {
                if (System.currentTimeMillis() > deadline) throw new IOException("the hook did not end within " + timeoutMs + " ms");
                if (!sh.isAlive()) throw new IOException("the agent shell died");
                sleepMicros();
            }
            String l = out.readLine();
            if (l == null || !l.startsWith("exit ")) throw new IOException("unexpected output from the agent shell: " + l);
            return Integer.parseInt(l.substring(5).strip());
        }

        private static void sleepMicros() {
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // the shell ends on EOF
            }
            sh.destroy();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // /tmp is cleaned eventually
            }
        }
    }
}
