package dev.huddle.tools.bench;

import dev.huddle.agents.HookCommands;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.protocol.MiniJson;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The hook figures of {@code huddle bench} (group {@code hooks}, issue 4), on one private hub. Every hook runs
 * exactly as a client runs it: {@code /bin/sh -c <the installed command>} (real sh, real curl) with the payload on
 * stdin, stdout read to EOF. This process spawns the shells, so it is {@code $PPID} in the command: it plays the
 * agent process of one Claude Code session.
 * <ol>
 *   <li>PreToolUse wall time with 1,000 messages queued for that agent, each hook delivering (and confirming the
 *       previous hook's offer); the queue is topped back up to 1,000, untimed, before every hook;</li>
 *   <li>a hook with nothing to say (UserPromptSubmit, which never delivers for Claude) with 1,000 queued;</li>
 *   <li>the time inside the hub ({@code X-Huddle-Handled-Us}), from raw HTTP posts interleaved with the timed hooks;</li>
 *   <li>what sh alone and sh + curl against {@code /v1/health} cost here, so the hub's share shows;</li>
 *   <li>the same PreToolUse as Claude Code's {@code type: "http"} hook posts it, from Node and from this JVM
 *       ({@link HttpHookRuns}), interleaved;</li>
 *   <li>100 hooks started at once: no error, no message handed out twice;</li>
 *   <li>an Edit refused by the claim check, with 1,000 active claims (issue 8).</li>
 * </ol>
 */
final class HooksBench {
    /** Sample sizes. */
    record Sizes(int hooks, int warmups, int burst) {
        static final Sizes FULL = new Sizes(1_000, 50, 100);
        static final Sizes QUICK = new Sizes(50, 10, 100);
    }

    static final int QUEUED = 1_000;
    /** curl's --max-time in the installed hook command, in ms. */
    private static final long HOOK_TIMEOUT_MS = dev.huddle.agents.HookCommands.CURL_MAX_TIME_S * 1000L;
    /** The hub answers a hook without messages past this (hub.HookService.ANSWER_DEADLINE_NANOS), in ms. */
    private static final long HUB_ANSWER_DEADLINE_MS = 1_000;
    /** Sender sessions that top the queue up (in parallel, untimed). */
    private static final int SENDERS = 4;
    private static final long CALL_TIMEOUT_MS = 30_000;

    private final PrivateHub hub;
    private final ClaudeHookShell agent;
    private final Path project;
    private final Path errFile;
    private final Sizes sizes;
    private final PrintStream progress;
    private final Consumer<Figure> put;
    private final Map<String, String> env;
    private final Consumer<Process> track;
    private final List<McpSocketClient> senders = new ArrayList<>();
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    /** Acknowledged sends not yet handed out by a hook. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Every id any hook handed out: one twice is an error. */
    private final Set<String> handedOut = ConcurrentHashMap.newKeySet();
    private int sendSeq;

    HooksBench(PrivateHub hub, Map<String, String> env, Path project, Path errFile, boolean quick, PrintStream progress,
               Consumer<Process> track, Consumer<Figure> put) {
        this.hub = hub;
        this.agent = new ClaudeHookShell(hub.paths().httpSocket(), env, project, errFile, track);
        this.env = env;
        this.track = track;
        this.project = project;
        this.errFile = errFile;
        this.sizes = quick ? Sizes.QUICK : Sizes.FULL;
        this.progress = progress;
        this.put = put;
    }

    void run() throws IOException {
        try {
            // The agent exists and is busy, as in the middle of a turn. First: the senders' fronts run in this JVM, so the
            // hub takes this JVM's parent for their agent process; a hook's first agent process is the nearest of its
            // lineage that hosts an agent, which would be that parent if the senders came first.
            ShellRun prompt = agent.hook("UserPromptSubmit", agent.promptPayload());
            if (prompt.exit() != 0 || !prompt.stdout().isEmpty()) throw new IOException("UserPromptSubmit failed: " + prompt);
            for (int s = 0; s < SENDERS; s++) {
                senders.add(McpSocketClient.connect(hub.paths(), project.toString(), Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()), "claude-code"));
            }
            delivering();
            quiet();
            denied();
            burst();
        } finally {
            pool.shutdownNow();
            senders.forEach(McpSocketClient::close);
        }
    }

    // ---- 1, 3, 4: delivering PreToolUse, in-hub time, baselines ---------------------------------------------

    private void delivering() throws IOException {
        progress.println("bench: PreToolUse hooks (sh + curl + hub) with " + QUEUED + " queued, " + sizes.hooks()
                + " timed after " + sizes.warmups() + " warm-ups; interleaved with raw posts (in-hub time), sh alone, sh + curl /v1/health");
        String sock = HookCommands.shellQuote(hub.paths().httpSocket().toString());
        String health = "curl -s --unix-socket " + sock + " http://huddle/v1/health";
        List<Double> wall = new ArrayList<>();
        List<Double> inHub = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> shOnly = new ArrayList<>();
        List<Double> curlHealth = new ArrayList<>();
        List<Double> perHook = new ArrayList<>();
        List<Double> answerChars = new ArrayList<>();
        int port = dev.huddle.protocol.HookPort.read(hub.paths()).orElse(0);
        HttpHookRuns httpHooks = port > 0 && hubListens(port)
                ? HttpHookRuns.open(port, agent, errFile.getParent(), env, errFile, track, progress) : null;
        int wrongTotal = 0;
        for (int i = -sizes.warmups(); i < sizes.hooks(); i++) {
            boolean record = i >= 0;
            topUp();
            ShellRun r = agent.hook("PreToolUse", agent.toolPayload());
            List<String> ids = ClaudeHookShell.delivered(r.stdout(), "PreToolUse");
            if (r.exit() != 0 || ids.isEmpty()) throw new IOException("PreToolUse delivered nothing with " + QUEUED + " queued: " + r);
            if (ClaudeHookShell.arrived(r.stdout()) != QUEUED) wrongTotal++;
            handOut(ids);
            if (record) {
                wall.add(r.ms());
                perHook.add((double) ids.size());
                answerChars.add((double) r.stdout().length());
            }

            topUp();
            long t0 = System.nanoTime();
            ClaudeHookShell.HttpAnswer a = agent.post("/hooks/claude/PreToolUse?v=1", agent.toolPayload());
            double rawMs = (System.nanoTime() - t0) / 1e6;
            List<String> rawIds = ClaudeHookShell.delivered(a.body(), "PreToolUse");
            if (a.status() != 200 || rawIds.isEmpty() || a.handledUs() < 0) throw new IOException("raw PreToolUse failed: " + a);
            handOut(rawIds);
            if (record) {
                inHub.add((double) a.handledUs());
                raw.add(rawMs);
            }

            if (httpHooks != null) {
                topUp();
                handOut(httpHooks.jdk(record));
                topUp();
                handOut(httpHooks.node(record));
            }

            ShellRun sh = agent.shell("exit 0", new byte[0]);
            ShellRun curl = agent.shell(health, new byte[0]);
            if (curl.exit() != 0 || !curl.stdout().startsWith("{")) throw new IOException("curl /v1/health failed: " + curl);
            if (record) {
                shOnly.add(sh.ms());
                curlHealth.add(curl.ms());
            }
        }
        Stats w = Stats.of(wall);
        Stats h = Stats.of(inHub);
        Stats c = Stats.of(curlHealth);
        put.accept(Figure.measured("hook_pretooluse_wall_ms", "PreToolUse hook wall time, " + QUEUED + " queued, delivering", "ms", w, 10.0,
                String.format(Locale.ROOT, "/bin/sh -c <installed curl command> spawned by the bench (the agent process), payload on"
                                + " stdin, stdout read to EOF, exit; each hook confirms the previous offer and delivers %.0f messages"
                                + " (median; ~110-byte bodies, %,d chars of JSON), the queue topped up to %d before each (untimed);"
                                + " %d hook(s) saw a queue other than %d; after %d warm-ups. Of the median: sh + curl /v1/health %.2f ms,"
                                + " in the hub %.2f ms",
                        Stats.of(perHook).median(), Math.round(Stats.of(answerChars).median()), QUEUED, wrongTotal, QUEUED, sizes.warmups(), c.median(), h.median() / 1000))
                .withP99Target(20.0));
        if (httpHooks != null) {
            httpHooks.close();
            httpHooks.report(c, put);
        }
        put.accept(Figure.measured("hook_in_hub_us", "PreToolUse time inside the hub (X-Huddle-Handled-Us), " + QUEUED + " queued", "µs", h, 2_000.0,
                String.format(Locale.ROOT, "from the request's headers to the answer rendered; raw HTTP/1.1 posts over http.sock from this"
                                + " process (same agent, same work: confirm the previous offer, deliver), interleaved with the timed hooks;"
                                + " their round trip at the client: median %.2f ms, p99 %.2f ms", Stats.of(raw).median(), Stats.of(raw).p99())));
        put.accept(Figure.measured("hook_curl_baseline_ms", "sh + curl GET /v1/health (no hook)", "ms", c, null,
                String.format(Locale.ROOT, "/bin/sh -c \"curl -s --unix-socket <sock> http://huddle/v1/health\": what spawning sh and curl"
                        + " costs here; /bin/sh -c 'exit 0' alone: median %.2f ms, p99 %.2f ms", Stats.of(shOnly).median(), Stats.of(shOnly).p99())));
        put.accept(Figure.measured("hook_sh_baseline_ms", "sh alone (/bin/sh -c 'exit 0', spawned from the JVM)", "ms", Stats.of(shOnly), null,
                "process spawn from this JVM + sh start; interleaved with the hooks"));
    }

    /** Whether the hub listens on its hook port (none where it cannot prove TCP callers). */
    private static boolean hubListens(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(dev.huddle.protocol.HookPort.HOST, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- 2: a hook with nothing to deliver -------------------------------------------------------------------

    private void quiet() throws IOException {
        progress.println("bench: UserPromptSubmit hooks (never deliver for Claude) with " + QUEUED + " queued, " + sizes.hooks() + " timed");
        topUp();
        List<Double> wall = new ArrayList<>();
        List<Double> inHub = new ArrayList<>();
        for (int i = -sizes.warmups(); i < sizes.hooks(); i++) {
            ShellRun r = agent.hook("UserPromptSubmit", agent.promptPayload());
            if (r.exit() != 0 || !r.stdout().isEmpty()) throw new IOException("UserPromptSubmit printed something: " + r);
            ClaudeHookShell.HttpAnswer a = agent.post("/hooks/claude/UserPromptSubmit?v=1", agent.promptPayload());
            if (a.status() != 200 || a.body().length() > 0) throw new IOException("raw UserPromptSubmit failed: " + a);
            if (i >= 0) {
                wall.add(r.ms());
                inHub.add((double) a.handledUs());
            }
        }
        Stats h = Stats.of(inHub);
        put.accept(Figure.measured("hook_quiet_wall_ms", "UserPromptSubmit hook wall time, " + QUEUED + " queued, nothing to say", "ms",
                Stats.of(wall), 10.0, String.format(Locale.ROOT, "the installed command as above; the hub binds, marks busy, answers"
                        + " empty; in the hub (raw posts, interleaved): median %.0f µs, p99 %.0f µs", h.median(), h.p99())).withP99Target(20.0));
    }

    // ---- 6: an edit of a claimed file, refused --------------------------------------------------------------

    /** Claims made for the refused-edit figure: files, directories and globs, one of them covering the edited file. */
    static final int CLAIMS = 1_000;

    private void denied() throws IOException {
        McpSocketClient holder = senders.getFirst();
        for (int batch = 0; batch < CLAIMS / 100; batch++) {
            StringBuilder paths = new StringBuilder("[");
            for (int k = 0; k < 100; k++) {
                int i = batch * 100 + k;
                String p = i == 0 ? "src/hot/Parser.java" : switch (i % 4) {
                    case 0 -> "src/mod" + i + "/**/*.java";
                    case 1 -> "src/mod" + i + "/File" + i + ".java";
                    case 2 -> "docs/d" + i;
                    default -> "gen/g" + i + "/*.json";
                };
                paths.append(k == 0 ? "" : ",").append(MiniJson.write(p));
            }
            Map<String, Object> r = holder.tool("claim_paths", "{\"paths\":" + paths + "],\"reason\":\"bench\",\"ttl_s\":3600}", CALL_TIMEOUT_MS);
            if (!Boolean.TRUE.equals(r.get("ok"))) throw new IOException("claim_paths failed: " + r);
        }
        progress.println("bench: PreToolUse Edit hooks refused on a claimed file, " + CLAIMS + " active claims (files, directories, globs), "
                + sizes.hooks() + " timed after " + sizes.warmups() + " warm-ups");
        String file = project.resolve("src/hot/Parser.java").toString();
        List<Double> wall = new ArrayList<>();
        List<Double> inHub = new ArrayList<>();
        for (int i = -sizes.warmups(); i < sizes.hooks(); i++) {
            String payload = agent.editPayload(file);
            ShellRun r = agent.hook("PreToolUse", payload);
            if (r.exit() != 0 || !r.stdout().contains("\"permissionDecision\":\"deny\"")) throw new IOException("the edit was not refused: " + r);
            ClaudeHookShell.HttpAnswer a = agent.post("/hooks/claude/PreToolUse?v=1", agent.editPayload(file));
            if (a.status() != 200 || !a.body().contains("\"deny\"")) throw new IOException("raw refused edit failed: " + a);
            if (i >= 0) {
                wall.add(r.ms());
                inHub.add((double) a.handledUs());
            }
        }
        holder.tool("release_paths", "{}", CALL_TIMEOUT_MS);
        Stats h = Stats.of(inHub);
        put.accept(Figure.measured("hook_pretooluse_denied_wall_ms", "PreToolUse Edit refused (claimed file), " + CLAIMS + " claims", "ms",
                Stats.of(wall), 10.0, String.format(Locale.ROOT, "the installed command as above, an Edit of a file another agent claims"
                                + " exclusively among %d active claims (files, directories, globs such as src/modN/**/*.java); the hub resolves"
                                + " the path (real path included), checks it against every claim, renders the reason; in the hub (raw posts,"
                                + " interleaved): median %.0f µs, p99 %.0f µs", CLAIMS, h.median(), h.p99())).withP99Target(20.0));
    }

    // ---- 5: 100 hooks at once --------------------------------------------------------------------------------

    private void burst() throws IOException {
        int n = sizes.burst();
        // Enough queued that every one of the n hooks must deliver (each takes at most 50): no hook may come back empty.
        int target = QUEUED + n * 50;
        progress.println("bench: " + n + " PreToolUse hooks started at once (" + n + " sh + curl), " + target + " queued");
        topUp(target);
        Set<String> before = new HashSet<>(queued);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<ShellRun>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            java.util.concurrent.CompletableFuture<ShellRun> f = new java.util.concurrent.CompletableFuture<>();
            results.add(f);
            String payload = agent.toolPayload();
            threads.add(Thread.ofPlatform().name("bench-hook-" + i).start(() -> {
                try {
                    go.await();
                    f.complete(agent.hook("PreToolUse", payload));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        List<Double> perHook = new ArrayList<>();
        int errors = 0;
        int timedOut = 0;
        int delivered = 0;
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (var f : results) {
            ShellRun r;
            try {
                r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                errors++;
                problems.add(String.valueOf(e));
                continue;
            }
            perHook.add(r.ms());
            List<String> ids;
            try {
                ids = ClaudeHookShell.delivered(r.stdout(), "PreToolUse");
            } catch (IOException e) {
                ids = List.of();
            }
            // The hook failed open, as designed: the hub answers without messages once a hook has waited past its
            // 1 s answer deadline (hub.HookService), and curl gives up at --max-time; the messages stay queued. A
            // figure of a loaded machine, not an error; an empty answer sooner than the deadline is one.
            boolean gaveUp = r.exit() == 0 && r.stdout().isBlank() && r.ms() >= HUB_ANSWER_DEADLINE_MS;
            if (gaveUp) timedOut++;
            boolean bad = r.exit() != 0 || (ids.isEmpty() && !gaveUp);
            for (String id : ids) {
                if (!seen.add(id) || !handedOut.add(id) || !before.contains(id)) bad = true;
            }
            delivered += ids.size();
            if (bad) {
                errors++;
                if (problems.size() < 3) problems.add(r.toString());
            }
        }
        double burstMs = (System.nanoTime() - t0) / 1e6;
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        queued.removeAll(seen);
        long stderrBytes = Files.exists(errFile) ? Files.size(errFile) : 0;
        if (stderrBytes > 0) {
            errors++;
            problems.add("the hooks wrote " + stderrBytes + " bytes to stderr (" + errFile + ")");
        }
        if (!problems.isEmpty()) progress.println("bench: concurrent hooks: " + problems);
        Stats s = Stats.of(perHook);
        put.accept(Figure.measured("hook_concurrent_100", n + " PreToolUse hooks at once: errors", "errors", Stats.of(List.of((double) errors)), 0.0,
                String.format(Locale.ROOT, "%d sh + curl started together (one agent, one session), %d queued: an error is a non-zero exit,"
                                + " no or invalid JSON, or a message id handed out twice; %d messages delivered, each once; %d hooks"
                                + " gave up (past the hub's 1 s answer deadline or curl's %d ms) and failed open (their messages stay queued); the burst took"
                                + " %.0f ms; per hook median %.1f ms, p99 %.1f ms",
                        n, target, delivered, timedOut, HOOK_TIMEOUT_MS, burstMs, s.median(), s.p99())));
        put.accept(Figure.measured("hook_concurrent_100_gave_up", "  hooks that failed open (waited past the deadline)", "hooks",
                Stats.of(List.of((double) timedOut)), null, "a hook the hub answers after its 1 s deadline, or whose curl gives up at --max-time, exits 0 with no output"));
        put.accept(Figure.measured("hook_concurrent_100_wall_ms", "  per hook, " + n + " at once", "ms", s, null,
                String.format(Locale.ROOT, "each from its spawn to its exit; the whole burst took %.0f ms", burstMs)));
    }

    private void handOut(List<String> ids) throws IOException {
        for (String id : ids) {
            if (!handedOut.add(id)) throw new IOException("message " + id + " was handed out twice");
            if (!queued.remove(id)) throw new IOException("message " + id + " was handed out but never sent (or already delivered)");
        }
    }

    // ---- the queue -------------------------------------------------------------------------------------------

    private void topUp() throws IOException {
        topUp(QUEUED);
    }

    /** Sends until {@code target} messages wait for the agent (acknowledged, not yet handed out); untimed. */
    private void topUp(int target) throws IOException {
        int missing = target - queued.size();
        if (missing <= 0) return;
        List<Future<?>> running = new ArrayList<>();
        int per = (missing + SENDERS - 1) / SENDERS;
        for (int s = 0; s < SENDERS && missing > 0; s++) {
            McpSocketClient c = senders.get(s);
            int count = Math.min(per, missing);
            missing -= count;
            int first = sendSeq;
            sendSeq += count;
            running.add(pool.submit(() -> {
                for (int k = 0; k < count; k++) {
                    Map<String, Object> r = c.tool("send_message", "{\"target\":" + MiniJson.write(agent.sessionId()) + ",\"body\":"
                            + MiniJson.write("note " + (first + k) + ": I pushed the parser fix to my branch; the CI run is green,"
                            + " please rebase before you touch the lexer") + "}", CALL_TIMEOUT_MS);
                    if (!Boolean.TRUE.equals(r.get("ok"))) throw new IOException("send_message failed: " + r);
                    queued.add(String.valueOf(r.get("message_id")));
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IOException("topping up the queue failed: " + (e.getCause() != null ? e.getCause() : e), e);
            }
        }
    }
}
