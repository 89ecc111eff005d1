package dev.huddle.tools.bench;

import dev.huddle.protocol.Settings;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.MiniJson;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated Codex session of the wake soak ({@link SoakBench}), run as the program of a tmux pane. It is the
 * agent process in every sense the hub can check: its {@code huddle mcp} front is its direct child, and it runs
 * Codex's hooks with {@code sh -c <the installed command>}, so {@code $PPID} in a hook is this process, exactly as
 * with a real Codex.
 *
 * <p>Its screen imitates Codex's: the last line is always the composer {@code › } (also while it works, as Codex
 * keeps its composer open during a turn); status lines above it say {@code ✓ idle} or {@code • working}. The tty is
 * in ordinary line mode, so a draft is echoed after the composer marker and a submitted line reaches stdin on Enter.
 *
 * <p>Idle, it waits for a submitted line (a wake's pointer, or the human's prompt). A line starts a turn: the
 * UserPromptSubmit hook (busy; may deliver mail), {@code read_my_messages}, 2–20 s of work during which it runs
 * PreToolUse hooks (which may deliver mail), answers asks and obligations, replies to some messages and sends
 * some of its own ({@code send_message} with {@code wake:"auto"} or {@code action_required}, or {@code ask_peer}),
 * then the Stop hook: a block with mail is a continuation turn, {@code {}} means idle. Every event goes to a JSON
 * lines log with wall-clock milliseconds; a line that arrives while it is busy is logged as such (a keystroke into
 * a busy agent) and kept for after the turn, as Codex queues it.
 *
 * <p>Usage: {@code java -cp huddle.jar dev.huddle.tools.bench.SoakAgent <config.json> <name> <seed>}.
 */
public final class SoakAgent {
    static final String PROMPT = "› ";
    static final String IDLE_MARK = "  ✓ ";
    static final String BUSY_MARK = "  • ";
    /** Header of one delivered message in a hook's frame (hub.messaging.TrustFrame). */
    private static final Pattern HEADER = Pattern.compile("=== [0-9a-f]+ message ([0-9a-f]{16}) \\| from (.+?)"
            + "(?: \\| request_id=([0-9a-f]+) \\([^)]*\\))?(?: \\| reply_to=([0-9a-f]+))?( \\| action_required[^=]*)? ===");

    private enum State { IDLE, BUSY }

    /** A message this agent got, by whatever path. */
    record Inbound(String id, String from, String requestId, String replyTo, boolean actionRequired, String body) {
    }

    private final Map<String, Object> cfg;
    private final String name;
    private final Random random;
    private final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    private final SoakLog log;
    private final String thread = UUID.randomUUID().toString();
    private final Path project;
    private final Path httpSocket;
    private final Map<String, String> hookEnv;
    private final List<String> peers;
    private final Path stopFile;
    private final Object screen = new Object();
    private final LinkedBlockingQueue<String> accepted = new LinkedBlockingQueue<>();
    private final Deque<String> queuedWhileBusy = new ArrayDeque<>();
    private final Deque<Inbound> inbox = new ArrayDeque<>();
    private State state = State.BUSY; // guarded by screen; idle once ready
    private final SoakHooks hooks;
    private SoakFront front;
    private int sendSeq;

    private SoakAgent(Map<String, Object> cfg, String name, long seed) throws IOException {
        this.cfg = cfg;
        this.name = name;
        this.random = new Random(seed);
        this.log = new SoakLog(Path.of(str("log_dir")).resolve(name + ".jsonl"));
        this.project = Path.of(str("project"));
        this.httpSocket = HubPaths.fromEnvironment(Map.of(Settings.HOME.env(), str("home"))).httpSocket();
        this.hookEnv = baseEnv();
        this.peers = ((List<?>) cfg.get("peers")).stream().map(String::valueOf).filter(p -> !p.equals(name)).toList();
        this.stopFile = Path.of(str("stop_file"));
        this.hooks = new SoakHooks(httpSocket, project, hookEnv, thread, log);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SoakAgent <config.json> <name> <seed>");
            System.exit(2);
        }
        Map<String, Object> cfg = MiniJson.parseObject(Files.readString(Path.of(args[0])));
        SoakAgent a = new SoakAgent(cfg, args[1], Long.parseLong(args[2]));
        try {
            a.run();
        } catch (Throwable t) {
            a.log.event("error", "what", "fatal: " + t);
            throw t;
        } finally {
            if (a.front != null) a.front.finish(3_000);
        }
    }

    private void run() throws Exception {
        front = SoakFront.start(str("java"), ((List<?>) cfg.get("front_flags")).stream().map(String::valueOf).toList(), str("jar"), project,
                hookEnv, Path.of(str("log_dir")).resolve(name + ".front.err"), thread, log);
        log.event("start", "pid", ProcessHandle.current().pid(), "front_pid", front.pid());
        hooks.run("SessionStart", Map.of("source", "startup"));
        Map<String, Object> set = call("set_my_state", Map.of("name", name, "purpose", "soak agent " + name));
        if (!Boolean.TRUE.equals(set.get("ok"))) throw new IOException("set_my_state failed: " + set);
        Map<String, Object> me = call("get_my_session", Map.of());
        Object process = me.get("agent_process") instanceof Map<?, ?> p ? p.get("pid") : null;
        Object binding = me.get("binding") instanceof Map<?, ?> b ? b.get("source") : me.get("binding");
        log.event("bound", "pid", ProcessHandle.current().pid(), "front_pid", front.pid(), "process_pid", process,
                "binding", binding, "session_id", me.get("session_id"), "handle", me.get("handle"));
        Thread reader = Thread.ofPlatform().daemon().name("soak-stdin").start(this::readStdin);
        synchronized (screen) {
            out.print(name + ": a simulated Codex session (pid " + ProcessHandle.current().pid() + ", front " + front.pid() + ")\n");
            goIdle();
        }
        while (reader.isAlive() || !accepted.isEmpty()) {
            String line = accepted.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            if (line != null) turn(line);
        }
    }

    // ---- the terminal ------------------------------------------------------------------------------------------

    /** Reads submitted lines; the state when a line arrives decides whether it was a keystroke into a busy agent. */
    private void readStdin() {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (screen) {
                    if (state == State.BUSY) {
                        log.event("line_busy", "text", line);
                        if (!line.isBlank()) queuedWhileBusy.add(line);
                        out.print(PROMPT); // the tty echoed the newline: draw the composer again
                    } else if (line.isBlank()) {
                        log.event("blank_idle");
                        out.print(PROMPT); // Enter on an empty composer does nothing
                    } else {
                        accept(line, false);
                    }
                    out.flush();
                }
            }
        } catch (IOException e) {
            log.event("eof", "why", e.toString()); // the pane closed (the soak ends)
            return;
        }
        log.event("eof");
    }

    /** Guarded by screen: a submitted line starts a turn. */
    private void accept(String line, boolean queued) {
        state = State.BUSY;
        log.event("accept", "text", line, "queued", queued ? true : null);
        out.print(BUSY_MARK + "working on: " + SoakLog.shorten(line, 80) + "\n" + PROMPT);
        out.flush();
        accepted.add(line);
    }

    /** Guarded by screen. */
    private void goIdle() {
        state = State.IDLE;
        log.event("idle");
        String next = queuedWhileBusy.poll();
        if (next != null) {
            // Codex submits a message queued during the turn as the next prompt
            accept(next, true);
            return;
        }
        out.print("\r\033[2K" + IDLE_MARK + "idle\n" + PROMPT);
        out.flush();
    }

    /** A status line above the composer (busy only: idle, nothing is drawn, so a draft stays as typed). */
    private void status(String text) {
        synchronized (screen) {
            out.print("\r\033[2K" + BUSY_MARK + text + "\n" + PROMPT);
            out.flush();
        }
    }

    // ---- a turn ------------------------------------------------------------------------------------------------

    private void turn(String prompt) throws IOException {
        hooks.newTurn();
        inbound(hooks.run("UserPromptSubmit", Map.of("prompt", prompt)), "hook_prompt");
        readMessages();
        work(num("busy_min_ms"), num("busy_max_ms"), true);
        boolean continuing = false;
        while (true) {
            Map<String, Object> stop = hooks.run("Stop", Map.of("stop_hook_active", continuing,
                    "last_assistant_message", "done with " + SoakLog.shorten(prompt, 40)));
            List<Inbound> more = inbound(stop, "hook_stop");
            if (!"block".equals(stop.get("decision"))) break;
            log.event("continuation", "messages", more.size());
            status("continuing: " + more.size() + " message(s) arrived at the end of the turn");
            work(1_000, 4_000, false);
            continuing = true;
        }
        synchronized (screen) {
            goIdle();
        }
    }

    /** Works for a random time: tool calls (PreToolUse), answers, maybe new messages of its own. */
    private void work(long minMs, long maxMs, boolean mayStart) throws IOException {
        long start = System.currentTimeMillis();
        long end = start + minMs + (long) (random.nextDouble() * (maxMs - minMs));
        double p = dbl("send_probability");
        int sends = mayStart ? (random.nextDouble() < p ? 1 : 0) + (random.nextDouble() < p / 3 ? 1 : 0) : 0;
        List<Long> sendAt = new ArrayList<>();
        for (int i = 0; i < sends; i++) sendAt.add(start + (long) (random.nextDouble() * (end - start)));
        sendAt.sort(null);
        while (System.currentTimeMillis() < end) {
            sleep(Math.min(800 + random.nextInt(1_700), Math.max(0, end - System.currentTimeMillis())));
            if (random.nextDouble() < 0.35) toolUse("Bash");
            if (!inbox.isEmpty()) answer(inbox.poll());
            if (!sendAt.isEmpty() && System.currentTimeMillis() >= sendAt.getFirst()) {
                sendAt.removeFirst();
                originate();
            }
            status("working… " + (System.currentTimeMillis() - start) / 1000 + " s");
        }
        while (!inbox.isEmpty()) answer(inbox.poll());
        for (int i = 0; i < sendAt.size(); i++) originate();
    }

    private void answer(Inbound m) throws IOException {
        if (stopped()) return;
        if (m.requestId() != null) {
            respond("reply_to_message", m, "[re] " + name + " answers: yes, looks fine");
        } else if (m.actionRequired()) {
            respond("complete_work", m, "[done] " + name + " did it");
        } else if (m.body().startsWith("[auto]") && random.nextDouble() < dbl("plain_reply_probability")) {
            respond("reply_to_message", m, "[re] " + name + " noted: thanks");
        }
    }

    private void respond(String tool, Inbound m, String body) throws IOException {
        toolUse("mcp__huddle__" + tool);
        long t0 = System.currentTimeMillis();
        Map<String, Object> r = call(tool, Map.of("message_id", m.id(), "body", body));
        long t1 = System.currentTimeMillis();
        Object id = "complete_work".equals(tool) ? r.get("outcome_message_id") : r.get("message_id");
        log.event("sent", "kind", "reply_to_message".equals(tool) ? "reply" : "complete", "re", m.id(), "id", id, "t0", t0, "t1", t1,
                "ok", r.get("ok"), "wake_status", r.get("wake_status"), "wake_reason", r.get("wake_reason"), "error", r.get("error"));
    }

    /** A new message of its own to a random peer: wake:"auto", action_required, or an ask (which blocks). */
    private void originate() throws IOException {
        if (stopped() || peers.isEmpty()) return;
        String to = peers.get(random.nextInt(peers.size()));
        double k = random.nextDouble();
        int n = ++sendSeq;
        long t0 = System.currentTimeMillis();
        if (k < 0.45) {
            toolUse("mcp__huddle__send_message");
            Map<String, Object> r = call("send_message", Map.of("target", to, "body", "[auto] " + name + "#" + n + ": FYI the parser tests pass on my branch", "wake", "auto"));
            logSent("auto", to, r, t0);
        } else if (k < 0.65) {
            toolUse("mcp__huddle__send_message");
            Map<String, Object> r = call("send_message", Map.of("target", to, "body", "[task] " + name + "#" + n + ": please rebase the lexer branch", "action_required", true));
            logSent("task", to, r, t0);
        } else {
            toolUse("mcp__huddle__ask_peer");
            status("asking " + to + " (ask_peer waits)");
            Map<String, Object> r = call("ask_peer", Map.of("target", to, "body", "[ask] " + name + "#" + n + ": is the migration safe to run?",
                    "timeout_ms", num("ask_timeout_ms")));
            logSent("ask", to, r, t0);
            if (r.get("reply") instanceof Map<?, ?> reply) {
                log.event("recv", "id", reply.get("id"), "via", "ask_reply", "from", fromName(reply.get("from")), "kind", "reply");
            }
        }
    }

    private void logSent(String kind, String to, Map<String, Object> r, long t0) {
        log.event("sent", "kind", kind, "to", to, "id", r.get("message_id"), "t0", t0, "t1", System.currentTimeMillis(), "ok", r.get("ok"),
                "wake_status", r.get("wake_status"), "wake_reason", r.get("wake_reason"), "timed_out", r.get("timed_out"), "error", r.get("error"));
    }

    private boolean stopped() {
        return Files.exists(stopFile);
    }

    // ---- hooks -------------------------------------------------------------------------------------------------

    private void toolUse(String tool) throws IOException {
        inbound(hooks.run("PreToolUse", Map.of("tool_name", tool, "tool_input", Map.of(),
                "tool_use_id", "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20))), "hook_tool");
    }

    /** The messages a hook answer carries (context or a Stop block's reason), logged and queued for answering. */
    private List<Inbound> inbound(Map<String, Object> answer, String via) throws IOException {
        String text = null;
        if (answer.get("hookSpecificOutput") instanceof Map<?, ?> h && h.get("additionalContext") instanceof String s) text = s;
        if (answer.get("reason") instanceof String s) text = s;
        if (text == null) return List.of();
        List<Inbound> got = new ArrayList<>();
        Matcher m = HEADER.matcher(text);
        while (m.find()) {
            int bodyStart = m.end() + 1;
            int bodyEnd = text.indexOf("=== ", bodyStart);
            String body = bodyEnd > bodyStart ? text.substring(bodyStart, bodyEnd).strip() : "";
            Inbound in = new Inbound(m.group(1), m.group(2).replaceAll(" \\(.*", ""), m.group(3), m.group(4), m.group(5) != null, body);
            got.add(in);
            received(in, via);
        }
        if (text.contains("more message(s) are queued") || text.contains("call read_my_messages to read it")) readMessages();
        return got;
    }

    // ---- MCP ---------------------------------------------------------------------------------------------------

    private void readMessages() throws IOException {
        toolUse("mcp__huddle__read_my_messages");
        Map<String, Object> r = call("read_my_messages", Map.of());
        if (r.get("messages") instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> m)) continue;
                received(new Inbound(String.valueOf(m.get("id")), fromName(m.get("from")), (String) m.get("request_id"),
                        (String) m.get("reply_to"), Boolean.TRUE.equals(m.get("action_required")), String.valueOf(m.get("body"))), "read");
            }
        }
    }

    private void received(Inbound in, String via) {
        log.event("recv", "id", in.id(), "via", via, "from", in.from(),
                "kind", in.requestId() != null ? "ask" : in.replyTo() != null ? "reply" : in.actionRequired() ? "task" : "plain");
        inbox.add(in);
    }

    private static String fromName(Object from) {
        return from instanceof Map<?, ?> f ? String.valueOf(f.get("name")) : "operator";
    }

    /** One tool call through the front; an ask may take its timeout on top of the usual deadline. */
    private Map<String, Object> call(String tool, Map<String, Object> args) throws IOException {
        return front.call(tool, args, "ask_peer".equals(tool) ? num("ask_timeout_ms") : 0);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private Map<String, String> baseEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TMPDIR")) {
            if (System.getenv(k) != null) env.put(k, System.getenv(k));
        }
        env.putIfAbsent("PATH", "/usr/bin:/bin");
        env.put(Settings.HOME.env(), str("home"));
        env.put(Settings.JAR.env(), str("jar"));
        env.put(Settings.AOT.env(), "off");
        return env;
    }

    private String str(String key) {
        return String.valueOf(cfg.get(key));
    }

    private long num(String key) {
        return ((Number) cfg.get(key)).longValue();
    }

    private double dbl(String key) {
        return ((Number) cfg.get(key)).doubleValue();
    }

    private static void sleep(long ms) {
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
