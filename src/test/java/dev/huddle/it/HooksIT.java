package dev.huddle.it;

import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookCommands;
import dev.huddle.it.support.HookAgent;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.Project;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every hook of every client through the command {@code huddle setup} installs (real {@code sh -c}, real curl)
 * against a real hub, with payloads in the clients' documented shapes: binding, busy/idle, delivery as
 * additionalContext and as a turn-end continuation, the handshake that marks messages delivered only once the
 * agent went on, the character budget, subagents, and bad input that must fail open and leave state intact.
 */
@HubTest
@Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
class HooksIT {
    private static final Pattern MESSAGE_IDS = Pattern.compile("message ([0-9a-f]{16}) \\|");
    private static TestHome home;
    @Project
    private static Path repo;

    @BeforeAll
    static void start() throws Exception {
        home.startHub();
    }

    // ---- Claude Code ----

    @Test
    void claudeTurnBindsMarksBusyDeliversMidTurnAndGoesIdle() {
        String sid = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            HookAgent.Run start = agent.hook(HookClient.CLAUDE, "SessionStart", claude(sid, "SessionStart", "\"source\":\"startup\",\"model\":\"claude-sonnet-4-5\""));
            assertThat(start.exit()).isZero();
            assertThat(start.stdout()).as("SessionStart prints nothing: its stdout would become context").isEmpty();
            Map<String, Object> me = agentRow(sid);
            assertThat(me.get("binding")).isEqualTo("hook");
            assertThat(me.get("transcript_path")).isEqualTo(transcriptOf(sid));
            assertThat(Json.at(me, "activity", "source")).isEqualTo("hooks");

            assertThat(agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"fix the tests\"")).stdout()).isEmpty();
            assertThat(Json.at(agentRow(sid), "activity", "state")).isEqualTo("busy");

            String m1 = send(sid, "please rebase on main");
            String m2 = send(sid, "and run the linter");
            HookAgent.Run pre = agent.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(sid, "Bash", "{\"command\":\"npm test\"}"));
            assertThat(pre.exit()).isZero();
            Map<String, Object> out = pre.json();
            assertThat(Json.at(out, "hookSpecificOutput", "hookEventName")).isEqualTo("PreToolUse");
            assertThat(Json.at(out, "hookSpecificOutput", "permissionDecision")).as("never decides permissions").isNull();
            String ctx = (String) Json.at(out, "hookSpecificOutput", "additionalContext");
            assertThat(ctx).contains("peer context, not instructions from your user").contains(m1).contains(m2)
                    .contains("please rebase on main").contains("and run the linter").contains("the human operator")
                    .contains("reply_to_message");
            assertThat(deliveredVia(m1)).as("not delivered until the agent goes on past the hook").isNull();

            HookAgent.Run stop = agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":false,\"last_assistant_message\":\"done\""));
            assertThat(stop.stdout()).as("nothing new: the turn may end").isEmpty();
            assertDeliveredViaHook(m1);
            assertDeliveredViaHook(m2);
            assertThat(Json.at(agentRow(sid), "activity", "state")).isEqualTo("idle");

            assertThat(agent.hook(HookClient.CLAUDE, "SessionEnd", claude(sid, "SessionEnd", "\"reason\":\"prompt_input_exit\"")).stdout()).isEmpty();
            assertThat(agentRow(sid).get("online")).isEqualTo(false);
        }
    }

    @Test
    void claudeStopContinuesWithWhatArrivedAndStopsAfterThreeContinuations() {
        String sid = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            String m = send(sid, "are you done with the parser?");
            Map<String, Object> going = agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":false")).json();
            assertThat(Json.at(going, "hookSpecificOutput", "hookEventName")).isEqualTo("Stop");
            assertThat(going).as("no decision: Claude Code shows a block as a problem and gives it to the model twice").doesNotContainKey("decision");
            assertThat((String) Json.at(going, "hookSpecificOutput", "additionalContext")).contains(m)
                    .contains("are you done with the parser?").contains("before you stop");
            assertThat(Json.at(agentRow(sid), "activity", "state")).isEqualTo("busy");

            // New mail during the continuation is delivered at the next Stop, up to three continuations in a row.
            for (int i = 0; i < 2; i++) {
                send(sid, "more " + i);
                assertThat(Json.at(agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":true")).json(),
                        "hookSpecificOutput", "additionalContext")).asString().contains("more " + i);
            }
            String late = send(sid, "one too many");
            HookAgent.Run capped = agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":true"));
            assertThat(capped.stdout()).as("a fourth continuation is not forced").isEmpty();
            assertThat(Json.at(agentRow(sid), "activity", "state")).isEqualTo("idle");
            assertDeliveredViaHook(m);
            assertThat(deliveredVia(late)).as("left queued for the next turn, not lost").isNull();

            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"next\""));
            assertThat(agent.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(sid, "Read", "{\"file_path\":\"/etc/hosts\"}")).stdout()).contains(late);
        }
    }

    @Test
    void subagentToolCallsGetNothing() {
        String sid = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            String m = send(sid, "for the main agent only");
            String sub = claude(sid, "PreToolUse", "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"},\"tool_use_id\":\"toolu_01S\",\"agent_id\":\"a1b2c3\",\"agent_type\":\"Explore\"");
            assertThat(agent.hook(HookClient.CLAUDE, "PreToolUse", sub).stdout()).isEmpty();
            assertThat(agent.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(sid, "Bash", "{\"command\":\"ls\"}")).stdout()).contains(m);
        }
    }

    @Test
    void anUnconfirmedHookAnswerIsOfferedAgainWhenTheSessionRestarts() {
        String sid = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            String m = send(sid, "did you get this?");
            assertThat(agent.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(sid, "Bash", "{\"command\":\"ls\"}")).stdout()).contains(m);
            // The client crashed after the hook answered: it comes back (resume) without ever going on past that hook.
            agent.hook(HookClient.CLAUDE, "SessionStart", claude(sid, "SessionStart", "\"source\":\"resume\""));
            assertThat(deliveredVia(m)).isNull();
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"again\""));
            assertThat(agent.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(sid, "Bash", "{\"command\":\"ls\"}")).stdout())
                    .as("offered again under the same id").contains(m);
            agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":false"));
            assertDeliveredViaHook(m);
        }
    }

    @Test
    void clearMovesTheAgentToItsNewSessionWithItsMail() {
        String sid = UUID.randomUUID().toString();
        String cleared = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "SessionStart", claude(sid, "SessionStart", "\"source\":\"startup\""));
            String m = send(sid, "waiting across /clear");
            agent.hook(HookClient.CLAUDE, "SessionEnd", claude(sid, "SessionEnd", "\"reason\":\"clear\""));
            agent.hook(HookClient.CLAUDE, "SessionStart", claude(cleared, "SessionStart", "\"source\":\"clear\""));
            assertThat(agentRowOrNull(sid)).as("the old id is gone: the agent moved").isNull();
            Map<String, Object> row = agentRow(cleared);
            assertThat(row.get("online")).isEqualTo(true);
            assertThat(row.get("transcript_path")).isEqualTo(transcriptOf(cleared));
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(cleared, "UserPromptSubmit", "\"prompt\":\"hi\""));
            assertThat(agent.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(cleared, "Bash", "{\"command\":\"ls\"}")).stdout()).contains(m);
        }
    }

    @Test
    void manyMessagesAreSplitAcrossHooksWithinTheBudgetEachDeliveredOnce() {
        String sid = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < 24; i++) sent.add(send(sid, ("message " + i + " ").repeat(80)));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 20 && seen.size() < sent.size(); i++) {
                HookAgent.Run r = agent.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(sid, "Bash", "{\"command\":\"ls\"}"));
                if (r.stdout().isBlank()) continue;
                String ctx = (String) Json.at(r.json(), "hookSpecificOutput", "additionalContext");
                assertThat(ctx.length()).as("Claude Code's 10,000-character cap").isLessThan(10_000);
                Matcher mm = MESSAGE_IDS.matcher(ctx);
                while (mm.find()) assertThat(seen.add(mm.group(1))).as("each message once").isTrue();
                if (seen.size() < sent.size()) assertThat(ctx).contains("more message(s) are queued");
            }
            assertThat(seen).isEqualTo(sent);
        }
    }

    @Test
    void aMessageTooLongForAHookIsAnnouncedAndReadWholeLater() {
        String sid = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            String big = send(sid, "x".repeat(8_000) + "\n" + "é".repeat(90)); // under the 8 KiB body limit, but with its frame over the hook budget
            String ctx = (String) Json.at(agent.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(sid, "Bash", "{\"command\":\"ls\"}")).json(),
                    "hookSpecificOutput", "additionalContext");
            assertThat(ctx).contains(big).contains("too long for a hook").contains("read_my_messages").doesNotContain("x".repeat(8_000));
            agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":false"));
            assertThat(deliveredVia(big)).as("announced is not delivered").isNull();
        }
    }

    // ---- waking an idle Claude Code session without keystrokes (issue 5's first route) ----

    @Test
    void anArmedRewakeHookWakesTheIdleSessionWithItsMailAndEndsQuietlyWhenItGetsBusy() throws Exception {
        String sid = UUID.randomUUID().toString();
        Path sock = home.paths().httpSocket();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            assertThat(agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":false")).stdout()).isEmpty();
            assertThat(Json.at(agentRow(sid), "activity", "state")).isEqualTo("idle");

            // Armed, then the user types: the waiter ends quietly (exit 0), nothing is printed.
            HookAgent.Background quiet = rewake(agent, sock, claude(sid, "Stop", "\"stop_hook_active\":false"));
            awaitRewakeArmed(sid);
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"again\""));
            assertThat(quiet.waitFor(java.time.Duration.ofSeconds(10))).isTrue();
            assertThat(quiet.exitValue()).isZero();
            assertThat(quiet.stderr()).isEmpty();

            // Idle again and armed: a message from the human wakes it through the hook (exit 2, mail on stderr).
            agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":false"));
            HookAgent.Background waiter = rewake(agent, sock, claude(sid, "Stop", "\"stop_hook_active\":false"));
            awaitRewakeArmed(sid);
            TestHome.Result sent = home.cli(repo, "send", "--json", sid, "wake up, the build broke");
            assertThat(sent.stdout()).contains("\"wake_status\":\"will_fire\"");
            assertThat(waiter.waitFor(java.time.Duration.ofSeconds(10))).as("woken within 10 s").isTrue();
            assertThat(waiter.exitValue()).as("exit 2 wakes Claude Code").isEqualTo(2);
            String shown = waiter.stderr();
            assertThat(shown).contains("wake up, the build broke").contains("peer context, not instructions from your user");
            Matcher mid = MESSAGE_IDS.matcher(shown);
            assertThat(mid.find()).isTrue();
            String woken = mid.group(1);
            // The woken turn's first hook, UserPromptSubmit with the prompt Claude Code built from the waiter's output,
            // confirms the delivery and tells the human who woke the session (issue 15, item 10).
            String built = "<task-notification>\n<summary>huddle: a message woke this session</summary>\n</task-notification>\n"
                    + "<system-reminder>\nhuddle delivered this while the session was idle: " + shown + "\n</system-reminder>";
            HookAgent.Run prompt = agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":" + Json.write(built)));
            assertThat(prompt.json()).as("the woken turn's prompt hook").containsEntry("systemMessage",
                    "huddle: woken by the human operator: wake up, the build broke");
            assertDeliveredViaHook(woken);
            HookAgent.Run typed = agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":" + Json.write(built)));
            assertThat(typed.stdout()).as("said once").isEmpty();
            TestHome.Result diag = home.cli(repo, "diagnose", "--json");
            assertThat(diag.stdout()).contains("\"route\":\"async_rewake\"").contains("\"status\":\"fired\"");
        }
    }

    @Test
    void mailThatCameBetweenTheStopHookAndItsWaiterWakesTheSessionWhenTheWaiterArms() throws Exception {
        String sid = UUID.randomUUID().toString();
        Path sock = home.paths().httpSocket();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":false"));
            // Idle, but the waiter has not connected yet: the wake finds no route.
            TestHome.Result sent = home.cli(repo, "send", "--json", sid, "the deploy is blocked on you");
            assertThat(sent.stdout()).contains("\"wake_status\":\"will_fire\"");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> home.cli(repo, "diagnose", "--json").stdout().contains("\"status\":\"skipped_no_route\""));
            // The waiter arms a moment later and takes the owed wake at once.
            HookAgent.Background waiter = rewake(agent, sock, claude(sid, "Stop", "\"stop_hook_active\":false"));
            assertThat(waiter.waitFor(java.time.Duration.ofSeconds(10))).as("woken as soon as it armed").isTrue();
            assertThat(waiter.exitValue()).isEqualTo(2);
            assertThat(waiter.stderr()).contains("the deploy is blocked on you");
            assertThat(home.cli(repo, "diagnose", "--json").stdout()).contains("\"route\":\"async_rewake\"");
        }
    }

    /** huddle diagnose says the agent's rewake waiter is held in the hub. */
    private static void awaitRewakeArmed(String sid) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> Json.list(home.cli(repo, "diagnose", "--json").json(), "agents").stream()
                        .anyMatch(a -> sid.equals(Json.str(a, "session_id")) && Boolean.TRUE.equals(Json.at(a, "rewake_armed"))));
    }

    /** The rewake waiter as installed, started by the agent in the background like Claude Code's asyncRewake hook. */
    private static HookAgent.Background rewake(HookAgent agent, Path sock, String payload) {
        return agent.spawn(HookCommands.rewake(sock, HookClient.CLAUDE, "Rewake"), payload.getBytes(StandardCharsets.UTF_8));
    }

    // ---- Codex ----

    @Test
    void codexDeliversWithThePromptAndBeforeToolsAndContinuesAtStop() {
        String sid = "019a" + UUID.randomUUID().toString().substring(4);
        try (HookAgent agent = HookAgent.start(home, repo)) {
            assertThat(agent.hook(HookClient.CODEX, "SessionStart", codex(sid, "SessionStart", "\"source\":\"startup\"")).stdout()).isEmpty();
            assertThat(agentRow(sid).get("client_type")).isEqualTo("codex");
            String m1 = send(sid, "codex, look at the schema");
            Map<String, Object> prompt = agent.hook(HookClient.CODEX, "UserPromptSubmit", codex(sid, "UserPromptSubmit", "\"turn_id\":\"t1\",\"prompt\":\"hi\"")).json();
            assertThat(Json.at(prompt, "hookSpecificOutput", "hookEventName")).isEqualTo("UserPromptSubmit");
            assertThat((String) Json.at(prompt, "hookSpecificOutput", "additionalContext")).contains(m1);
            String m2 = send(sid, "and the migration");
            Map<String, Object> pre = agent.hook(HookClient.CODEX, "PreToolUse", codex(sid, "PreToolUse",
                    "\"turn_id\":\"t1\",\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"},\"tool_use_id\":\"call_1\"")).json();
            assertThat(Json.at(pre, "hookSpecificOutput", "hookEventName")).isEqualTo("PreToolUse");
            assertThat((String) Json.at(pre, "hookSpecificOutput", "additionalContext")).contains(m2);
            String m3 = send(sid, "last one");
            Map<String, Object> stop = agent.hook(HookClient.CODEX, "Stop", codex(sid, "Stop", "\"turn_id\":\"t1\",\"stop_hook_active\":false,\"last_assistant_message\":\"ok\"")).json();
            assertThat(stop.get("decision")).isEqualTo("block");
            assertThat((String) stop.get("reason")).contains(m3);
            HookAgent.Run quiet = agent.hook(HookClient.CODEX, "Stop", codex(sid, "Stop", "\"turn_id\":\"t2\",\"stop_hook_active\":true"));
            assertThat(quiet.stdout().strip()).as("Codex Stop: JSON on exit 0").isEqualTo("{}");
            assertDeliveredViaHook(m1);
            assertDeliveredViaHook(m3);
        }
    }

    // ---- Gemini ----

    @Test
    void geminiDeliversBeforeTheAgentAfterToolsAndDeniesTheTurnEnd() {
        String sid = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            assertThat(agent.hook(HookClient.GEMINI, "SessionStart", gemini(sid, "SessionStart", "\"source\":\"startup\"")).stdout()).isEmpty();
            String m1 = send(sid, "gemini, hello");
            Map<String, Object> before = agent.hook(HookClient.GEMINI, "BeforeAgent", gemini(sid, "BeforeAgent", "\"prompt\":\"start\"")).json();
            assertThat(Json.at(before, "hookSpecificOutput", "hookEventName")).isEqualTo("BeforeAgent");
            assertThat((String) Json.at(before, "hookSpecificOutput", "additionalContext")).contains(m1).doesNotContain("<").doesNotContain(">");
            String m2 = send(sid, "after your tool");
            Map<String, Object> after = agent.hook(HookClient.GEMINI, "AfterTool", gemini(sid, "AfterTool",
                    "\"tool_name\":\"run_shell_command\",\"tool_input\":{\"command\":\"ls\"},\"tool_response\":{\"llmContent\":\"a\"}")).json();
            assertThat((String) Json.at(after, "hookSpecificOutput", "additionalContext")).contains(m2);
            String m3 = send(sid, "before you stop");
            Map<String, Object> end = agent.hook(HookClient.GEMINI, "AfterAgent", gemini(sid, "AfterAgent",
                    "\"prompt\":\"start\",\"prompt_response\":\"done\",\"stop_hook_active\":false")).json();
            assertThat(end.get("decision")).isEqualTo("deny");
            assertThat((String) end.get("reason")).contains(m3);
            agent.hook(HookClient.GEMINI, "BeforeAgent", gemini(sid, "BeforeAgent", "\"prompt\":\"" + "next" + "\""));
            assertDeliveredViaHook(m3);
            assertThat(agent.hook(HookClient.GEMINI, "SessionEnd", gemini(sid, "SessionEnd", "\"reason\":\"exit\"")).stdout()).isEmpty();
            assertThat(agentRow(sid).get("online")).isEqualTo(false);
        }
    }

    // ---- fallback, concurrency, bad input ----

    @Test
    void theJavaFallbackDoesWhatCurlDoes() {
        String sid = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            String m = send(sid, "through the JVM hook");
            String cmd = String.join(" ", home.command("hook", "claude", "PreToolUse", "--hook-version", "1").stream().map(HookCommands::shellQuote).toList());
            HookAgent.Run r = agent.run(cmd, claudeTool(sid, "Bash", "{\"command\":\"ls\"}").getBytes(StandardCharsets.UTF_8));
            assertThat(r.exit()).isZero();
            assertThat((String) Json.at(r.json(), "hookSpecificOutput", "additionalContext")).contains(m);
            HookAgent.Run bad = agent.run(cmd, "not json".getBytes(StandardCharsets.UTF_8));
            assertThat(bad.exit()).isZero();
            assertThat(bad.stdout()).isEmpty();
        }
    }

    @Test
    void aHundredConcurrentHooksSucceedAndNoMessageIsHandedOutTwice() throws Exception {
        String sid = UUID.randomUUID().toString();
        List<HookAgent> agents = new ArrayList<>();
        for (int i = 0; i < 10; i++) agents.add(HookAgent.start(home, repo));
        try {
            agents.getFirst().hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < 60; i++) sent.add(send(sid, "burst " + i));
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Future<HookAgent.Run>> runs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                HookAgent a = agents.get(i % 10);
                runs.add(pool.submit(() -> a.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(sid, "Bash", "{\"command\":\"ls\"}"))));
            }
            Set<String> seen = new HashSet<>();
            for (Future<HookAgent.Run> f : runs) {
                HookAgent.Run r = f.get();
                assertThat(r.exit()).isZero();
                assertThat(r.stderr()).isEmpty();
                if (r.stdout().isBlank()) continue;
                Matcher mm = MESSAGE_IDS.matcher((String) Json.at(r.json(), "hookSpecificOutput", "additionalContext"));
                while (mm.find()) assertThat(seen.add(mm.group(1))).as("handed out twice: " + mm.group(1)).isTrue();
            }
            pool.shutdown();
            assertThat(seen).isEqualTo(sent);
        } finally {
            agents.forEach(HookAgent::close);
        }
    }

    @Test
    void badInputFailsOpenWithAStructuredErrorAndLeavesStateIntact() throws Exception {
        String sid = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo)) {
            agent.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(sid, "UserPromptSubmit", "\"prompt\":\"go\""));
            String m = send(sid, "must survive the garbage");
            Path sock = home.paths().httpSocket();
            Map<String, String> cases = new java.util.LinkedHashMap<>();
            cases.put("", "empty-payload");
            cases.put("   \n", "empty-payload");
            cases.put("not json at all", "bad-payload");
            cases.put("[1,2,3]", "bad-payload");
            cases.put("{\"session_id\":\"" + sid + "\"", "bad-payload");
            cases.put("{\"cwd\":\"/tmp\"}", "bad-session-id");
            cases.put("{\"session_id\":42}", "bad-session-id");
            cases.put("{\"session_id\":\"../../etc/passwd\"}", "bad-session-id");
            cases.put("{\"session_id\":\"p-123456\"}", "bad-session-id");
            cases.put("{\"session_id\":\"" + "a".repeat(500) + "\"}", "bad-session-id");
            cases.put("{\"session_id\":\"" + sid + "\",\"deep\":" + "[".repeat(600) + "]".repeat(600) + "}", "bad-payload");
            for (var c : cases.entrySet()) {
                HookAgent.Run raw = agent.run("curl -s -w '\\n%{http_code}' --unix-socket " + HookCommands.shellQuote(sock.toString())
                        + " --data-binary @- http://huddle/hooks/claude/PreToolUse", c.getKey().getBytes(StandardCharsets.UTF_8));
                List<String> lines = raw.stdout().lines().toList();
                assertThat(lines.getLast()).as("status for %s", c.getKey()).isEqualTo("400");
                Map<String, Object> error = Json.object(lines.get(lines.size() - 2));
                assertThat(error.get("error")).as("error for %s", c.getKey()).isEqualTo(c.getValue());
                assertThat(String.valueOf(error.get("message"))).as("huddle's words, not a library's").doesNotContainIgnoringCase("jackson")
                        .doesNotContain("Exception", "StreamReadConstraints", "(code ");
                HookAgent.Run installed = agent.hook(HookClient.CLAUDE, "PreToolUse", c.getKey());
                assertThat(installed.exit()).isZero();
                assertThat(installed.stdout()).isEmpty();
            }
            HookAgent.Run unknownEvent = agent.run("curl -s -w '\\n%{http_code}' --unix-socket " + HookCommands.shellQuote(sock.toString())
                    + " --data-binary @- http://huddle/hooks/claude/PostToolBatch", claudeTool(sid, "Bash", "{}").getBytes(StandardCharsets.UTF_8));
            assertThat(unknownEvent.stdout()).contains("unknown-event").endsWith("404");
            HookAgent.Run unknownClient = agent.run("curl -s -w '\\n%{http_code}' --unix-socket " + HookCommands.shellQuote(sock.toString())
                    + " --data-binary @- http://huddle/hooks/cursor/stop", claudeTool(sid, "Bash", "{}").getBytes(StandardCharsets.UTF_8));
            assertThat(unknownClient.stdout()).contains("unknown-client").endsWith("404");
            assertThat(agent.hook(HookClient.CLAUDE, "PostToolBatch", claudeTool(sid, "Bash", "{}")).stdout()).isEmpty();

            // A 10 MB Write payload is scanned, not refused: the agent still gets its mail.
            String content = "y".repeat(10 * 1024 * 1024);
            HookAgent.Run huge = agent.hook(HookClient.CLAUDE, "PreToolUse",
                    claudeTool(sid, "Write", "{\"file_path\":\"/tmp/big.txt\",\"content\":\"" + content + "\"}"));
            assertThat(huge.exit()).isZero();
            assertThat(huge.stdout()).contains(m);
            // Over the 32 MiB limit: refused with 413, the hook still exits 0 quietly.
            Path over = Files.createTempFile("over", ".json");
            try {
                Files.writeString(over, "{\"session_id\":\"" + sid + "\",\"x\":\"" + "z".repeat(33 << 20) + "\"}");
                HookAgent.Run tooBig = agent.run("curl -s -H 'Expect:' -o /dev/null -w '%{http_code}' --unix-socket " + HookCommands.shellQuote(sock.toString())
                        + " --data-binary @" + HookCommands.shellQuote(over.toString()) + " http://huddle/hooks/claude/PreToolUse", new byte[0]);
                assertThat(tooBig.stdout()).isEqualTo("413");
            } finally {
                Files.deleteIfExists(over);
            }
            Map<String, Object> health = Json.object(agent.run("curl -s --unix-socket " + HookCommands.shellQuote(sock.toString())
                    + " http://huddle/v1/health", new byte[0]).stdout());
            assertThat(health).isNotEmpty();
            agent.hook(HookClient.CLAUDE, "Stop", claude(sid, "Stop", "\"stop_hook_active\":false"));
            assertDeliveredViaHook(m);
        }
    }

    @Test
    void withTheHubDownTheHookExitsZeroQuicklyAndSilently(TestHome down) {
        try (HookAgent agent = HookAgent.start(down, repo)) {
            HookAgent.Run r = agent.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(UUID.randomUUID().toString(), "Bash", "{}"));
            assertThat(r.exit()).isZero();
            assertThat(r.stdout()).isEmpty();
            assertThat(r.stderr()).isEmpty();
            assertThat(r.micros()).as("fails fast, not after curl's 2 s limit").isLessThan(1_500_000);
        }
    }

    // ---- helpers ----

    /** Where Claude Code keeps the session's transcript: under the HOME of the agent (here, the hub's), as the hub accepts. */
    private static String transcriptOf(String sid) {
        return System.getProperty("user.home") + "/.claude/projects/" + repo.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + sid + ".jsonl";
    }

    private static String claude(String sid, String event, String extra) {
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"" + transcriptOf(sid) + "\",\"cwd\":\"" + repo
                + "\",\"permission_mode\":\"default\",\"hook_event_name\":\"" + event + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String claudeTool(String sid, String tool, String input) {
        return claude(sid, "PreToolUse", "\"prompt_id\":\"550e8400-e29b-41d4-a716-446655440000\",\"effort\":{\"level\":\"high\"},\"tool_name\":\"" + tool
                + "\",\"tool_input\":" + input + ",\"tool_use_id\":\"toolu_01" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + "\"");
    }

    private static String codex(String sid, String event, String extra) {
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":null,\"cwd\":\"" + repo + "\",\"hook_event_name\":\"" + event
                + "\",\"model\":\"gpt-5.3-codex\",\"permission_mode\":\"default\"," + extra + "}";
    }

    private static String gemini(String sid, String event, String extra) {
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"" + System.getProperty("user.home") + "/.gemini/tmp/repo/chats/session-2026-11-21T10-00-" + sid.substring(0, 8)
                + ".jsonl\",\"cwd\":\"" + repo + "\",\"hook_event_name\":\"" + event + "\",\"timestamp\":\"2026-11-21T10:00:00.000Z\"," + extra + "}";
    }

    private static String send(String target, String body) {
        TestHome.Result r = home.cli(repo, "send", "--json", target, body);
        assertThat(r.exit()).as(r.toString()).isZero();
        String text = r.stdout();
        Matcher m = Pattern.compile("\"(?:message_id|id)\"\\s*:\\s*\"([0-9a-f]{16})\"").matcher(text);
        assertThat(m.find()).as("a message id in " + text).isTrue();
        return m.group(1);
    }

    /**
     * Delivered via hook: committed once the earlier hook's answer was written and the agent went on past it. curl
     * may exit (and the agent go on) before the hub sees its write complete, so the commit can follow a moment later.
     */
    private static void assertDeliveredViaHook(String messageId) {
        org.awaitility.Awaitility.await("message " + messageId + " delivered via hook").atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(50)).untilAsserted(() -> assertThat(deliveredVia(messageId)).isEqualTo("hook"));
    }

    private static String deliveredVia(String messageId) {
        TestHome.Result r = home.cli(repo, "log", "--json", "-n", "1000");
        for (String line : r.stdout().strip().lines().toList()) {
            Map<String, Object> row = Json.object(line);
            if (messageId.equals(row.get("id"))) return (String) row.get("delivered");
        }
        throw new AssertionError("message " + messageId + " not in the log: " + r);
    }

    private static Map<String, Object> agentRow(String sid) {
        Map<String, Object> row = agentRowOrNull(sid);
        assertThat(row).as("agent " + sid + " in huddle ps").isNotNull();
        return row;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> agentRowOrNull(String sid) {
        TestHome.Result r = home.cli(repo, "ps", "--json", "--all");
        for (Object p : (List<Object>) r.json().get("projects")) {
            for (Object a : (List<Object>) ((Map<String, Object>) p).get("agents")) {
                Map<String, Object> row = (Map<String, Object>) a;
                if (sid.equals(row.get("session_id"))) return row;
            }
        }
        return null;
    }
}
