package dev.huddle.tools.bench;

import dev.huddle.tools.aot.ChildJava;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.tools.demo.TmuxPane;
import dev.huddle.protocol.JvmOptions;
import dev.huddle.protocol.MiniJson;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The wake soak of {@code huddle bench --only soak} (issue 5): {@value #DEFAULT_AGENTS} simulated Codex sessions
 * ({@link SoakAgent}), each in its own window of a private tmux server, exchange messages for some minutes on a
 * private hub with keystroke wakes on, while a simulated human types into idle panes: half-written drafts it
 * leaves for a few seconds and then clears (C-u), and prompts it submits (which start turns). The hub wakes idle
 * recipients by typing its pointer into their panes (Codex recipe); {@link SoakAnalysis} then checks, from the
 * agents' logs, the human's log and the hub's database, that no keystroke reached a busy agent, no draft was
 * altered, and every idle recipient was reached.
 */
public final class SoakBench {
    public static final int DEFAULT_AGENTS = 10;
    /** The soak hub's config.json: keystroke wakes on, whatever the default is. */
    static final String CONFIG = "{\"wake_terminal\": true}\n";
    /** The soak ends once every agent has sat idle this long after the traffic stopped (no wake is in flight then). */
    static final long QUIET_MS = 4_000;
    private static final int WIDTH = 160;
    private static final int HEIGHT = 40;

    private final String java;
    private final Path jar;
    private final Path frontCache;
    private final PrivateHub hub;
    private final Path home;
    private final Path project;
    private final Path work;
    private final SoakSettings settings;
    private final PrintStream progress;
    private final Consumer<Figure> put;
    private final BiConsumer<String, Object> extra;
    private final Map<String, String> paneOf = new LinkedHashMap<>();

    SoakBench(String java, Path jar, Path frontCache, PrivateHub hub, Path home, Path project, Path work, SoakSettings settings,
              PrintStream progress, Consumer<Figure> put, BiConsumer<String, Object> extra) {
        this.java = java;
        this.jar = jar;
        this.frontCache = frontCache;
        this.hub = hub;
        this.home = home;
        this.project = project;
        this.work = work;
        this.settings = settings;
        this.progress = progress;
        this.put = put;
        this.extra = extra;
    }

    void run() throws IOException {
        String tmuxBinary = TmuxPane.binary();
        if (tmuxBinary == null) {
            for (String id : List.of("soak_keystrokes_into_busy", "soak_drafts_altered", "soak_idle_not_woken")) {
                put.accept(Figure.skipped(id, id, "count", 0.0, "tmux is not installed"));
            }
            return;
        }
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path stopFile = work.resolve("stop");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < settings.agents(); i++) names.add(String.format(Locale.ROOT, "a%02d", i));
        Path config = writeConfig(logs, stopFile, names);

        Map<String, String> env = ChildJava.cleanEnv(home, jar);
        env.putIfAbsent("LANG", "C.UTF-8");
        env.put("TERM", "xterm-256color");
        SoakTmux tmux = new SoakTmux(tmuxBinary, work.resolve("tmux.sock"), env);
        SoakHuman human = new SoakHuman(tmux, paneOf, settings, progress);
        // The tmux server is not our child: on Ctrl-C it (and the agents in it) must be stopped explicitly.
        Thread cleanup = new Thread(tmux::kill, "soak-tmux-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        long trafficEnd;
        long end;
        Map<String, Object> bindings;
        Map<String, Object> diagnose;
        try {
            progress.println("bench: soak: starting " + names.size() + " simulated Codex sessions in tmux (each: a JVM + its huddle mcp front)");
            for (int i = 0; i < names.size(); i++) {
                List<String> cmd = new ArrayList<>(List.of(java));
                cmd.addAll(JvmOptions.COMMON);
                cmd.addAll(List.of("-Xmx48m", "-Xss512k", "-XX:CICompilerCount=1", "-cp", jar.toString(), SoakAgent.class.getName(),
                        config.toString(), names.get(i), Long.toString(1000 + i)));
                paneOf.put(names.get(i), tmux.window(names.get(i), project, cmd, WIDTH, HEIGHT).id());
            }
            awaitReady(tmux, logs, names, 240_000);
            bindings = checkBindings(logs, names);
            long start = System.currentTimeMillis();
            long stopAt = start + (long) (settings.minutes() * 60_000);
            progress.printf(Locale.ROOT, "bench: soak: %d agents bound and idle; running for %.1f min (agents talk, the human types drafts and prompts)%n",
                    names.size(), settings.minutes());
            Thread humanThread = Thread.ofPlatform().name("soak-human").start(() -> human.run(names, stopAt));
            while (System.currentTimeMillis() < stopAt) {
                Pause.sleep(Math.min(30_000, Math.max(1, stopAt - System.currentTimeMillis())));
                if (System.currentTimeMillis() < stopAt) {
                    progress.printf(Locale.ROOT, "bench: soak: %.1f min left%n", (stopAt - System.currentTimeMillis()) / 60_000.0);
                }
            }
            human.stop();
            Files.writeString(stopFile, "stop\n");
            trafficEnd = System.currentTimeMillis();
            joinQuietly(humanThread);
            progress.println("bench: soak: traffic stopped; waiting for every agent to sit idle for " + QUIET_MS / 1000 + " s (at most "
                    + (SoakSettings.IDLE_BOUND_MS + 30_000) / 1000 + " s)");
            long settleBy = trafficEnd + SoakSettings.IDLE_BOUND_MS + 30_000;
            long idleSince = -1;
            while (System.currentTimeMillis() < settleBy) {
                boolean idle = allIdle(logs, names);
                if (!idle) idleSince = -1;
                else if (idleSince < 0) idleSince = System.currentTimeMillis();
                if (idle && System.currentTimeMillis() - idleSince >= QUIET_MS) break;
                Pause.sleep(250);
            }
            end = System.currentTimeMillis();
            diagnose = cli(List.of("diagnose", "--json"));
        } finally {
            tmux.kill();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        new SoakReport(hub.paths().database(), settings, progress, put, extra).write(logs, names, trafficEnd, end, bindings, diagnose,
                human.typed());
    }

    // ---- set-up --------------------------------------------------------------------------------------------------

    private Path writeConfig(Path logs, Path stopFile, List<String> names) throws IOException {
        List<String> frontFlags = new ArrayList<>(JvmOptions.COMMON);
        frontFlags.addAll(JvmOptions.FRONT);
        if (frontCache != null) frontFlags.add("-XX:AOTCache=" + frontCache);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("java", java);
        c.put("jar", jar.toString());
        c.put("home", home.toString());
        c.put("project", project.toString());
        c.put("front_flags", frontFlags);
        c.put("log_dir", logs.toString());
        c.put("stop_file", stopFile.toString());
        c.put("peers", names);
        c.put("busy_min_ms", settings.busyMinMs());
        c.put("busy_max_ms", settings.busyMaxMs());
        c.put("send_probability", settings.sendProbability());
        c.put("plain_reply_probability", settings.plainReplyProbability());
        c.put("ask_timeout_ms", settings.askTimeoutMs());
        return Files.writeString(work.resolve("soak.json"), MiniJson.write(c));
    }

    private void awaitReady(SoakTmux tmux, Path logs, List<String> names, long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        List<String> waiting = new ArrayList<>(names);
        while (!waiting.isEmpty()) {
            waiting.removeIf(n -> hasEvent(logs, n, "idle"));
            if (waiting.isEmpty()) break;
            if (System.currentTimeMillis() > deadline) {
                StringBuilder b = new StringBuilder("soak agents not ready after " + timeoutMs / 1000 + " s: " + waiting);
                for (String n : waiting) {
                    b.append("\n--- ").append(n).append(" log:\n").append(readQuietly(logs.resolve(n + ".jsonl")))
                            .append("--- front stderr:\n").append(readQuietly(logs.resolve(n + ".front.err")))
                            .append("--- screen:\n").append(String.join("\n", tmux.screen(paneOf.get(n)).rows()));
                }
                throw new IOException(b.toString());
            }
            Pause.sleep(250);
        }
    }

    /** Each agent is bound to its thread, its process is the agent JVM (the front's parent), and huddle ps agrees. */
    private Map<String, Object> checkBindings(Path logs, List<String> names) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Object> ps = cli(List.of("ps", "--json"));
        Map<String, Map<?, ?>> rows = new HashMap<>();
        if (ps.get("projects") instanceof List<?> projects) {
            for (Object p : projects) {
                if (p instanceof Map<?, ?> pm && pm.get("agents") instanceof List<?> as) {
                    for (Object a : as) if (a instanceof Map<?, ?> am && am.get("name") != null) rows.put(String.valueOf(am.get("name")), am);
                }
            }
        }
        for (String n : names) {
            Map<String, Object> bound = SoakLog.read(logs, n).stream().filter(e -> e.ev().equals("bound")).findFirst().map(SoakAnalysis.Event::f).orElse(Map.of());
            Map<?, ?> row = rows.get(n);
            Object pid = bound.get("pid");
            boolean processIsAgent = pid != null && String.valueOf(pid).equals(String.valueOf(bound.get("process_pid")));
            Object binding = row == null ? null : row.get("binding");
            Object activity = row == null ? null : row.get("activity");
            Object source = activity instanceof Map<?, ?> am ? am.get("source") : null;
            Object terminal = row == null ? null : row.get("terminal");
            if (row == null || !Boolean.TRUE.equals(row.get("bound"))) problems.add(n + " is not bound in huddle ps");
            if (!processIsAgent) problems.add(n + ": the hub's agent process " + bound.get("process_pid") + " is not the agent JVM " + pid);
            if (!"hooks".equals(source)) problems.add(n + ": activity source " + source + ", expected hooks");
            out.put(n, Map.of("pid", String.valueOf(pid), "hub_process", String.valueOf(bound.get("process_pid")),
                    "binding", String.valueOf(binding), "activity_source", String.valueOf(source), "terminal", String.valueOf(terminal)));
        }
        if (!problems.isEmpty()) throw new IOException("soak agents are not bound as a real Codex would be: " + problems + "; huddle ps: " + ps);
        return out;
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** {@code huddle <args>} against the soak's hub, from the project directory; its JSON output. */
    private Map<String, Object> cli(List<String> args) throws IOException {
        ProcessBuilder pb = ChildJava.builder(ChildJava.command(java, JvmOptions.COMMON, jar, args), ChildJava.cleanEnv(home, jar))
                .directory(project.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ChildJava.waitOrKill(p, 30_000);
        try {
            return MiniJson.parseObject(out.strip());
        } catch (RuntimeException e) {
            throw new IOException("huddle " + String.join(" ", args) + " printed no JSON: " + out, e);
        }
    }

    private static boolean allIdle(Path logs, List<String> names) {
        for (String n : names) {
            String last = null;
            for (SoakAnalysis.Event e : SoakLog.read(logs, n)) if (e.ev().equals("idle") || e.ev().equals("accept")) last = e.ev();
            if (!"idle".equals(last)) return false;
        }
        return true;
    }

    private static boolean hasEvent(Path logs, String name, String ev) {
        return SoakLog.read(logs, name).stream().anyMatch(e -> e.ev().equals(ev));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(none)\n";
        } catch (IOException e) {
            return "(unreadable)\n";
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
