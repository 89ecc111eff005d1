package dev.huddle.tools.demo;

import dev.huddle.protocol.Printable;
import static dev.huddle.tools.demo.DemoFailure.expect;

import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Settings;
import dev.huddle.protocol.control.AgentList;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.Diagnosis;
import dev.huddle.protocol.control.HubStatus;
import dev.huddle.protocol.control.LogPage;
import dev.huddle.protocol.control.SendReceipt;
import dev.huddle.protocol.tools.Views;
import dev.huddle.tools.ToolViews;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * {@code huddle demo}: a real end-to-end run on a private hub. Each step is a small method that talks to real
 * processes (the hub, {@code huddle mcp} fronts under simulated agent processes), checks what it expects, and
 * reports detail lines and results. Add a step by writing a method and listing it in {@link #steps()}.
 */
public final class DemoScenario {

    /**
     * @param jar         the huddle.jar the fronts (and so the hub) run from
     * @param keep        keep the hub and the temporary directories after the demo
     * @param json        print a machine-readable transcript instead of the human one
     * @param color       ANSI colours in the human output
     * @param renderers   shows the hub's control results the way the CLI's commands do
     */
    public record Options(Path jar, boolean keep, boolean json, boolean color, Renderers renderers) {}

    /**
     * How the CLI shows the hub's control results, handed in by the command that runs the demo (tools never import
     * cli), so the demo's transcript looks like the commands it quotes.
     */
    public interface Renderers {
        /** A {@code ps} result as {@code huddle ps} prints it. */
        String ps(AgentList ps);

        /** A {@code send} result as {@code huddle send} prints it. */
        String sent(SendReceipt send);

        /** One row of a {@code log} result as a line of {@code huddle log}. */
        String logLine(LogPage.Entry row);
    }

    /**
     * Hooks for a live view of the demo ({@code huddle demo --watch}); each is called on the demo's thread and may block
     * it (to pace the steps for a human).
     */
    public interface Progress {
        /** The private hub runs and the first agent is connected: a dashboard can attach to {@code project}. */
        default void hubReady(HubConnector connector, Path project) {}

        /** Step {@code n} of {@code total} starts. */
        default void step(int n, int total, String title) {}

        /** The scripted steps are over; cleaning up (which stops the hub) starts when this returns. */
        default void scriptDone(boolean ok, String summary) {}
    }

    /** The {@code --json} transcript of a run. */
    record Transcript(boolean ok, String huddleHome, String project, String otherProject, boolean kept, long ms, String summary,
                      List<StepRecord> steps) {}

    /** One step in the {@code --json} transcript; {@code error} only when it failed. */
    record StepRecord(int step, String title, boolean ok, long ms, String error, Map<String, Object> results) {}

    /** One numbered step of the demo. */
    record Step(String title, Body body) {}

    @FunctionalInterface
    interface Body {
        void run(StepLog log) throws Exception;
    }

    /** A simulated agent of the demo and what it is expected to become. */
    static final class DemoAgent {
        final String label;
        final String clientName;
        final Path cwd;
        final Map<String, String> env;
        /** The session id the agent should end up bound to. */
        final String sessionId;
        volatile SimulatedAgent sim;

        DemoAgent(String label, String clientName, Path cwd, Map<String, String> env, String sessionId) {
            this.label = label;
            this.clientName = clientName;
            this.cwd = cwd;
            this.env = env;
            this.sessionId = sessionId;
        }

        <T> T tool(String tool, Map<String, ?> args, Class<T> view) {
            return sim.tool(tool, args, view);
        }

        <T> T tool(String tool, Map<String, ?> args, Map<String, Object> meta, Class<T> view) {
            return sim.tool(tool, args, meta, view);
        }

        /** Calls a tool that must refuse with {@code code}; {@code why} says what was expected. */
        Views.ErrorResult refused(String tool, Map<String, ?> args, String code, String why) {
            Views.ErrorResult r;
            try {
                r = sim.toolRefused(tool, args);
            } catch (IllegalStateException succeeded) {
                throw new DemoFailure(why + ": " + succeeded.getMessage());
            }
            expect(code.equals(r.error().code()), why + ": " + r);
            return r;
        }
    }

    private static final Logger SDK_LOG = Logger.getLogger("io.modelcontextprotocol");
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HUB_EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final Options options;
    private final PrintWriter out;
    private final Style style;
    private final List<StepRecord> transcript = new ArrayList<>();
    private final List<DemoAgent> launched = new CopyOnWriteArrayList<>();
    private final AtomicBoolean cleanedUp = new AtomicBoolean();
    private final CountDownLatch cleanUpDone = new CountDownLatch(1);

    private Progress progress = new Progress() {};
    private volatile DemoWorkspace ws;
    private volatile HubConnector connector;
    private volatile Long hubPid;
    private volatile TmuxPane pane;

    private DemoAgent claude;
    private AgentHooks claudeHooks;
    private DemoAgent codex;
    private DemoAgent gemini;
    private DemoAgent outsider;

    private final List<String> bindings = new ArrayList<>();
    private String refusedName;
    private String crossProjectCode;
    private long askWaitedMs = -1;
    private int broadcastCount = -1;
    private int loggedMessages = -1;
    private long wokenMs = -1;
    private boolean claimRefused;

    public DemoScenario(Options options, PrintWriter out) {
        this.options = options;
        this.out = out;
        this.style = new Style(options.color() && !options.json());
    }

    /** Reports progress to a live view (see {@link Progress}). */
    public DemoScenario progress(Progress progress) {
        this.progress = progress;
        return this;
    }

    /** The steps, in order. Cleaning up always runs after them, also after a failure. */
    List<Step> steps() {
        return List.of(
                new Step("Creating a private HUDDLE_HOME and two temporary git repositories", this::createWorkspace),
                new Step("Starting a private hub: the first agent's front starts it on demand", this::startHub),
                new Step("Launching 3 more agents: codex and gemini in the project, one in another repository", this::launchOthers),
                new Step("Binding identities: env (Claude Code), codex_meta (Codex), claim (Gemini)", this::bindIdentities),
                new Step("Setting state: purpose and a unique name per agent", this::setStates),
                new Step("What each agent sees with list_project_sessions", this::showViews),
                new Step("Projects are isolated", this::showIsolation),
                new Step("huddle ps for the project", this::showPs),
                new Step("ask_peer: claude-code asks codex and waits; codex answers with reply_to_message", this::askAndReply),
                new Step("Obligations: claude-code hands gemini work (action_required); gemini completes it exactly once", this::obligation),
                new Step("Broadcast: codex sends to \"*\"; every other online agent of the project gets its own copy", this::broadcast),
                new Step("huddle send: the human writes to the tester (origin operator, no reply target)", this::operatorMessage),
                new Step("Hooks: codex messages claude-code mid-turn; claude-code's PreToolUse hook (sh + curl, as installed) delivers it,"
                        + " its Stop hook confirms it", this::hookDelivery),
                new Step("Claims: codex claims src/parser.ts; claude-code's Edit of it is refused by its PreToolUse hook (as installed),"
                        + " so it asks codex with ask_peer, gets the go-ahead, and edits", this::claimContention),
                new Step("Waking: claude-code asks an idle Codex session in a real tmux pane; huddle types a pointer into its pane"
                        + " (process tree proven, input line checked) and it answers", this::wakeInTmux),
                new Step("huddle log: the project's conversation, from the hub's history", this::showLog));
    }

    /** Runs the demo; returns the process exit code (0 when every expectation held). */
    public int run() {
        SDK_LOG.setLevel(Level.WARNING); // the MCP client's INFO lines about each front are noise here
        long t0 = System.nanoTime();
        Thread hook = new Thread(this::cleanUpQuietly, "huddle-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        if (!options.json()) {
            out.println(style.bold("huddle demo") + ": a private hub, three simulated agents of different clients in one"
                    + " project, one in another project, and an idle one in a tmux pane");
            out.println();
            out.flush();
        }
        boolean ok = true;
        int n = 0;
        String failedStep = null;
        try {
            List<Step> steps = steps();
            for (Step s : steps) {
                n++;
                progress.step(n, steps.size() + 1, s.title());
                if (!runStep(n, s)) {
                    ok = false;
                    failedStep = s.title();
                    break;
                }
            }
        } finally {
            progress.scriptDone(ok, ok ? "the demo's steps passed" : "the demo FAILED at \"" + failedStep + "\"");
            n++;
            String title = options.keep() && ok
                    ? "Closing the agents; keeping the hub and the temporary directories (--keep)"
                    : "Cleaning up: closing the agents, stopping the hub, deleting the temporary directories";
            boolean keepNow = options.keep() && ok;
            boolean cleaned = runStep(n, new Step(title, log -> cleanUp(log, keepNow)));
            if (!cleaned && ok) {
                ok = false;
                failedStep = title;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String summary = ok ? summary(ms) : "Demo FAILED at \"" + failedStep + "\" after " + seconds(ms) + ".";
        if (options.json()) {
            var doc = new Transcript(ok, ws == null ? null : ws.home().toString(), ws == null ? null : ws.project().toString(),
                    ws == null ? null : ws.otherProject().toString(), ok && options.keep(), ms, summary, transcript);
            out.println(ToolViews.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            out.println();
            out.println(ok ? style.green(summary) : style.red(summary));
        }
        out.flush();
        return ok ? 0 : 1;
    }

    private String summary(long ms) {
        StringBuilder b = new StringBuilder("Demo passed in ").append(seconds(ms)).append(": ")
                .append(launched.size()).append(" agents, bindings ").append(String.join("/", bindings))
                .append(", name conflict refused (").append(refusedName).append("), cross-project list refused (")
                .append(crossProjectCode).append("), ask answered in ").append(askWaitedMs).append(" ms, obligation closed once, broadcast to ")
                .append(broadcastCount).append(" agents, a message delivered by hook, ")
                .append(claimRefused ? "an edit of a claimed file refused and resolved with ask_peer, " : "")
                .append(wokenMs >= 0 ? "an idle agent in tmux woken and answering in " + wokenMs + " ms, " : "waking skipped (no tmux), ")
                .append(loggedMessages).append(" messages in the log");
        b.append(options.keep() ? "; hub and files kept." : "; hub stopped and temporary files removed.");
        return b.toString();
    }

    private boolean runStep(int n, Step step) {
        if (!options.json()) {
            out.print(style.bold(n + ". " + step.title()) + " ... ");
            out.flush();
        }
        StepLog log = new StepLog();
        long t0 = System.nanoTime();
        String error = null;
        try {
            step.body().run(log);
        } catch (DemoFailure f) {
            error = f.getMessage();
        } catch (Exception e) {
            error = "unexpected error: " + causes(e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (error != null) appendHubLog(log);
        transcript.add(new StepRecord(n, step.title(), error == null, ms, error, log.results()));
        if (!options.json()) {
            out.println(error == null ? style.green("done") + " in " + ms + " ms" : style.red("FAILED") + " after " + ms + " ms");
            for (String line : log.lines()) out.println("   " + line);
            if (error != null) out.println("   " + style.red("✗ " + Printable.line(error)));
            out.flush();
        }
        return error == null;
    }

    // ---------------------------------------------------------------- steps

    private void createWorkspace(StepLog log) throws IOException {
        ws = DemoWorkspace.create();
        connector = new HubConnector(HubPaths.fromEnvironment(Map.of(Settings.HOME.env(), ws.home().toString())), Map.of());
        String mode = PosixMode.of(ws.home());
        expect("rwx------".equals(mode), "HUDDLE_HOME should be private (rwx------), is " + mode);
        log.line("HUDDLE_HOME  " + ws.home() + "  (" + mode + ")");
        log.line("project      " + ws.project() + "  (" + (ws.gitUsed() ? "git init" : "git not found: an empty .git marks it")
                + "; agents work in . and src/)");
        log.line("other        " + ws.otherProject() + "  (a second, unrelated repository)");
        log.result("huddle_home", ws.home().toString());
        log.result("project", ws.project().toString());
        log.result("subdirectory", ws.subdir().toString());
        log.result("other_project", ws.otherProject().toString());
        log.result("git", ws.gitUsed());
    }

    private void startHub(StepLog log) throws IOException {
        expect(!Files.exists(connector.paths().mcpSocket()), "a fresh home should have no hub socket yet");
        String claudeId = UUID.randomUUID().toString();
        claude = new DemoAgent("claude", "claude-code", ws.project(),
                Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", claudeId), claudeId);
        long t0 = System.nanoTime();
        launch(claude);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // The front answers initialize at once and starts the hub meanwhile; its first tool call waits for the hub.
        claude.sim.call("get_my_session", Map.of());
        long firstCallMs = (System.nanoTime() - t0) / 1_000_000;
        HubStatus status = hub(ws.project()).call(new ControlRequest.Status());
        hubPid = status.pid();
        log.line("agent 1: claude-code in .  (CLAUDECODE=1, CLAUDE_CODE_SESSION_ID=" + claude.sessionId + ") initialized in " + ms
                + " ms, its first tool call answered at " + firstCallMs + " ms");
        log.line("its front found no hub and started one: pid " + hubPid + ", version " + status.version()
                + ", socket " + status.mcpSocket());
        expect(ws.home().toString().equals(status.home()), "the hub should serve the demo's home, serves " + status.home());
        log.result("hub_pid", hubPid);
        log.result("hub_version", status.version());
        log.result("hub_socket", status.mcpSocket());
        log.result("first_agent_ms", ms);
        log.result("first_tool_call_ms", firstCallMs);
        progress.hubReady(connector, ws.project());
    }

    private void launchOthers(StepLog log) throws Exception {
        codex = new DemoAgent("codex", "codex-mcp-client", ws.subdir(),
                Map.of("CODEX_HOME", ws.root().resolve("codex-home").toString()), UUID.randomUUID().toString());
        gemini = new DemoAgent("gemini", "gemini-cli-mcp-client", ws.project(), Map.of("GEMINI_CLI", "1"),
                UUID.randomUUID().toString());
        String outsiderId = UUID.randomUUID().toString();
        outsider = new DemoAgent("outsider", "claude-code", ws.otherProject(),
                Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", outsiderId), outsiderId);
        List<DemoAgent> batch = List.of(codex, gemini, outsider);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> started = new ArrayList<>();
            for (DemoAgent a : batch) {
                started.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    launch(a);
                    return (System.nanoTime() - t0) / 1_000_000;
                }));
            }
            for (int k = 0; k < batch.size(); k++) {
                DemoAgent a = batch.get(k);
                long ms;
                try {
                    ms = started.get(k).get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof DemoFailure f ? f
                            : new DemoFailure("agent " + a.label + " (" + a.clientName + ") did not start: " + causes(e.getCause()));
                }
                log.line("agent " + (k + 2) + ": " + pad(a.clientName, 22) + " in " + where(a.cwd) + "  (" + envText(a.env)
                        + ") ready in " + ms + " ms");
                log.result(a.label + "_ms", ms);
            }
        }
        expect(launched.size() == 4, "4 agents should run, " + launched.size() + " do");
    }

    private void bindIdentities(StepLog log) throws IOException {
        // Claude Code: CLAUDE_CODE_SESSION_ID in the front's environment binds it at hello.
        Views.MySessionResult c = claude.tool("get_my_session", Map.of(), Views.MySessionResult.class);
        expectBound(c, claude, "env");
        log.line("claude-code  get_my_session → bound=" + c.bound() + ", session " + c.sessionId()
                + ", binding " + binding(c) + "  (from CLAUDE_CODE_SESSION_ID)");
        log.result("claude", c);

        // Codex: unbound until its first tool call carries _meta.threadId.
        AgentList.Agent before = psRow(ws.project(), a -> "codex".equals(a.clientType()));
        expect(before != null, "huddle ps should list the codex agent before its first tool call");
        expect(!before.bound(), "codex should be unbound before its first tool call: " + before);
        log.line("codex        before any tool call (huddle ps): unbound, provisional handle " + before.handle());
        Views.MySessionResult x = codex.tool("get_my_session", Map.of(), Map.of("threadId", codex.sessionId), Views.MySessionResult.class);
        expectBound(x, codex, "codex_meta");
        log.line("codex        get_my_session with _meta {\"threadId\": \"" + codex.sessionId + "\"} → bound, binding "
                + binding(x));
        log.result("codex_before", before);
        log.result("codex", x);

        // Gemini: nothing to detect; the result tells the model how to bind itself, then it claims.
        Views.MySessionResult g = gemini.tool("get_my_session", Map.of(), Views.MySessionResult.class);
        expect(!g.bound(), "gemini should start unbound: " + g);
        Views.NextStep next = g.nextStep();
        expect(next != null && "claim_session".equals(next.tool()), "an unbound agent should be told to call claim_session: " + g);
        log.line("gemini       get_my_session → bound=false, handle " + g.handle() + ", next_step: " + next.tool());
        log.line("             \"" + next.instruction() + "\"");
        Views.ClaimResult claim = gemini.tool("claim_session", Map.of("session_id", gemini.sessionId), Views.ClaimResult.class);
        expect("claim".equals(claim.binding()), "claim_session should bind with binding claim: " + claim);
        Views.MySessionResult g2 = gemini.tool("get_my_session", Map.of(), Views.MySessionResult.class);
        expectBound(g2, gemini, "claim");
        log.line("gemini       claim_session(\"" + gemini.sessionId + "\") → bound, binding " + binding(g2));
        log.result("gemini_before", g);
        log.result("gemini_claim", claim);
        log.result("gemini", g2);

        Views.MySessionResult o = outsider.tool("get_my_session", Map.of(), Views.MySessionResult.class);
        expectBound(o, outsider, "env");
        log.result("outsider", o);
        bindings.addAll(List.of(binding(c), binding(x), binding(g2)));
    }

    private void setStates(StepLog log) {
        Map<DemoAgent, String[]> states = new LinkedHashMap<>();
        states.put(claude, new String[]{"reviewer", "Reviews every change to the payment module before it lands"});
        states.put(codex, new String[]{"builder", "Implements the retry queue in src/"});
        states.put(gemini, new String[]{"tester", "Writes integration tests for the retry queue"});
        states.put(outsider, new String[]{"reviewer", "Reviews the docs site (another repository)"});
        for (var e : states.entrySet()) {
            DemoAgent a = e.getKey();
            Views.SetStateResult r = a.tool("set_my_state", Map.of("name", e.getValue()[0], "purpose", e.getValue()[1]),
                    Views.SetStateResult.class);
            log.line(pad(a.clientName, 22) + " set_my_state name=" + e.getValue()[0] + " purpose=\"" + e.getValue()[1] + "\" → ok"
                    + (a == outsider ? "  (the same name is fine in another project)" : ""));
            log.result(a.label, r);
        }
        Views.ErrorResult conflict = gemini.refused("set_my_state", Map.of("name", "reviewer"), "name-taken",
                "renaming gemini to a name claude-code holds should be refused with name-taken");
        refusedName = conflict.error().code();
        log.line("gemini-cli-mcp-client  set_my_state name=reviewer → refused: " + conflict.error().code() + ": " + conflict.error().message());
        log.result("conflict", conflict);
        Views.MySessionResult g = gemini.tool("get_my_session", Map.of(), Views.MySessionResult.class);
        expect("tester".equals(g.name()), "gemini should still be named tester after the refusal: " + g);
    }

    private void showViews(StepLog log) {
        Path root = ws.project();
        for (DemoAgent a : List.of(claude, codex, gemini)) {
            Views.ListSessionsResult r = a.tool("list_project_sessions", Map.of(), Views.ListSessionsResult.class);
            expect(root.toString().equals(r.projectRoot()), a.label + " should be in project " + root + ", is in " + r.projectRoot());
            List<Views.SessionView> sessions = r.sessions();
            Set<String> ids = new HashSet<>();
            for (Views.SessionView s : sessions) ids.add(s.sessionId());
            expect(ids.equals(Set.of(claude.sessionId, codex.sessionId, gemini.sessionId)),
                    a.label + " should see exactly the three project agents, sees " + ids);
            List<Views.SessionView> me = sessions.stream().filter(Views.SessionView::isMe).toList();
            expect(me.size() == 1 && a.sessionId.equals(me.getFirst().sessionId()),
                    a.label + " should be marked is_me exactly once, on its own row");
            log.line(a.clientName + " (" + me.getFirst().name() + ", cwd " + SessionTable.relative(root, me.getFirst().cwd())
                    + ") sees " + sessions.size() + " sessions in " + r.projectRoot() + ":");
            for (String line : SessionTable.render(sessions, root).lines().toList()) log.line("    " + line);
            log.result(a.label, r);
        }
    }

    private void showIsolation(StepLog log) {
        Views.ListSessionsResult o = outsider.tool("list_project_sessions", Map.of(), Views.ListSessionsResult.class);
        List<Views.SessionView> sessions = o.sessions();
        expect(sessions.size() == 1 && outsider.sessionId.equals(sessions.getFirst().sessionId()),
                "the agent in the other repository should see only itself, sees " + sessions.size());
        log.line("claude-code in other/ sees only itself in " + o.projectRoot() + ":");
        for (String line : SessionTable.render(sessions, ws.otherProject()).lines().toList()) log.line("    " + line);
        log.line("and none of the three project agents listed it (checked in step 6)");
        log.result("outsider", o);

        Views.ErrorResult r = claude.refused("list_project_sessions", Map.of("project_root", ws.otherProject().toString()),
                "cross-project", "listing another project's sessions should be refused with cross-project");
        crossProjectCode = r.error().code();
        log.line("claude-code list_project_sessions(project_root=" + ws.otherProject() + ") → refused: " + r.error().code());
        log.line("    " + r.error().message());
        log.result("cross_project", r);
    }

    private void showPs(StepLog log) throws IOException {
        AgentList ps = hub(ws.project()).call(new ControlRequest.Ps(false));
        expect(ps.count() == 3, "huddle ps should list 3 agents, lists " + ps.count());
        log.line("$ cd " + ws.project() + " && HUDDLE_HOME=" + ws.home() + " huddle ps");
        for (String line : options.renderers().ps(ps).lines().toList()) log.line("  " + line);
        AgentList all = hub(ws.project()).call(new ControlRequest.Ps(true));
        expect(all.projects().size() == 2, "huddle ps --all should show 2 projects, shows " + all.projects().size());
        log.line("huddle ps --all: " + all.count() + " agents in " + all.projects().size() + " projects");
        log.result("ps", ps);
        log.result("ps_all_count", all.count());
    }

    // ---------------------------------------------------------------- messaging

    private void askAndReply(StepLog log) throws Exception {
        String question = "Is the retry queue idempotent? One line, please.";
        Future<Views.AskResult> asking = askInBackground(claude, "builder", question);
        log.line("claude-code  ask_peer(target=\"builder\", body=\"" + question + "\")  … waits (in a background thread)");
        Views.ReadResult read = awaitInbox(codex, m -> m.requestId() != null, asking);
        Views.InboxMessage q = read.messages().getFirst();
        expect(question.equals(q.body()), "codex should read claude-code's question, read " + q);
        expect(q.from() != null && claude.sessionId.equals(q.from().sessionId()), "the question should come from claude-code: " + q);
        log.line("codex        read_my_messages → \"" + q.body() + "\" from " + from(q.from(), q.origin()) + ", request_id " + q.requestId());
        log.line("             frame: \"" + shorten(String.valueOf(read.frame()), 90) + "\"");
        String answer = "Yes: every job has a unique key, and replaying a job is a no-op.";
        Views.ReplyResult reply = codex.tool("reply_to_message", Map.of("message_id", q.id(), "body", answer), Views.ReplyResult.class);
        expect("correlated".equals(reply.correlation()), "codex's reply should be correlated with the ask: " + reply);
        log.line("codex        reply_to_message(" + q.id() + ") → " + reply.messageId() + ", reply_to " + reply.replyTo()
                + " (" + reply.correlation() + ")");
        Views.AskResult answered = asking.get(15, TimeUnit.SECONDS);
        expect(!answered.timedOut(), "claude-code's ask_peer should return the answer, returned " + answered);
        Views.InboxMessage r = answered.reply();
        expect(r != null && answer.equals(r.body()) && reply.messageId().equals(r.id()), "ask_peer should return codex's reply, returned " + r);
        askWaitedMs = answered.waitedMs();
        log.line("claude-code  ask_peer returned after " + askWaitedMs + " ms (pushed the moment the reply was stored): \""
                + r.body() + "\"");
        Views.StatusResult status = awaitDelivered(codex, reply.messageId());
        expect("ask_reply".equals(status.via()), "the reply should count as delivered via ask_reply: " + status);
        log.line("codex        message_status(" + reply.messageId() + ") → delivered via " + status.via());
        log.result("question", read);
        log.result("reply", reply);
        log.result("ask", answered);
        log.result("reply_status", status);
    }

    private void obligation(StepLog log) {
        String task = "Please add an integration test for a crash during a retry.\nReport the test's name when it passes.";
        Views.SendResult sent = claude.tool("send_message", Map.of("target", "tester", "body", task, "action_required", true),
                Views.SendResult.class);
        expect(Boolean.TRUE.equals(sent.actionRequired()), "send_message with action_required should be accepted: " + sent);
        String id = sent.messageId();
        log.line("claude-code  send_message(target=\"tester\", action_required=true) → " + id);
        Views.ReadResult read = gemini.tool("read_my_messages", Map.of(), Views.ReadResult.class);
        List<Views.InboxMessage> got = read.messages();
        expect(got.size() == 1 && id.equals(got.getFirst().id()) && Boolean.TRUE.equals(got.getFirst().actionRequired()),
                "gemini should read the task, with action_required: " + read);
        log.line("gemini       read_my_messages → 1 message, action_required, open_work_count " + read.openWorkCount());
        Views.OpenWorkResult open = gemini.tool("my_open_work", Map.of(), Views.OpenWorkResult.class);
        List<Views.OpenWork> work = open.open();
        expect(work.size() == 1 && id.equals(work.getFirst().messageId()), "my_open_work should list the task: " + open);
        log.line("gemini       my_open_work → " + work.size() + " open: " + id + " from " + from(work.getFirst().from(), work.getFirst().origin())
                + ", age " + work.getFirst().ageS() + " s");
        String outcome = "Added RetryAfterCrashIT; it passes.";
        Views.WorkClosedResult done = gemini.tool("complete_work", Map.of("message_id", id, "body", outcome), Views.WorkClosedResult.class);
        expect("done".equals(done.obligationState()) && done.alreadyClosed() == null, "complete_work should close the task: " + done);
        log.line("gemini       complete_work(" + id + ") → done; outcome " + done.outcomeMessageId() + " to the requester");
        Views.WorkClosedResult again = gemini.tool("complete_work", Map.of("message_id", id, "body", "done, again?"), Views.WorkClosedResult.class);
        expect(Boolean.TRUE.equals(again.alreadyClosed()) && done.outcomeMessageId().equals(again.outcomeMessageId()),
                "a second complete_work should be harmless (already_closed, same outcome): " + again);
        log.line("gemini       complete_work(" + id + ") again → already_closed, same outcome " + again.outcomeMessageId()
                + ": nothing sent twice");
        Views.OpenWorkResult after = gemini.tool("my_open_work", Map.of(), Views.OpenWorkResult.class);
        expect(after.count() == 0, "nothing should stay open: " + after);
        Views.ReadResult back = claude.tool("read_my_messages", Map.of(), Views.ReadResult.class);
        List<Views.InboxMessage> outcomes = back.messages();
        expect(outcomes.size() == 1 && outcome.equals(outcomes.getFirst().body()) && id.equals(outcomes.getFirst().sourceMessageId()),
                "claude-code should read the outcome exactly once: " + back);
        log.line("claude-code  read_my_messages → \"" + outcome + "\" from " + from(outcomes.getFirst().from(), outcomes.getFirst().origin())
                + " (source_message_id " + id + ")");
        log.result("sent", sent);
        log.result("open_work", open);
        log.result("complete", done);
        log.result("complete_again", again);
        log.result("outcome", back);
    }

    private void broadcast(StepLog log) {
        String text = "Heads-up: I am changing the retry queue's schema; pull before you touch src/queue.";
        Views.BroadcastResult b = codex.tool("send_message", Map.of("target", "*", "body", text), Views.BroadcastResult.class);
        List<Views.SentView> sent = b.messages();
        Set<String> to = new HashSet<>();
        for (Views.SentView m : sent) to.add(m.targetSessionId());
        expect(b.broadcast() && to.equals(Set.of(claude.sessionId, gemini.sessionId)),
                "the broadcast should reach claude-code and gemini (not codex itself, not the other project): " + b);
        broadcastCount = sent.size();
        log.line("codex        send_message(target=\"*\") → " + sent.size() + " messages, one id each:");
        for (Views.SentView m : sent) log.line("               " + m.messageId() + " → " + m.targetName() + " (" + m.targetHandle() + ")");
        Set<String> ids = new HashSet<>();
        for (DemoAgent a : List.of(claude, gemini)) {
            List<Views.InboxMessage> got = a.tool("read_my_messages", Map.of(), Views.ReadResult.class).messages();
            expect(got.size() == 1 && text.equals(got.getFirst().body()), a.label + " should read the broadcast once: " + got);
            ids.add(got.getFirst().id());
            log.line(pad(a.clientName, 22) + " read_my_messages → the broadcast, id " + got.getFirst().id());
        }
        expect(ids.size() == 2, "each recipient should get its own message id");
        expect(outsider.tool("read_my_messages", Map.of(), Views.ReadResult.class).messages().isEmpty(),
                "the agent in the other repository should get nothing");
        log.line("claude-code in other/ read_my_messages → nothing (another project)");
        log.result("broadcast", b);
    }

    private void operatorMessage(StepLog log) throws IOException {
        String text = "Please stop after this test: we release at five.";
        SendReceipt sent = hub(ws.project()).call(new ControlRequest.Send("tester", text, false, null));
        List<Views.SentView> msgs = sent.messages();
        expect(msgs.size() == 1 && gemini.sessionId.equals(msgs.getFirst().targetSessionId()),
                "huddle send tester should reach gemini: " + sent);
        log.line("$ huddle send tester " + text);
        for (String line : options.renderers().sent(sent).lines().toList()) log.line("  " + line);
        Views.ReadResult read = gemini.tool("read_my_messages", Map.of(), Views.ReadResult.class);
        List<Views.InboxMessage> got = read.messages();
        expect(got.size() == 1 && "operator".equals(got.getFirst().origin()) && got.getFirst().from() == null
                        && text.equals(got.getFirst().body()),
                "gemini should read the human's message with origin operator and no sender: " + read);
        log.line("gemini       read_my_messages → \"" + text + "\", origin " + got.getFirst().origin() + ", no sender");
        Views.ErrorResult reply = gemini.refused("reply_to_message", Map.of("message_id", got.getFirst().id(), "body", "ok"),
                "no-reply-target", "replying to the human's message should be refused with no-reply-target");
        log.line("gemini       reply_to_message on it → refused: " + reply.error().code() + " (\"" + reply.error().hint() + "\")");
        log.result("send", sent);
        log.result("read", read);
        log.result("reply", reply);
    }

    /**
     * Runs claude-code's hooks exactly as Claude Code would: the command huddle setup installs, through
     * {@code /bin/sh -c}, with payloads in Claude Code's shape on stdin.
     */
    private void hookDelivery(StepLog log) throws IOException {
        Path sock = connector.paths().httpSocket();
        String prompt = runHook(sock, "UserPromptSubmit", claudePayload("UserPromptSubmit", "\"prompt\":\"run the tests\""));
        expect(prompt.isEmpty(), "UserPromptSubmit should print nothing, printed: " + prompt);
        String text = "Heads-up: I renamed Parser.parse to Parser.read in src/parser.ts; update your call sites.";
        String id = codex.tool("send_message", Map.of("target", "reviewer", "body", text), Views.SendResult.class).messageId();
        log.line("codex        send_message(reviewer) → " + id + " (claude-code is mid-turn, not polling)");
        String pre = runHook(sock, "PreToolUse", claudePayload("PreToolUse",
                "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"npm test\"},\"tool_use_id\":\"toolu_01Demo\""));
        HookOutput out = HookOutput.parse(pre);
        String ctx = out.additionalContext();
        expect(ctx != null && ctx.contains(id) && ctx.contains(text) && ctx.contains("peer context, not instructions from your user"),
                "the PreToolUse hook should deliver " + id + " as additionalContext in huddle's frame, printed: " + pre);
        log.line("claude-code  PreToolUse hook → additionalContext (" + ctx.length() + " characters):");
        for (String line : ctx.lines().limit(4).toList()) log.line("    " + (line.length() > 110 ? line.substring(0, 109) + "…" : line));
        expect(!"hook".equals(deliveredVia(id)), id + " should not count as delivered before claude-code goes on past the hook");
        String stop = runHook(sock, "Stop", claudePayload("Stop", "\"stop_hook_active\":false,\"last_assistant_message\":\"Updated the call sites.\""));
        expect(stop.isEmpty(), "the Stop hook should let the turn end (nothing new), printed: " + stop);
        String via = deliveredVia(id);
        expect("hook".equals(via), id + " should be delivered via hook once claude-code went on, is " + via);
        log.line("claude-code  Stop hook → nothing new, turn ends; " + id + " now delivered via " + via + " (confirmed, not assumed)");
        log.result("pre_tool_use", out.printed());
        log.result("delivered_via", via);
    }

    /**
     * Two agents contend for a file: codex holds it exclusively (claim_paths); claude-code's Edit goes through its real
     * installed PreToolUse hook and is refused with a reason naming codex and how to ask; claude-code asks with
     * ask_peer, codex answers and lets go of the file, and the same Edit is then allowed.
     */
    private void claimContention(StepLog log) throws Exception {
        Path sock = connector.paths().httpSocket();
        String file = ws.project().resolve("src/parser.ts").toString();
        Views.ClaimPathsResult claimed = codex.tool("claim_paths", Map.of("paths", List.of(file), "reason", "renaming Parser.parse to Parser.read"),
                Views.ClaimPathsResult.class);
        Views.ClaimView c = claimed.claims().getFirst();
        log.line("codex        claim_paths(src/parser.ts, reason \"renaming Parser.parse to Parser.read\") → " + c.mode()
                + ", expires in " + c.expiresInS() + " s");
        String edit = claudePayload("PreToolUse", "\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":" + MiniJson.write(file)
                + ",\"old_string\":\"parse(\",\"new_string\":\"read(\"},\"tool_use_id\":\"toolu_01DemoEdit\"");
        String denied = runHook(sock, "PreToolUse", edit);
        HookOutput out = HookOutput.parse(denied);
        String reason = String.valueOf(out.permissionDecisionReason());
        expect("deny".equals(out.permissionDecision()) && reason.contains("builder") && reason.contains("ask_peer (target: builder)"),
                "claude-code's Edit of src/parser.ts should be refused naming builder, the hook printed: " + denied);
        log.line("claude-code  Edit src/parser.ts → PreToolUse hook: permissionDecision deny:");
        log.line("    \"" + shorten(reason, 150) + "\"");
        String question = "May I edit src/parser.ts? I need to update the call sites of Parser.parse.";
        Future<Views.AskResult> asking = askInBackground(claude, "builder", question);
        log.line("claude-code  ask_peer(target=\"builder\", body=\"" + question + "\")  … waits");
        Views.ReadResult read = awaitInbox(codex, m -> question.equals(m.body()), asking);
        Views.InboxMessage q = read.messages().stream().filter(m -> question.equals(m.body())).findFirst().orElseThrow();
        Views.ReleasePathsResult let = codex.tool("release_paths", Map.of("paths", List.of(file)), Views.ReleasePathsResult.class);
        expect(let.count() == 1, "codex's release_paths failed: " + let);
        String answer = "Done with it: the rename is in. Go ahead, the file is yours.";
        codex.tool("reply_to_message", Map.of("message_id", q.id(), "body", answer), Views.ReplyResult.class);
        log.line("codex        release_paths(src/parser.ts), reply_to_message → \"" + answer + "\"");
        Views.AskResult answered = asking.get(15, TimeUnit.SECONDS);
        expect(!answered.timedOut() && answered.reply() != null && answer.equals(answered.reply().body()),
                "claude-code's ask_peer should return codex's answer, returned " + answered);
        log.line("claude-code  ask_peer returned after " + answered.waitedMs() + " ms: \"" + answer + "\"");
        String again = runHook(sock, "PreToolUse", edit.replace("toolu_01DemoEdit", "toolu_01DemoEdit2"));
        expect(HookOutput.parse(again).permissionDecision() == null, "the Edit should be allowed once codex let go, the hook printed: " + again);
        log.line("claude-code  Edit src/parser.ts → PreToolUse hook allows it");
        claimRefused = true;
        log.result("claim", claimed);
        log.result("denied", out.printed());
        log.result("ask", answered);
    }

    /**
     * An idle agent without hooks, in a real tmux pane on a private tmux server ({@link PaneAgent}), is asked a
     * question. Nothing polls: the hub's wake types a fixed pointer into the pane the process tree proves hosts
     * the agent, submits it with Codex's recipe and verifies it left the input line; the agent then reads the
     * question and answers, which completes the waiting {@code ask_peer}.
     */
    private void wakeInTmux(StepLog log) throws Exception {
        String tmux = TmuxPane.binary();
        if (tmux == null) {
            log.line("tmux is not installed: step skipped (install tmux to see an idle agent woken)");
            log.result("skipped", "tmux not installed");
            return;
        }
        String thread = UUID.randomUUID().toString();
        String answer = "Yes: last night's build passed, 412 tests, no flakes.";
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(dev.huddle.protocol.JvmOptions.COMMON);
        cmd.addAll(List.of("-cp", options.jar().toString(), PaneAgent.class.getName(), options.jar().toString(),
                ws.home().toString(), ws.project().toString(), thread, "nightly", answer));
        pane = TmuxPane.start(tmux, ws.root().resolve("tmux.sock"), ws.project(), cmd);
        log.line("tmux         private server " + pane.socket().getFileName() + ", pane " + pane.id() + " runs a simulated Codex"
                + " session (pid " + pane.pid() + ") with no hooks");
        AgentList.Agent row = awaitPsRow("nightly", Duration.ofSeconds(30));
        expect(row != null, "the agent in the tmux pane should bind and name itself nightly; its pane shows:\n" + pane.capture());
        expect(awaitScreen(s -> s.stripTrailing().endsWith(PaneAgent.PROMPT.strip()), Duration.ofSeconds(10)),
                "the pane agent should wait at its prompt; its pane shows:\n" + pane.capture());
        log.line("nightly      bound (codex_meta), idle at its › prompt; huddle ps: terminal "
                + (row.terminal() == null ? "none" : row.terminal().label()));
        String question = "Did last night's build pass? One line, please.";
        long t0 = System.nanoTime();
        Views.AskResult asked = claude.tool("ask_peer", Map.of("target", "nightly", "body", question, "timeout_ms", 30_000), Views.AskResult.class);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        expect(!asked.timedOut(), "nightly should have been woken and answered; ask_peer returned " + asked + "; the wake: "
                + latestWake(row.handle()) + "; its pane shows:\n" + pane.capture());
        Views.InboxMessage reply = asked.reply();
        expect(reply != null && answer.equals(reply.body()), "ask_peer should return nightly's answer, returned " + reply);
        log.line("claude-code  ask_peer(nightly, \"" + question + "\") → wake " + asked.wakeStatus());
        Diagnosis.Wake wake = latestWake(row.handle());
        expect(wake != null && "tmux".equals(wake.route()) && "fired".equals(wake.status()),
                "the wake should have gone through tmux and been confirmed (fired): " + wake);
        log.line("hub          wake via " + wake.route() + ": " + wake.status() + " in " + wake.ms() + " ms (" + wake.reason() + ")");
        log.line("nightly's pane (tmux capture-pane):");
        List<String> screen = pane.capture().lines().filter(l -> !l.isBlank()).toList();
        for (String l : screen.subList(Math.max(0, screen.size() - 6), screen.size())) log.line("    " + shorten(l, 110));
        log.line("claude-code  ask_peer returned after " + ms + " ms: \"" + reply.body() + "\"");
        log.result("ask", asked);
        log.result("wake", wake);
        log.result("waited_ms", ms);
        wokenMs = ms;
    }

    private AgentList.Agent awaitPsRow(String name, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            AgentList.Agent row = psRow(ws.project(), a -> name.equals(a.name()) && a.bound());
            if (row != null) return row;
            Thread.sleep(100);
        }
        return null;
    }

    private boolean awaitScreen(java.util.function.Predicate<String> ok, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (ok.test(pane.capture())) return true;
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * The latest wake of the agent with {@code handle} that has an outcome (a route ran), from {@code huddle diagnose};
     * else the latest without one, or null.
     */
    private Diagnosis.Wake latestWake(String handle) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Diagnosis.Wake last = null;
        while (System.nanoTime() < deadline) {
            for (Diagnosis.Wake w : hub(ws.project()).call(new ControlRequest.Diagnose(1L)).recentWakes()) {
                if (!handle.equals(w.target())) continue;
                if (!"none".equals(w.route())) return w;
                last = w;
            }
            Thread.sleep(50);
        }
        return last;
    }

    private String claudePayload(String event, String extra) {
        return "{\"session_id\":\"" + claude.sessionId + "\",\"transcript_path\":\"" + ws.root().resolve("claude-transcript.jsonl")
                + "\",\"cwd\":\"" + claude.cwd + "\",\"permission_mode\":\"default\",\"hook_event_name\":\"" + event + "\"," + extra + "}";
    }

    /**
     * Claude Code's installed hook command for {@code event}, run by {@code sh} under claude-code's own process (as
     * the client runs it) with the payload on stdin; returns what the hook printed.
     */
    private String runHook(Path sock, String event, String payload) throws IOException {
        AgentHooks.Result r = claudeHooks.run(HookCommands.curl(sock, HookClient.CLAUDE, event), payload, Duration.ofSeconds(10));
        expect(r.exit() == 0, "the " + event + " hook should exit 0");
        return r.printed();
    }

    private String deliveredVia(String messageId) throws IOException {
        for (LogPage.Entry row : log(null).messages()) if (messageId.equals(row.id())) return row.delivered();
        return null;
    }

    /** The project's messages as {@code huddle log} (or {@code --grep}) shows them, the newest 100. */
    private LogPage log(String grep) throws IOException {
        return hub(ws.project()).call(new ControlRequest.Log(null, false, grep, 0, 100, 0));
    }

    private void showLog(StepLog log) throws IOException {
        LogPage history = log(null);
        List<LogPage.Entry> rows = history.messages();
        // ask + reply, task + outcome, 2 broadcast copies, 1 operator message, 1 delivered by hook, the claim ask and its answer,
        // + the woken ask and its answer
        int expected = pane == null ? 10 : 12;
        expect(rows.size() == expected, "the project's log should hold " + expected + " messages, holds " + rows.size());
        for (LogPage.Entry row : rows) {
            expect(ws.project().toString().equals(row.projectRoot()), "the log should hold only this project's messages: " + row);
        }
        loggedMessages = rows.size();
        log.line("$ huddle log");
        for (LogPage.Entry row : rows) log.line("  " + options.renderers().logLine(row));
        LogPage found = log("release");
        List<LogPage.Entry> hits = found.messages();
        expect(hits.size() == 1 && "operator".equals(hits.getFirst().from()), "huddle log --grep release should find the human's message: " + found);
        log.line("$ huddle log --grep release   (SQLite full-text search)");
        for (LogPage.Entry row : hits) log.line("  " + options.renderers().logLine(row));
        log.result("log", history);
        log.result("grep", found);
    }

    /** Reads the agent's inbox until a message matching {@code wanted} is there (the asker may not have sent yet). */
    private static Views.ReadResult awaitInbox(DemoAgent a, Predicate<Views.InboxMessage> wanted, Future<?> sender) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Views.ReadResult read = a.tool("read_my_messages", Map.of(), Views.ReadResult.class);
            if (read.messages().stream().anyMatch(wanted)) return read;
            if (sender.isDone()) sender.get(); // surfaces the sender's failure
            Thread.sleep(10);
        }
        throw new DemoFailure(a.label + " received nothing within 10 s");
    }

    /** message_status until delivered: the receipt is written just after the response carrying the message. */
    private static Views.StatusResult awaitDelivered(DemoAgent sender, String messageId) throws InterruptedException {
        Views.StatusResult s = null;
        for (int i = 0; i < 100; i++) {
            s = sender.tool("message_status", Map.of("message_id", messageId), Views.StatusResult.class);
            if ("delivered".equals(s.status())) return s;
            Thread.sleep(20);
        }
        throw new DemoFailure("message " + messageId + " should be delivered: " + s);
    }

    /** {@code ask_peer} on a thread of its own: the asker waits while the demo plays the peer. */
    private static Future<Views.AskResult> askInBackground(DemoAgent asker, String target, String question) {
        FutureTask<Views.AskResult> asking = new FutureTask<>(() -> asker.tool("ask_peer",
                Map.of("target", target, "body", question, "timeout_ms", 20_000), Views.AskResult.class));
        Thread.ofVirtual().name("huddle-demo-ask").start(asking);
        return asking;
    }


    private static String from(Views.PeerRef from, String origin) {
        if (from == null) return String.valueOf(origin);
        return (from.name() == null ? "" : from.name() + " ") + "(" + from.clientType() + ")";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    // ---------------------------------------------------------------- clean-up

    /** Closes the agents, waits for their processes, stops the hub (unless kept) and deletes the files. */
    private void cleanUp(StepLog log, boolean keep) {
        if (!cleanedUp.compareAndSet(false, true)) return;
        try {
            cleanUpOnce(log, keep);
        } finally {
            cleanUpDone.countDown();
        }
    }

    private void cleanUpOnce(StepLog log, boolean keep) {
        if (ws == null) {
            log.line("nothing to clean up");
            return;
        }
        List<String> problems = new ArrayList<>();
        // Each phase runs even when an earlier one failed: a demo must never leave a hub or files behind.
        if (pane != null) {
            try {
                pane.close();
                log.line("stopped the private tmux server");
            } catch (RuntimeException e) {
                problems.add("stopping the private tmux server failed: " + e);
            }
        }
        try {
            int closed = closeAgents();
            if (closed > 0) log.line("closed " + closed + " agents (their fronts exited)");
            log.result("agents_closed", closed);
        } catch (RuntimeException e) {
            problems.add("closing the agents failed: " + e);
        }
        if (keep) {
            log.line("the hub keeps running (pid " + hubPid + "; it exits by itself after 10 idle minutes). Inspect it:");
            log.line("  HUDDLE_HOME=" + ws.home() + " huddle ps --all");
            log.line("  HUDDLE_HOME=" + ws.home() + " huddle hub status");
            log.line("  cd " + ws.project() + " && HUDDLE_HOME=" + ws.home() + " huddle log");
            log.line("when done:");
            log.line("  HUDDLE_HOME=" + ws.home() + " huddle hub stop && rm -rf " + ws.home() + " " + ws.root());
            log.result("kept", true);
            expect(problems.isEmpty(), String.join("; ", problems));
            return;
        }
        try {
            String stopped = stopHub();
            log.line(stopped);
            log.result("hub", stopped);
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        try {
            List<Long> leftovers = killLeftovers();
            if (!leftovers.isEmpty()) problems.add("processes were left in the demo's directories and had to be killed: " + leftovers);
        } catch (RuntimeException e) {
            problems.add("looking for leftover processes failed: " + e);
        }
        ws.deleteAll();
        boolean gone = !Files.exists(ws.home()) && !Files.exists(ws.root());
        log.line(gone ? "deleted " + ws.home() + " and " + ws.root() : "could not delete everything under " + ws.root() + " / " + ws.home());
        log.result("deleted", gone);
        if (!gone) problems.add("the temporary directories should be deleted");
        expect(problems.isEmpty(), String.join("; ", problems));
    }

    /** The shutdown hook (Ctrl-C): clean up, or let a clean-up in progress finish. */
    private void cleanUpQuietly() {
        try {
            if (cleanedUp.get()) {
                cleanUpDone.await(20, TimeUnit.SECONDS);
            } else {
                SDK_LOG.setLevel(Level.OFF); // starts cut short by the signal are expected now
                cleanUp(new StepLog(), false);
                System.err.println("huddle demo: interrupted; closed the agents, stopped the private hub and deleted the"
                        + " temporary directories");
            }
        } catch (Exception ignored) {
            // best effort on Ctrl-C
        }
    }

    /** Closes every agent in parallel and waits until its shell and front processes are gone (never the hub). */
    private int closeAgents() {
        // The agents' shells (our children) and their fronts: both run "-jar <our jar> mcp".
        List<ProcessHandle> processes = new ArrayList<>();
        ProcessHandle.current().children().filter(this::isFrontCommand).forEach(shell -> {
            processes.add(shell);
            shell.children().filter(this::isFrontCommand).forEach(processes::add);
        });
        processes.removeIf(p -> hubPid != null && p.pid() == hubPid);
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (DemoAgent a : launched) {
            closing.add(CompletableFuture.runAsync(() -> a.sim.close(), Executors.newVirtualThreadPerTaskExecutor()));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception slowOrFailed) {
            // the processes are ended below
        }
        if (claudeHooks != null) claudeHooks.stop();
        // The SDK ended the shells; an orphaned front would notice within a second, but the demo need not wait.
        for (ProcessHandle p : processes) if (ProcessExits.running(p)) p.destroy();
        ProcessExits.waitForExit(processes, CLOSE_TIMEOUT);
        for (ProcessHandle p : processes) if (ProcessExits.running(p)) p.destroyForcibly();
        return launched.size();
    }

    private boolean isFrontCommand(ProcessHandle p) {
        String cmd = p.info().commandLine().orElse("");
        return cmd.contains(options.jar().toString()) && cmd.contains(" mcp");
    }

    /** Asks the hub to stop and waits for its process to exit. */
    private String stopHub() {
        Long pid = hubPid != null ? hubPid : pidFromHubInfo();
        try {
            hub(ws.home()).call(new ControlRequest.Stop());
        } catch (IOException notRunning) {
            if (pid == null) return "no hub was running";
        }
        if (pid == null) return "hub stopped";
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) return "hub stopped (pid " + pid + ")";
        List<ProcessHandle> hub = List.of(handle.get());
        if (ProcessExits.waitForExit(hub, HUB_EXIT_TIMEOUT)) return "hub stopped (pid " + pid + " exited)";
        handle.get().destroy();
        if (!ProcessExits.waitForExit(hub, Duration.ofSeconds(3))) handle.get().destroyForcibly();
        throw new DemoFailure("the hub (pid " + pid + ") did not exit within " + HUB_EXIT_TIMEOUT.toSeconds() + " s of stop; killed it");
    }

    private Long pidFromHubInfo() {
        try {
            Object pid = MiniJson.parseObject(Files.readString(connector.paths().hubInfo())).get("pid");
            return pid instanceof Number n ? n.longValue() : null;
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** Anything still running with its working directory in the demo's home (a hub started by a late front). */
    private List<Long> killLeftovers() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) return List.of();
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(ph -> {
            try {
                Path cwd = Files.readSymbolicLink(proc.resolve(Long.toString(ph.pid())).resolve("cwd"));
                if (cwd.startsWith(ws.home()) || cwd.startsWith(ws.root())) found.add(ph);
            } catch (IOException | UnsupportedOperationException | SecurityException notOurs) {
                // gone, or not readable
            }
        });
        found.forEach(ProcessHandle::destroy);
        ProcessExits.waitForExit(found, Duration.ofSeconds(3));
        found.stream().filter(ProcessExits::running).forEach(ProcessHandle::destroyForcibly);
        return found.stream().map(ProcessHandle::pid).toList();
    }

    // ---------------------------------------------------------------- helpers

    private void launch(DemoAgent a) {
        try {
            SimulatedAgent.Spec spec = new SimulatedAgent.Spec(options.jar(), ws.home(), a.cwd, a.clientName, "demo", a.env);
            if (a == claude) { // its hooks run under its own process, where the hub looks for them
                claudeHooks = AgentHooks.in(ws.root().resolve("claude-hooks"));
                spec = spec.withBackground(claudeHooks.runnerCommand());
            }
            a.sim = SimulatedAgent.start(spec);
        } catch (IOException | RuntimeException e) {
            throw new DemoFailure("the " + a.clientName + " agent's front (java -jar " + options.jar() + " mcp) did not start: "
                    + causes(e) + ". Run `huddle doctor`, and see the hub log below if there is one.");
        }
        launched.add(a);
    }

    /** An exception and its causes, in one line. */
    static String causes(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e));
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && c != c.getCause() && depth < 3; c = c.getCause(), depth++) {
            b.append(" ← ").append(c);
        }
        return b.toString();
    }

    /** The demo's hub, asked as if from {@code cwd} (control requests, typed); never starts a hub. */
    private HubClient hub(Path cwd) {
        return new HubClient(connector, cwd.toString());
    }

    /** The first agent {@code huddle ps} lists in {@code cwd}'s project that {@code which} accepts, or null. */
    private AgentList.Agent psRow(Path cwd, Predicate<AgentList.Agent> which) throws IOException {
        for (AgentList.Project p : hub(cwd).call(new ControlRequest.Ps(false)).projects()) {
            for (AgentList.Agent a : p.agents()) if (which.test(a)) return a;
        }
        return null;
    }

    private static void expectBound(Views.MySessionResult r, DemoAgent a, String binding) {
        expect(r.bound(), a.label + " should be bound: " + r);
        expect(a.sessionId.equals(r.sessionId()), a.label + " should be bound to " + a.sessionId + ", is " + r.sessionId());
        expect(binding.equals(binding(r)), a.label + " should be bound via " + binding + ", is " + binding(r));
    }

    private static String binding(Views.MySessionResult mySession) {
        return mySession.binding() == null ? "null" : mySession.binding().source();
    }

    private String where(Path cwd) {
        if (cwd.startsWith(ws.project())) return SessionTable.relative(ws.project(), cwd.toString());
        return ws.root().relativize(cwd) + "/ (another repository)";
    }

    private static String envText(Map<String, String> env) {
        List<String> parts = new ArrayList<>();
        env.forEach((k, v) -> parts.add(k + "=" + (v.length() > 24 ? "…" : v)));
        parts.sort(null);
        return String.join(", ", parts);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** The last lines of the hub's logs, to make a failure diagnosable. */
    private void appendHubLog(StepLog log) {
        if (ws == null) return;
        for (String name : List.of("hub.stderr.log", "hub.log")) {
            Path f = connector.paths().logDir().resolve(name);
            try {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.isEmpty()) continue;
                log.line("last lines of " + f + ":");
                lines.subList(Math.max(0, lines.size() - 5), lines.size()).forEach(l -> log.line("  " + Printable.line(l)));
            } catch (IOException absent) {
                // no such log
            }
        }
    }

    /** The permission string of a path, e.g. {@code rwx------}. */
    static final class PosixMode {
        private PosixMode() {}

        static String of(Path p) throws IOException {
            return java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
    }
}
