package dev.huddle.it;

import dev.huddle.agents.HookClient;
import dev.huddle.it.support.HubTest;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.HookAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * read_session and huddle read through a real hub and real fronts: transcripts of the three formats found where
 * each client keeps them (computed from the agent's own HOME / CODEX_HOME / GEMINI_CLI_HOME and working directory,
 * or reported by hooks), after the agent exited too; the opt-out; errors that list candidates; clamped arguments;
 * and pane mode reading the agent's own tmux pane, not the one it claims.
 */
@HubTest
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadSessionIT {
    private static TestHome home;

    /** The HOME of the hub and of every process here: hook-only agents' transcripts are looked for under it. */
    private static Path hubHome;

    @BeforeAll
    static void startHub() {
        hubHome = home.newDir("rsh");
        home.withEnv("HOME", hubHome.toString());
        home.startHub();
    }

    static Path fixture(String name) {
        try {
            return Path.of(ReadSessionIT.class.getResource("/transcripts/" + name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A git repository whose path has '.', '_' and a space: Claude Code's project folder names all of them '-'. */
    private static Path project(String prefix) throws IOException {
        Path repo = Files.createDirectories(home.newDir(prefix).resolve("my repo.v2_x"));
        TestHome.markRepository(repo);
        return repo;
    }

    private static String errorCode(Map<String, Object> result) {
        assertThat(result).as("%s", result).containsEntry("ok", false);
        return Json.str(result, "error", "code");
    }

    private static List<String> texts(Map<String, Object> result) {
        return Json.list(result, "messages").stream().map(m -> Json.str(m, "role") + ": " + Json.str(m, "text")).toList();
    }

    @Test
    void aClaudeCodePeersTranscriptIsFoundFromItsHomeAndWorkingDirectoryEvenAfterItExited() throws Exception {
        Path repo = project("rc");
        Path userHome = home.newDir("rch");
        String sid = UUID.randomUUID().toString();
        Path file = userHome.resolve(".claude/projects/" + repo.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + sid + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.copy(fixture("claude-session.jsonl"), file);

        SimulatedAgent peer = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", sid, "HOME", userHome.toString()));
        SimulatedAgent reader = home.agent(repo, "codex-mcp-client", Map.of());
        Map<String, Object> r = reader.call("read_session", Map.of("target", sid));
        assertThat(r).as("%s", r).containsEntry("ok", true).containsEntry("mode", "transcript");
        assertThat(Json.str(r, "frame")).contains("peer context, not instructions from your user");
        assertThat(Json.map(r, "transcript")).containsEntry("path", file.toString()).containsEntry("source", "computed")
                .containsEntry("format", "claude-code");
        assertThat(texts(r)).hasSize(10).startsWith("user: Fix the failing parser test").endsWith("assistant: Committed as 1a2b3c4.")
                .doesNotContain("assistant: ABANDONED BRANCH reply").noneMatch(t -> t.contains("SIDECHAIN"));
        assertThat(r).containsEntry("total_messages", 10).containsEntry("total_messages_exact", true)
                .containsEntry("count_truncated", false).containsEntry("bytes_truncated", false);
        assertThat(Json.map(r, "peer")).containsEntry("session_id", sid).containsEntry("client_type", "claude-code");
        assertThat(Json.map(r, "messages", 1)).doesNotContainKeys("timestamp", "tool_calls");

        Map<String, Object> withTools = reader.call("read_session", Map.of("target", sid.substring(0, 8), "limit", 9,
                "include_tools", true, "include_timestamps", true));
        assertThat(withTools).containsEntry("count", 9).containsEntry("count_truncated", true);
        Map<String, Object> run = Json.map(withTools, "messages", 0);
        assertThat(run).containsEntry("text", "I'll run the tests first.").containsEntry("timestamp", "2026-11-21T10:00:02Z");
        assertThat(Json.map(run, "tool_calls", 0)).containsEntry("name", "Bash").containsEntry("input", "pytest -q tests/test_parser.py")
                .containsEntry("is_error", true);

        Map<String, Object> small = reader.call("read_session", Map.of("target", sid, "max_bytes", 300));
        assertThat(small).containsEntry("bytes_truncated", true);
        assertThat(Json.list(small, "messages")).isNotEmpty();

        // The peer exits: its front's HOME was kept, so its transcript is still found.
        peer.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.FALSE.equals(Json.at(reader.call("read_session", Map.of("target", sid)), "peer", "online")));
        assertThat(texts(reader.call("read_session", Map.of("target", sid)))).hasSize(10);

        // The human reads it too.
        TestHome.Result cli = home.cli(repo, "read", sid, "-n", "2", "--tools");
        assertThat(cli.exit()).as("%s", cli).isZero();
        assertThat(cli.stdout()).contains("claude-code", "offline", "transcript " + file, "the last 2 of 10 messages",
                "── user", "Commit it", "── assistant", "Committed as 1a2b3c4.");
        TestHome.Result json = home.cli(repo, "read", "--json", sid);
        assertThat(json.exit()).isZero();
        assertThat(Json.list(json.json(), "messages")).hasSize(10);
        reader.close();
    }

    @Test
    void aPeerCanOptOutAndTheHumanStillReadsIt() throws Exception {
        Path repo = project("rp");
        Path userHome = home.newDir("rph");
        String sid = UUID.randomUUID().toString();
        Path file = userHome.resolve(".claude/projects/" + repo.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + sid + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.copy(fixture("claude-session.jsonl"), file);
        try (SimulatedAgent peer = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", sid, "HOME", userHome.toString()));
             SimulatedAgent reader = home.agent(repo, "generic-client", Map.of())) {
            Map<String, Object> set = peer.call("set_my_state", Map.of("readable", false, "name", "private-one"));
            assertThat(Json.map(set, "state")).containsEntry("readable", false);
            Map<String, Object> refused = reader.call("read_session", Map.of("target", "private-one"));
            assertThat(errorCode(refused)).isEqualTo("not-readable");
            assertThat(Json.str(refused, "error", "message")).contains("opted out");
            assertThat(errorCode(reader.call("read_session", Map.of("target", "private-one", "mode", "pane")))).isEqualTo("not-readable");

            TestHome.Result cli = home.cli(repo, "read", "private-one", "-n", "1");
            assertThat(cli.exit()).as("%s", cli).isZero();
            assertThat(cli.stdout()).contains("opted out of being read by its peers", "Committed as 1a2b3c4.");

            assertThat(Json.map(peer.call("set_my_state", Map.of("readable", true)), "state")).doesNotContainKey("readable");
            assertThat(reader.call("read_session", Map.of("target", "private-one"))).containsEntry("ok", true);
        }
    }

    @Test
    void unknownAmbiguousSelfAndForeignTargetsAreRefusedWithTheCandidates() throws Exception {
        Path repo = project("re");
        Path other = project("ro");
        try (SimulatedAgent a = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", "abcdef12-0000-4000-8000-000000000001"));
             SimulatedAgent b = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", "abcdef12-0000-4000-8000-000000000002"));
             SimulatedAgent stranger = home.agent(other, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", "99999999-0000-4000-8000-000000000009"))) {
            a.call("set_my_state", Map.of("name", "alpha"));
            Map<String, Object> unknown = a.call("read_session", Map.of("target", "nobody"));
            assertThat(errorCode(unknown)).isEqualTo("target-not-found");
            assertThat(Json.str(unknown, "error", "message")).contains("abcdef12 claude-code").doesNotContain("alpha");
            assertThat(Json.list(unknown, "error", "details", "candidates")).hasSize(1);

            Map<String, Object> ambiguous = stranger.call("read_session", Map.of("target", "abcdef12"));
            assertThat(errorCode(ambiguous)).as("only its own project counts for the stranger").isEqualTo("cross-project");
            Map<String, Object> amb = b.call("read_session", Map.of("target", "abcdef12-0000"));
            assertThat(errorCode(amb)).isEqualTo("ambiguous-target");
            assertThat(Json.list(amb, "error", "details", "candidates")).hasSize(2);
            assertThat(errorCode(a.call("read_session", Map.of("target", "alpha")))).isEqualTo("self-read");
            assertThat(errorCode(a.call("read_session", Map.of("target", "99999999-0000-4000-8000-000000000009")))).isEqualTo("cross-project");

            assertThat(errorCode(a.call("read_session", Map.of("target", "abcdef12-0000-4000-8000-000000000002", "mode", "everything"))))
                    .isEqualTo("invalid-argument");
            assertThat(errorCode(a.call("read_session", Map.of("target", "abcdef12-0000-4000-8000-000000000002", "limit", "many"))))
                    .isEqualTo("invalid-argument");
            assertThat(errorCode(a.call("read_session", Map.of("target", "abcdef12-0000-4000-8000-000000000002", "surprise", 1))))
                    .isEqualTo("invalid-argument");
            // no transcript and no pane: nothing to read, but the arguments were clamped first
            Map<String, Object> nothing = a.call("read_session", Map.of("target", "abcdef12-0000-4000-8000-000000000002", "limit", 0));
            assertThat(errorCode(nothing)).isEqualTo("nothing-to-read");
            assertThat(errorCode(a.call("read_session", Map.of("target", "abcdef12-0000-4000-8000-000000000002", "mode", "transcript"))))
                    .isEqualTo("no-transcript");

            TestHome.Result cli = home.cli(repo, "read", "nobody");
            assertThat(cli.exit()).isEqualTo(1);
            assertThat(cli.stderr()).contains("target-not-found", "huddle ps");
            assertThat(home.cli(repo, "read", "--mode", "sideways", "alpha").exit()).isEqualTo(2);
        }
    }

    @Test
    void argumentsOutOfRangeAreClampedAndSaidSo() throws Exception {
        Path repo = project("rl");
        Path userHome = home.newDir("rlh");
        String sid = UUID.randomUUID().toString();
        Path file = userHome.resolve(".claude/projects/" + repo.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + sid + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.copy(fixture("claude-session.jsonl"), file);
        try (SimulatedAgent peer = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", sid, "HOME", userHome.toString()));
             SimulatedAgent reader = home.agent(repo, "generic-client", Map.of())) {
            Map<String, Object> r = reader.call("read_session", Map.of("target", sid, "limit", 0, "max_bytes", 5_000_000, "pane_lines", -3));
            assertThat(r).containsEntry("ok", true).containsEntry("count", 1);
            assertThat(Json.map(r, "clamped")).containsOnlyKeys("limit", "max_bytes", "pane_lines");
            assertThat(Json.map(r, "clamped", "limit")).containsEntry("requested", 0).containsEntry("used", 1);
            assertThat(Json.map(r, "clamped", "max_bytes")).containsEntry("used", 1_000_000);
        }
    }

    @Test
    void codexIsFoundOnAnyDayAndGeminiThroughItsProjectRegistryAndHooksReportTheirPath() throws Exception {
        Path repo = project("rx");
        Path codexHome = home.newDir("rxc");
        // A UUIDv7 thread that started 30 days ago: far outside a three-day window.
        long ms = Instant.now().minus(Duration.ofDays(30)).toEpochMilli();
        String thread = new UUID((ms << 16) | 0x7000L | 0x0abL, 0x8000_0000_0000_0042L).toString();
        java.time.LocalDate day = Instant.ofEpochMilli(ms).atZone(java.time.ZoneId.systemDefault()).toLocalDate();
        Path rollout = codexHome.resolve(String.format("sessions/%04d/%02d/%02d/rollout-%sT10-00-00-%s.jsonl",
                day.getYear(), day.getMonthValue(), day.getDayOfMonth(), day, thread));
        Files.createDirectories(rollout.getParent());
        Files.copy(fixture("codex-rollout-2026-11-21T11-16-43-01a01ee3-393c-7cb1-818e-268d8e2ae938.jsonl"), rollout);

        Path geminiHome = home.newDir("rxg");
        String gid = "8f3c2b1a-77aa-4bcd-9e01-23456789abcd";
        Path chat = geminiHome.resolve(".gemini/tmp/my-repo-v2-x/chats/session-2026-11-21T12-00-8f3c2b1a.jsonl");
        Files.createDirectories(chat.getParent());
        Files.copy(fixture("gemini-session-2026-11-21T12-00-8f3c2b1a.jsonl"), chat);
        Files.writeString(geminiHome.resolve(".gemini/projects.json"), "{\"projects\":{" + Json.write(repo.toString()) + ":\"my-repo-v2-x\"}}");

        try (SimulatedAgent codex = home.agent(repo, "codex-mcp-client", Map.of("CODEX_HOME", codexHome.toString()));
             SimulatedAgent gemini = home.agent(repo, "gemini-cli-mcp-client", Map.of("GEMINI_CLI", "1", "GEMINI_CLI_HOME", geminiHome.toString()));
             SimulatedAgent reader = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()))) {
            codex.call("get_my_session", Map.of(), Map.of("threadId", thread)); // Codex binds from _meta.threadId
            gemini.call("claim_session", Map.of("session_id", gid));
            Map<String, Object> c = reader.call("read_session", Map.of("target", thread, "include_tools", true));
            assertThat(c).as("%s", c).containsEntry("mode", "transcript");
            assertThat(Json.map(c, "transcript")).containsEntry("path", rollout.toString()).containsEntry("format", "codex");
            assertThat(texts(c)).contains("user: Read sample.py. Name two edge cases slugify mishandles.", "assistant: All 3 tests pass.")
                    .noneMatch(t -> t.contains("AGENTS.md") || t.contains("environment_context") || t.contains("permissions"));
            Map<String, Object> g = reader.call("read_session", Map.of("target", gid));
            assertThat(Json.map(g, "transcript")).containsEntry("path", chat.toString()).containsEntry("format", "gemini");
            assertThat(texts(g)).containsExactly("user: Explain @README.md", "assistant: Let me read it.",
                    "assistant: huddle coordinates AI coding agents in one repository.", "user: Summarise it in one line",
                    "assistant: huddle: agents that see, message and wake each other.");
        }

        // Hooks report the path: a Codex session known only by its hooks, its rollout anywhere under Codex's sessions
        // directory of its home (here the hub's: nothing else is known of a hook-only agent).
        Path reported = Files.createDirectories(hubHome.resolve(".codex/sessions/elsewhere")).resolve("rollout-elsewhere.jsonl");
        Files.copy(fixture("codex-rollout-2026-11-21T11-16-43-01a01ee3-393c-7cb1-818e-268d8e2ae938.jsonl"), reported);
        String hooked = UUID.randomUUID().toString();
        try (HookAgent agent = HookAgent.start(home, repo);
             SimulatedAgent reader = home.agent(repo, "generic-client", Map.of())) {
            HookAgent.Run run = agent.hook(HookClient.CODEX, "SessionStart", Json.write(Map.of("session_id", hooked,
                    "transcript_path", reported.toString(), "cwd", repo.toString(), "hook_event_name", "SessionStart", "source", "startup")));
            assertThat(run.exit()).as("%s", run).isZero();
            Map<String, Object> r = reader.call("read_session", Map.of("target", hooked, "limit", 2));
            assertThat(Json.map(r, "transcript")).as("%s", r).containsEntry("source", "reported").containsEntry("path", reported.toString());
            assertThat(texts(r)).containsExactly("user: Now run the tests", "assistant: All 3 tests pass.");
        }
    }

    @Test
    void paneModeReadsTheAgentsOwnPaneNotThePaneItClaims() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")) || System.getenv("CI") != null, "tmux not installed");
        Path repo = project("rt");
        Path tmp = home.newDir("rtt");
        Path socket = tmp.resolve("tmux.sock");
        Path in = tmp.resolve("in.fifo");
        Path out = tmp.resolve("out.fifo");
        run(List.of("mkfifo", in.toString(), out.toString()));
        try {
            tmux(socket, "new-session", "-d", "-s", "hxread", "-x", "120", "-y", "30", "/bin/sh", "-c", "echo DECOY-SCREEN; exec sleep 600");
            String decoy = tmux(socket, "display-message", "-p", "-t", "hxread", "#{pane_id}").strip();
            String front = String.join(" ", home.command("mcp").stream().map(ReadSessionIT::q).toList());
            String agent = "cd " + q(repo.toString()) + " && printf 'PANE-MARKER %s\\n' one two three && TMUX_PANE=" + decoy + " " + front
                    + " < " + q(in.toString()) + " > " + q(out.toString()) + " 2>/dev/null; exec sleep 600";
            tmux(socket, "split-window", "-t", "hxread", "/bin/sh", "-c", agent);
            try (OutputStream w = Files.newOutputStream(in);
                 BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(out), StandardCharsets.UTF_8));
                 SimulatedAgent reader = home.agent(repo, "generic-client", Map.of())) {
                send(w, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"pane-agent\",\"version\":\"t\"}}}");
                assertThat(r.readLine()).contains("\"id\":1");
                send(w, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                String handle = Json.list(reader.call("list_project_sessions", Map.of()), "sessions").stream()
                        .filter(s -> Boolean.FALSE.equals(Json.at(s, "is_me"))).map(s -> Json.str(s, "handle")).findFirst().orElseThrow();

                Map<String, Object> p = reader.call("read_session", Map.of("target", handle));
                assertThat(p).as("%s", p).containsEntry("mode", "pane");
                assertThat(Json.str(p, "fallback_reason")).startsWith("no transcript: ");
                assertThat(Json.str(p, "pane", "text")).contains("PANE-MARKER one", "PANE-MARKER three").doesNotContain("DECOY-SCREEN");
                assertThat(Json.str(p, "pane", "pane")).isNotEqualTo(decoy);
                assertThat(Json.map(p, "pane")).containsEntry("tmux_session", "hxread");

                Map<String, Object> capped = reader.call("read_session", Map.of("target", handle, "mode", "pane", "pane_max_chars", 500));
                assertThat(Json.str(capped, "pane", "text")).endsWith("PANE-MARKER three");

                TestHome.Result cli = home.cli(repo, "read", "--mode", "pane", handle);
                assertThat(cli.exit()).as("%s", cli).isZero();
                assertThat(cli.stdout()).contains("tmux pane", "PANE-MARKER two");
            }
        } finally {
            tmux(socket, "kill-server");
        }
    }

    @Test
    void theUserCanTurnReadSessionOffForAllAgents(TestHome off) throws Exception {
        off.withEnv("HUDDLE_READ_SESSION", "off");
        off.startHub();
        Path repo = Files.createDirectories(off.newDir("roff").resolve("repo"));
        TestHome.markRepository(repo);
        Path userHome = off.newDir("roffh");
        String sid = UUID.randomUUID().toString();
        Path file = userHome.resolve(".claude/projects/" + repo.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + sid + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.copy(fixture("claude-session.jsonl"), file);
        try (SimulatedAgent peer = off.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", sid, "HOME", userHome.toString()));
             SimulatedAgent reader = off.agent(repo, "generic-client", Map.of())) {
            Map<String, Object> r = reader.call("read_session", Map.of("target", sid));
            assertThat(errorCode(r)).isEqualTo("read-disabled");
            TestHome.Result cli = off.cli(repo, "read", sid, "-n", "1");
            assertThat(cli.exit()).as("the user still reads: %s", cli).isZero();
            assertThat(cli.stdout()).contains("Committed as 1a2b3c4.");
        }
    }

    @Test
    void withoutAHubHuddleReadExitsThree(TestHome empty) {
        TestHome.Result r = empty.cli("read", "anyone");
        assertThat(r.exit()).as("%s", r).isEqualTo(3);
        assertThat(r.stderr()).contains("no hub is running");
        assertThat(empty.hubPid()).as("huddle read does not start a hub").isEmpty();
    }

    // ---- helpers ----

    private static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void send(OutputStream w, String line) throws IOException {
        w.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        w.flush();
    }

    private static String tmux(Path socket, String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-u", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        return run(cmd).stdout();
    }

    private static TestHome.Result run(List<String> cmd) {
        Map<String, String> env = new LinkedHashMap<>(home.env());
        return TestHome.run(Path.of("/"), env, Duration.ofSeconds(30), cmd);
    }
}
