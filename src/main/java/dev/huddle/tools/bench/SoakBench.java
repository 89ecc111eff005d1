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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
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
    /** What the hub types (hub.WakeService.wakeText(); a test keeps the two equal). */
    static final String POINTER = "huddle: new messages from peer agents are waiting for you. Call read_my_messages, then act on them.";
    /** An idle recipient must have its message this soon after the commit. */
    static final long IDLE_BOUND_MS = 30_000;
    /** The soak ends once every agent has sat idle this long after the traffic stopped (no wake is in flight then). */
    static final long QUIET_MS = 4_000;
    private static final int WIDTH = 160;
    private static final int HEIGHT = 40;
    private static final String[] WORDS = {"parser", "lexer", "config loader", "retry queue", "migration", "CI cache", "release notes",
            "flaky test", "auth module", "index rebuild"};

    /** Knobs of one soak. */
    record Settings(int agents, double minutes, long busyMinMs, long busyMaxMs, double sendProbability, double plainReplyProbability,
                    long askTimeoutMs, long humanGapMinMs, long humanGapMaxMs, double humanPromptShare, long draftHoldMinMs,
                    long draftHoldMaxMs) {
        static Settings of(int agents, double minutes, boolean quick) {
            // quick: every turn sends something, so even a 30-second run exchanges messages
            return new Settings(agents, minutes, 2_000, 20_000, quick ? 1.0 : 0.4, 0.3, 20_000, 1_500, 5_000, 0.5, 2_000, 6_000);
        }
    }

    private final String java;
    private final Path jar;
    private final Path frontCache;
    private final PrivateHub hub;
    private final Path home;
    private final Path project;
    private final Path work;
    private final Settings settings;
    private final PrintStream progress;
    private final Consumer<Figure> put;
    private final BiConsumer<String, Object> extra;
    private final Random random = new Random(42);
    private final List<SoakAnalysis.Human> human = new CopyOnWriteArrayList<>();
    private final Map<String, String> paneOf = new LinkedHashMap<>();
    private volatile boolean humanStop;

    SoakBench(String java, Path jar, Path frontCache, PrivateHub hub, Path home, Path project, Path work, Settings settings,
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
            Thread humanThread = Thread.ofPlatform().name("soak-human").start(() -> human(tmux, names, stopAt));
            while (System.currentTimeMillis() < stopAt) {
                sleep(Math.min(30_000, Math.max(1, stopAt - System.currentTimeMillis())));
                if (System.currentTimeMillis() < stopAt) {
                    progress.printf(Locale.ROOT, "bench: soak: %.1f min left%n", (stopAt - System.currentTimeMillis()) / 60_000.0);
                }
            }
            humanStop = true;
            Files.writeString(stopFile, "stop\n");
            trafficEnd = System.currentTimeMillis();
            joinQuietly(humanThread);
            progress.println("bench: soak: traffic stopped; waiting for every agent to sit idle for " + QUIET_MS / 1000 + " s (at most "
                    + (IDLE_BOUND_MS + 30_000) / 1000 + " s)");
            long settleBy = trafficEnd + IDLE_BOUND_MS + 30_000;
            long idleSince = -1;
            while (System.currentTimeMillis() < settleBy) {
                boolean idle = allIdle(logs, names);
                if (!idle) idleSince = -1;
                else if (idleSince < 0) idleSince = System.currentTimeMillis();
                if (idle && System.currentTimeMillis() - idleSince >= QUIET_MS) break;
                sleep(250);
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
        report(logs, names, trafficEnd, end, bindings, diagnose);
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
            sleep(250);
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
            Map<String, Object> bound = events(logs, n).stream().filter(e -> e.ev().equals("bound")).findFirst().map(SoakAnalysis.Event::f).orElse(Map.of());
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

    // ---- the human ---------------------------------------------------------------------------------------------

    /**
     * Types into idle panes until {@code stopAt}: a draft (a few chunks of keys, left for some seconds, then C-u) or
     * a prompt (typed the same way, then Enter). It looks at the screen before it starts, and checks that its text is
     * still exactly what it typed before it clears or submits it.
     */
    private void human(SoakTmux tmux, List<String> names, long stopAt) {
        int n = 0;
        while (!humanStop && System.currentTimeMillis() < stopAt) {
            sleep(settings.humanGapMinMs() + (long) (random.nextDouble() * (settings.humanGapMaxMs() - settings.humanGapMinMs())));
            if (humanStop) return;
            List<String> order = new ArrayList<>(names);
            Collections.shuffle(order, random);
            String target = null;
            for (String a : order.subList(0, Math.min(4, order.size()))) {
                try {
                    if (idleScreen(tmux.screen(paneOf.get(a)))) {
                        target = a;
                        break;
                    }
                } catch (IOException | RuntimeException e) {
                    // a pane being redrawn or gone: try another
                }
            }
            if (target == null) continue;
            n++;
            boolean prompt = random.nextDouble() < settings.humanPromptShare();
            String word = WORDS[random.nextInt(WORDS.length)];
            String text = prompt ? "task-" + n + ": please review the " + word + " change and report back"
                    : "draft-" + n + ": I think the " + word + " should";
            try {
                typeAsHuman(tmux, target, text, prompt);
            } catch (IOException | RuntimeException e) {
                progress.println("bench: soak: the human could not type into " + target + ": " + e.getMessage());
            }
        }
    }

    private void typeAsHuman(SoakTmux tmux, String agent, String text, boolean submit) throws IOException {
        String pane = paneOf.get(agent);
        long t0 = System.currentTimeMillis();
        int chunks = 2 + random.nextInt(3);
        int at = 0;
        for (int c = 0; c < chunks; c++) {
            int to = c == chunks - 1 ? text.length() : Math.min(text.length(), at + Math.max(1, text.length() / chunks));
            tmux.type(pane, text.substring(at, to));
            at = to;
            if (c < chunks - 1) sleep(100 + random.nextInt(300));
        }
        if (!submit) sleep(settings.draftHoldMinMs() + (long) (random.nextDouble() * (settings.draftHoldMaxMs() - settings.draftHoldMinMs())));
        else sleep(200 + random.nextInt(400));
        String seen = composer(tmux.screen(pane));
        String disturbed = text.equals(seen) ? null : seen;
        if (submit && disturbed == null) tmux.key(pane, "Enter");
        else tmux.key(pane, "C-u"); // a disturbed prompt is not submitted: the human clears it, as a person would
        long t1 = System.currentTimeMillis();
        human.add(new SoakAnalysis.Human(agent, submit ? "prompt" : "draft", t0, t1, text, disturbed));
    }

    /** The composer's text (after {@code › } on the last non-blank row), or null when the last row is not the composer. */
    static String composer(SoakTmux.Screen s) {
        List<String> rows = s.rows();
        for (int i = rows.size() - 1; i >= 0; i--) {
            String r = rows.get(i);
            if (r.isBlank()) continue;
            if (r.strip().equals(SoakAgent.PROMPT.strip())) return "";
            return r.startsWith(SoakAgent.PROMPT) ? r.substring(SoakAgent.PROMPT.length()).strip() : null;
        }
        return null;
    }

    /** An idle agent as a person sees it: "✓ idle" above an empty composer. */
    static boolean idleScreen(SoakTmux.Screen s) {
        List<String> rows = s.rows();
        int last = rows.size() - 1;
        while (last >= 0 && rows.get(last).isBlank()) last--;
        if (last < 1 || !rows.get(last).strip().equals(SoakAgent.PROMPT.strip())) return false;
        int above = last - 1;
        while (above >= 0 && rows.get(above).isBlank()) above--;
        return above >= 0 && rows.get(above).startsWith(SoakAgent.IDLE_MARK);
    }

    // ---- the report --------------------------------------------------------------------------------------------

    private void report(Path logs, List<String> names, long trafficEnd, long end, Map<String, Object> bindings,
                        Map<String, Object> diagnose) throws IOException {
        Map<String, List<SoakAnalysis.Event>> agentEvents = new LinkedHashMap<>();
        for (String n : names) agentEvents.put(n, events(logs, n));
        Db db = readDb();
        SoakAnalysis.Result r = new SoakAnalysis(agentEvents, human, db.messages(), db.wakes(), POINTER, IDLE_BOUND_MS).run();
        double minutes = settings.minutes();
        String how = String.format(Locale.ROOT, "%d simulated Codex sessions (hooks as installed, front a child of the agent) in tmux panes,"
                + " %.1f min of traffic; a simulated human typed %d drafts and %d prompts into idle panes", names.size(), minutes, r.drafts(), r.humanPrompts());
        put.accept(count("soak_keystrokes_into_busy", "soak: keystrokes into busy agents", r.keystrokesIntoBusy().size(), 0.0,
                how + "; a line (text or a bare Enter) that reached an agent during its turn"));
        put.accept(count("soak_drafts_altered", "soak: drafts altered or submitted by a wake", r.altered().size(), 0.0,
                "a submitted line other than exactly the pointer or a prompt the human submitted, or a draft/prompt the human found"
                        + " changed before clearing/submitting it; wake routes that overlapped the human's typing: " + r.collisions().size()));
        put.accept(count("soak_idle_not_woken", "soak: idle recipients not reached within " + IDLE_BOUND_MS / 1000 + " s", r.idleNotWoken().size(), 0.0,
                String.format(Locale.ROOT, "messages committed while the recipient sat idle at an empty composer: %d reached in time, %d not"
                        + " (their wakes: %s); recipient state at commit: %s", r.idleReceiveMs().size(), r.idleNotWoken().size(),
                        missReasons(r.idleNotWoken()), r.recipientStateAtCommit())));
        put.accept(count("soak_busy_not_delivered", "soak: busy recipients not reached by the end of their turn", r.busyNotDelivered().size(), 0.0,
                "messages committed during the recipient's turn that had not reached it when it went idle again (the Stop hook"
                        + " should have carried them); each would then wait for the next wake or prompt"));
        put.accept(count("soak_messages", "soak: messages exchanged", r.messages(), null,
                String.format(Locale.ROOT, "%.1f per minute; by kind: %s; lines accepted by agents: %d (%d wake pointers, %d human prompts)",
                        r.messages() / Math.max(0.01, minutes), r.messagesByKind(), r.linesAccepted(), r.pointerLines(), r.humanPrompts())));
        put.accept(r.wakeToLineMs().isEmpty() ? Figure.skipped("soak_wake_latency_ms", "soak: wake decided → pointer line at the agent", "ms", 700.0, "no wake fired")
                : Figure.measured("soak_wake_latency_ms", "soak: commit (wake decided) → pointer line at the agent", "ms", Stats.of(r.wakeToLineMs()), 700.0,
                "the hub's decision time (right after the commit) to the submitted pointer reaching the agent's stdin: pane proof, draft check,"
                        + " Codex's 500 ms gap, Enter; under the soak's load"));
        if (!r.routeMs().isEmpty()) {
            put.accept(Figure.measured("soak_wake_route_ms", "soak: tmux route duration (hub, fired wakes)", "ms", Stats.of(r.routeMs()), null,
                    "from the route's start to its verified outcome (includes the verify window)"));
        }
        if (!r.idleReceiveMs().isEmpty()) {
            put.accept(Figure.measured("soak_idle_receive_ms", "soak: commit → an idle recipient has the message", "ms", Stats.of(r.idleReceiveMs()), null,
                    "wake, pointer submitted, UserPromptSubmit hook (delivers) or read_my_messages"));
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("settings", settings.toString());
        s.put("traffic_minutes", minutes);
        s.put("settle_s", (end - trafficEnd) / 1000.0);
        s.put("bindings", bindings);
        s.put("messages_by_kind", r.messagesByKind());
        s.put("recipient_state_at_commit", r.recipientStateAtCommit());
        s.put("wake_decisions", r.decisions());
        s.put("wake_outcomes", r.outcomes());
        s.put("wake_timer_verdicts", r.verdicts());
        s.put("human_drafts", r.drafts());
        s.put("human_prompts", r.humanPrompts());
        s.put("agent_errors", r.hookErrors());
        s.put("keystrokes_into_busy", cap(r.keystrokesIntoBusy()));
        s.put("drafts_altered", cap(r.altered()));
        s.put("wake_human_collisions", cap(r.collisions()));
        s.put("idle_not_woken", cap(r.idleNotWoken()));
        s.put("busy_not_delivered", cap(r.busyNotDelivered()));
        s.put("wakes_decided_for_busy_agents", cap(r.wakesIntoBusyAgents()));
        s.put("draft_time_messages_received_ms", r.draftReceiveMs().isEmpty() ? null : Stats.of(r.draftReceiveMs()).toString());
        s.put("draft_time_messages_never_received", r.draftNeverReceived());
        s.put("diagnose_wake_summary", diagnose.get("wake_summary"));
        extra.accept("soak", s);
        StringBuilder humanLog = new StringBuilder();
        for (SoakAnalysis.Human h : human) {
            humanLog.append(MiniJson.write(SoakAnalysis.row("agent", h.agent(), "kind", h.kind(), "t0", h.t0(), "t1", h.t1(), "text", h.text(),
                    "disturbed", h.disturbed()))).append('\n');
        }
        Files.writeString(logs.resolve("human.jsonl"), humanLog);
        Path keep = Path.of(System.getProperty("java.io.tmpdir"), "huddle-soak-last");
        copyLogs(logs, keep);
        progress.println("bench: soak: logs copied to " + keep);
    }

    /** How many misses each wake outcome explains ("skipped_rate_limited" ×3, ...). */
    private static Map<String, Integer> missReasons(List<Map<String, Object>> misses) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Map<String, Object> m : misses) {
            List<?> w = m.get("wake") instanceof List<?> l ? l : List.of();
            String last = w.isEmpty() ? "no wake recorded" : String.valueOf(w.getLast()).replaceAll("[: ].*", "");
            out.merge(last, 1, Integer::sum);
        }
        return out;
    }

    private static Figure count(String id, String label, int n, Double target, String note) {
        return Figure.measured(id, label, "count", Stats.of(List.of((double) n)), target, note);
    }

    private static List<Map<String, Object>> cap(List<Map<String, Object>> l) {
        return l.size() <= 50 ? l : l.subList(0, 50);
    }

    private record Db(List<SoakAnalysis.Msg> messages, List<SoakAnalysis.Wake> wakes) {
    }

    /** The hub's messages and wakes, by agent name (read-only, while the hub runs: SQLite WAL allows it). */
    private Db readDb() throws IOException {
        Path db = hub.paths().database();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro", new java.util.Properties());
             Statement st = c.createStatement()) {
            Map<String, String> names = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT agent_id, name FROM agents")) {
                while (rs.next()) names.put(rs.getString(1), rs.getString(2));
            }
            List<SoakAnalysis.Msg> msgs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT id, sender_id, recipient_id, created_at, request_id, reply_to, action_required, wake,"
                    + " delivered_at, delivered_via FROM messages ORDER BY seq")) {
                while (rs.next()) {
                    long deliveredAt = rs.getLong(9);
                    Long delivered = rs.wasNull() ? null : deliveredAt;
                    msgs.add(new SoakAnalysis.Msg(rs.getString(1), names.get(rs.getString(2)), names.get(rs.getString(3)), rs.getLong(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7) != 0, rs.getString(8), delivered, rs.getString(10)));
                }
            }
            List<SoakAnalysis.Wake> wakes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT message_id, target_id, route, status, reason, at, duration_ms FROM wakes ORDER BY id")) {
                while (rs.next()) {
                    long ms = rs.getLong(7);
                    Long duration = rs.wasNull() ? null : ms;
                    wakes.add(new SoakAnalysis.Wake(rs.getString(1), names.get(rs.getString(2)), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), duration));
                }
            }
            return new Db(msgs, wakes);
        } catch (SQLException e) {
            throw new IOException("reading the soak hub's database failed: " + e.getMessage(), e);
        }
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
            for (SoakAnalysis.Event e : events(logs, n)) if (e.ev().equals("idle") || e.ev().equals("accept")) last = e.ev();
            if (!"idle".equals(last)) return false;
        }
        return true;
    }

    private static boolean hasEvent(Path logs, String name, String ev) {
        return events(logs, name).stream().anyMatch(e -> e.ev().equals(ev));
    }

    static List<SoakAnalysis.Event> events(Path logs, String name) {
        List<SoakAnalysis.Event> out = new ArrayList<>();
        Path f = logs.resolve(name + ".jsonl");
        if (!Files.exists(f)) return out;
        List<String> lines;
        try {
            lines = Files.readAllLines(f);
        } catch (IOException e) {
            return out;
        }
        for (String l : lines) {
            try {
                Map<String, Object> m = MiniJson.parseObject(l);
                out.add(new SoakAnalysis.Event(((Number) m.get("t")).longValue(), String.valueOf(m.get("ev")), m));
            } catch (RuntimeException halfWritten) {
                // the last line may be in the middle of being written
            }
        }
        return out;
    }

    private static void copyLogs(Path from, Path to) {
        try {
            ChildJava.deleteTree(to);
            Files.createDirectories(to);
            try (var files = Files.list(from)) {
                for (Path f : files.toList()) Files.copy(f, to.resolve(f.getFileName()));
            }
        } catch (IOException ignored) {
            // the figures are what matters
        }
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

    private static void sleep(long ms) {
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
