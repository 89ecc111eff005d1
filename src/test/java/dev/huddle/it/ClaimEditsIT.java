package dev.huddle.it;

import dev.huddle.agents.HookClient;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Project;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.HookAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8 beyond Claude Code's edit tools, through the installed (sh + curl) hook commands and a real hub: Codex
 * apply_patch and Gemini write_file/replace are refused on another agent's exclusive claim; every edit records an
 * implicit claim ("being edited") that refuses others within the window; a shell command's change to a held file is
 * noticed (both agents get a notice, the project's log shows it); the git pre-commit guard refuses a commit of a
 * claimed file (real git, real commit), chains an existing hook and uninstalls cleanly; huddle claims and huddle
 * release; per-project modes warn and ask; bad input (paths outside the repository, malformed patches) fails open.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClaimEditsIT {
    private static TestHome home;
    @Project(git = true)
    private static Path repo;
    @Project(value = "warnrepo", git = true)
    private static Path warnRepo;
    @Project(value = "askrepo", git = true)
    private static Path askRepo;
    private static SimulatedAgent alice;
    private static String aliceSid;

    @BeforeAll
    static void start() throws Exception {
        for (Path r : List.of(repo, warnRepo, askRepo)) {
            Files.createDirectories(r.resolve("src"));
            for (String f : List.of("a.txt", "b.txt", "c.txt", "d.txt")) Files.writeString(r.resolve("src").resolve(f), f + "\n");
        }
        // deny is the default; the second repository warns; anything else asks
        Files.writeString(home.paths().config(), Json.write(Map.of("claims_mode", Map.of("default", "deny", warnRepo.toString(), "warn",
                askRepo.toString(), "ask"))));
        home.startHub();
        aliceSid = UUID.randomUUID().toString();
        alice = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", aliceSid));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(alice.call("claim_paths", Map.of("paths", List.of("src/a.txt"), "reason", "rewriting the parser")))
                .containsEntry("ok", true);
    }

    @Test
    void codexApplyPatchAndGeminiEditsAreRefusedOnAnotherAgentsClaimAndBadInputFailsOpen() {
        String codexSid = UUID.randomUUID().toString(), geminiSid = UUID.randomUUID().toString();
        try (HookAgent codex = HookAgent.start(home, repo); HookAgent gemini = HookAgent.start(home, repo)) {
            HookAgent.Run denied = codex.hook(HookClient.CODEX, "PreToolUse", codexPatch(codexSid, "PreToolUse",
                    "*** Begin Patch\n*** Update File: src/c.txt\n@@\n-c\n+C\n*** Update File: src/a.txt\n@@\n-a\n+A\n*** End Patch\n"));
            assertThat(denied.exit()).isZero();
            assertThat(Json.at(denied.json(), "hookSpecificOutput", "permissionDecision")).isEqualTo("deny");
            assertThat((String) Json.at(denied.json(), "hookSpecificOutput", "permissionDecisionReason"))
                    .contains("src/a.txt", "alice", aliceSid, "rewriting the parser", "ask_peer (target: alice)").doesNotContain("src/c.txt");
            // apply_patch run as a shell command is the patch tool too
            assertThat(decision(codex.hook(HookClient.CODEX, "PreToolUse", codexTool(codexSid, "PreToolUse", "Bash",
                    "apply_patch <<'EOF'\n*** Begin Patch\n*** Delete File: src/a.txt\n*** End Patch\nEOF")))).isEqualTo("deny");
            assertThat(decision(codex.hook(HookClient.CODEX, "PreToolUse", codexPatch(codexSid, "PreToolUse",
                    "*** Begin Patch\n*** Update File: src/d.txt\n*** Move to: src/a.txt\n*** End Patch\n")))).as("a move onto it").isEqualTo("deny");

            for (String bad : List.of("*** Begin Patch\n*** Update File: ../outside.txt\n*** Add File: /etc/passwd\n*** End Patch\n",
                    "not a patch at all", "*** Begin Patch\n*** Update File:\n\u0000\u0001 garbage", "")) {
                HookAgent.Run r = codex.hook(HookClient.CODEX, "PreToolUse", codexPatch(codexSid, "PreToolUse", bad));
                assertThat(r.exit()).as(bad).isZero();
                assertThat(r.stdout()).as(bad).isEmpty();
            }

            HookAgent.Run g = gemini.hook(HookClient.GEMINI, "BeforeTool", geminiTool(geminiSid, "BeforeTool", "write_file",
                    "{\"file_path\":\"" + repo + "/src/a.txt\",\"content\":\"x\"}"));
            assertThat(g.exit()).isZero();
            assertThat(Json.str(g.json(), "decision")).isEqualTo("deny");
            assertThat(Json.str(g.json(), "reason")).contains("src/a.txt", "alice", "ask_peer");
            assertThat(gemini.hook(HookClient.GEMINI, "BeforeTool", geminiTool(geminiSid, "BeforeTool", "replace",
                    "{\"file_path\":\"src/../src/./a.txt\",\"old_string\":\"a\",\"new_string\":\"b\"}")).stdout()).contains("\"deny\"");
            assertThat(gemini.hook(HookClient.GEMINI, "BeforeTool", geminiTool(geminiSid, "BeforeTool", "replace",
                    "{\"file_path\":\"" + repo + "/../elsewhere/src/a.txt\",\"old_string\":\"a\",\"new_string\":\"b\"}")).stdout())
                    .as("outside the repository").isEmpty();
        }
    }

    @Test
    void anEditMarksTheFileAsBeingEditedWhichRefusesOthersUntilTheHumanReleasesIt() {
        String daveSid = UUID.randomUUID().toString(), codexSid = UUID.randomUUID().toString();
        try (HookAgent dave = HookAgent.start(home, repo); HookAgent codex = HookAgent.start(home, repo)) {
            dave.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(daveSid, "UserPromptSubmit", "\"prompt\":\"edit b\""));
            assertThat(dave.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(daveSid, "PreToolUse", "Edit", edit(repo + "/src/b.txt"))).stdout())
                    .isEmpty();
            assertThat(dave.hook(HookClient.CLAUDE, "PostToolUse", claudeTool(daveSid, "PostToolUse", "Edit", edit(repo + "/src/b.txt"))).exit())
                    .isZero();

            HookAgent.Run denied = codex.hook(HookClient.CODEX, "PreToolUse", codexPatch(codexSid, "PreToolUse",
                    "*** Begin Patch\n*** Update File: src/b.txt\n@@\n-b\n+B\n*** End Patch\n"));
            assertThat(decision(denied)).isEqualTo("deny");
            assertThat((String) Json.at(denied.json(), "hookSpecificOutput", "permissionDecisionReason"))
                    .contains("src/b.txt is being edited by another agent", daveSid, "without claiming it", "ask_peer (target: " + daveSid + ")");

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> claims = (List<Map<String, Object>>) (List<?>) Json.list(alice.call("list_claims", Map.of()), "claims");
            assertThat(claims).anySatisfy(c -> assertThat(c).containsEntry("path", "src/b.txt").containsEntry("implicit", true)
                    .containsEntry("holder", daveSid).containsKey("last_edit"));

            TestHome.Result listed = home.cli(repo, "claims");
            assertThat(listed.exit()).as(listed.toString()).isZero();
            assertThat(listed.stdout()).contains("src/a.txt", "exclusive", "alice", "rewriting the parser", "src/b.txt", "editing");
            TestHome.Result json = home.cli(repo, "claims", "--json");
            assertThat(Json.list(json.json(), "projects", 0, "claims")).hasSizeGreaterThanOrEqualTo(2);

            assertThat(home.cli(repo, "release").exit()).as("no target: usage").isEqualTo(2);
            TestHome.Result none = home.cli(repo, "release", "src/nothing-here.txt");
            assertThat(none.exit()).as(none.toString()).isEqualTo(1);
            assertThat(home.cli(repo, "release", "../elsewhere").exit()).isEqualTo(1);
            TestHome.Result released = home.cli(repo, "release", "src/b.txt");
            assertThat(released.exit()).as(released.toString()).isZero();
            assertThat(released.stdout()).contains("released src/b.txt (being edited) of " + daveSid);
            assertThat(codex.hook(HookClient.CODEX, "PreToolUse", codexPatch(codexSid, "PreToolUse",
                    "*** Begin Patch\n*** Update File: src/b.txt\n*** End Patch\n")).stdout()).as("released").isEmpty();
            // dave is told, at his next hook
            String ctx = (String) Json.at(dave.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(daveSid, "PreToolUse", "Bash",
                    "{\"command\":\"ls\"}")).json(), "hookSpecificOutput", "additionalContext");
            assertThat(ctx).contains("huddle itself", "the human released your claim src/b.txt");
        }
    }

    @Test
    void aShellCommandThatChangesAHeldFileIsNoticedByBothAgentsAndTheLog() throws Exception {
        String bobSid = UUID.randomUUID().toString();
        try (HookAgent bob = HookAgent.start(home, repo)) {
            bob.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(bobSid, "UserPromptSubmit", "\"prompt\":\"format\""));
            // A baseline look; nothing waits for it: the hub's looks run in order, and a change is a file modified after
            // the command started, whenever the look before it ran.
            bob.hook(HookClient.CLAUDE, "PostToolUse", claudeTool(bobSid, "PostToolUse", "Bash", "{\"command\":\"true\"}"));
            assertThat(bob.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(bobSid, "PreToolUse", "Bash",
                    "{\"command\":\"sed -i s/a/A/ src/a.txt && echo x > src/new.txt\"}")).exit()).isZero();
            Files.writeString(repo.resolve("src/a.txt"), "A\n"); // what the command did
            Files.writeString(repo.resolve("src/new.txt"), "x\n");
            HookAgent.Run post = bob.hook(HookClient.CLAUDE, "PostToolUse", claudeTool(bobSid, "PostToolUse", "Bash",
                    "{\"command\":\"sed -i s/a/A/ src/a.txt && echo x > src/new.txt\"}"));
            assertThat(post.exit()).isZero();
            assertThat(post.stdout()).as("the scan runs after the hook answered").isEmpty();

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                TestHome.Result log = home.cli(repo, "log", "--json", "--grep", "shell command");
                assertThat(log.stdout()).contains("changed src/a.txt with a shell command").contains("your shell command changed a file");
            });
            Map<String, Object> read = alice.call("read_my_messages", Map.of());
            assertThat(Json.write(read)).contains("changed src/a.txt with a shell command", "your claim src/a.txt", "\"origin\":\"huddle\"");
            String ctx = (String) Json.at(bob.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(bobSid, "PreToolUse", "Bash",
                    "{\"command\":\"ls\"}")).json(), "hookSpecificOutput", "additionalContext");
            assertThat(ctx).contains("your shell command changed a file another agent holds", "src/a.txt", "alice");
            // the other file it wrote is now bob's (being edited)
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(home.cli(repo, "claims", "--json").stdout())
                    .contains("\"path\":\"src/new.txt\"").contains("changed by a shell command"));
            Files.writeString(repo.resolve("src/a.txt"), "a.txt\n");
        }
    }

    @Test
    void thePreCommitGuardRefusesACommitOfAClaimedFileChainsAnExistingHookAndUninstalls() throws Exception {
        Path hooks = repo.resolve(".git/hooks");
        Files.createDirectories(hooks);
        Path theirs = hooks.resolve("pre-commit");
        Files.writeString(theirs, "#!/bin/sh\necho their-hook-ran >> \"$(git rev-parse --git-dir)/their-hook.log\"\nexit 0\n");
        theirs.toFile().setExecutable(true);
        TestHome.Result setup = home.cli(repo, "setup", "--git-hook");
        assertThat(setup.exit()).as(setup.toString()).isZero();
        assertThat(setup.stdout()).contains("chained");
        assertThat(home.cli(repo, "setup", "--git-hook").stdout()).as("idempotent").contains("unchanged");
        assertThat(Files.readString(hooks.resolve("pre-commit"))).contains("# huddle pre-commit guard");

        Files.writeString(repo.resolve("src/a.txt"), "human change\n");
        Files.writeString(repo.resolve("src/d.txt"), "free change\n");
        home.git(repo, "add", "src/a.txt", "src/d.txt");
        TestHome.Result refused = commit(Map.of(), "human commit");
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(refused.stderr()).contains("huddle: this commit (by the human) touches a file another agent holds exclusively", "src/a.txt",
                "alice", "rewriting the parser", "HUDDLE_ALLOW_CLAIMED=1");
        assertThat(Files.readString(repo.resolve(".git/their-hook.log"))).contains("their-hook-ran");

        // an agent's commit (git under the agent's shell) is refused too
        String bobSid = UUID.randomUUID().toString();
        try (HookAgent bob = HookAgent.start(home, repo)) {
            bob.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(bobSid, "UserPromptSubmit", "\"prompt\":\"commit\""));
            HookAgent.Run agentCommit = bob.run("git -c user.name=t -c user.email=t@example.com commit -q -m agent-commit 2>&1; echo exit=$?",
                    new byte[0]);
            assertThat(agentCommit.stdout()).contains("this commit (by agent " + handle(bobSid), "src/a.txt", "ask_peer, target: alice")
                    .doesNotContain("exit=0");
        }

        TestHome.Result allowed = commit(Map.of("HUDDLE_ALLOW_CLAIMED", "1"), "override");
        assertThat(allowed.exit()).as(allowed.toString()).isZero();
        Files.writeString(repo.resolve("src/d.txt"), "free again\n");
        home.git(repo, "add", "src/d.txt");
        assertThat(commit(Map.of(), "a free file").exit()).isZero();

        TestHome.Result un = home.cli(repo, "uninstall", "--git-hook");
        assertThat(un.exit()).as(un.toString()).isZero();
        assertThat(un.stdout()).contains("restored");
        assertThat(Files.readString(hooks.resolve("pre-commit"))).contains("their-hook-ran").doesNotContain("huddle");
        assertThat(Files.exists(hooks.resolve("pre-commit.pre-huddle"))).isFalse();
    }

    @Test
    void warnModeAllowsTheEditAndTellsTheModel() {
        String aSid = UUID.randomUUID().toString(), bSid = UUID.randomUUID().toString(), gSid = UUID.randomUUID().toString();
        try (HookAgent holder = HookAgent.start(home, warnRepo); HookAgent editor = HookAgent.start(home, warnRepo);
             HookAgent gemini = HookAgent.start(home, warnRepo)) {
            // the holder edits (implicit claim), then others edit it: allowed, with a warning
            holder.hook(HookClient.CLAUDE, "PostToolUse", claudeToolIn(warnRepo, aSid, "PostToolUse", "Write", edit(warnRepo + "/src/c.txt")));
            HookAgent.Run r = editor.hook(HookClient.CLAUDE, "PreToolUse", claudeToolIn(warnRepo, bSid, "PreToolUse", "Edit", edit(warnRepo + "/src/c.txt")));
            assertThat(Json.at(r.json(), "hookSpecificOutput", "permissionDecision")).isNull();
            assertThat((String) Json.at(r.json(), "hookSpecificOutput", "additionalContext"))
                    .contains("src/c.txt is being edited by another agent", "The edit goes ahead (this project's claims_mode is warn)");
            HookAgent.Run before = gemini.hook(HookClient.GEMINI, "BeforeTool", geminiToolIn(warnRepo, gSid, "BeforeTool", "write_file",
                    "{\"file_path\":\"src/c.txt\",\"content\":\"x\"}"));
            assertThat(Json.str(before.json(), "systemMessage")).contains("claims_mode is warn");
            assertThat(Json.at(before.json(), "decision")).isNull();
            HookAgent.Run after = gemini.hook(HookClient.GEMINI, "AfterTool", geminiToolIn(warnRepo, gSid, "AfterTool", "write_file",
                    "{\"file_path\":\"src/c.txt\",\"content\":\"x\"}"));
            assertThat((String) Json.at(after.json(), "hookSpecificOutput", "additionalContext")).contains("claims_mode is warn", "src/c.txt");
        }
    }

    @Test
    void askModeLetsTheHumanDecideInClaudeCodeAndRefusesWhereAClientCannotAsk() {
        String aSid = UUID.randomUUID().toString(), bSid = UUID.randomUUID().toString(), cSid = UUID.randomUUID().toString();
        try (HookAgent holder = HookAgent.start(home, askRepo); HookAgent claude = HookAgent.start(home, askRepo);
             HookAgent codex = HookAgent.start(home, askRepo)) {
            holder.hook(HookClient.CLAUDE, "PostToolUse", claudeToolIn(askRepo, aSid, "PostToolUse", "MultiEdit", edit(askRepo + "/src/d.txt")));
            HookAgent.Run r = claude.hook(HookClient.CLAUDE, "PreToolUse", claudeToolIn(askRepo, bSid, "PreToolUse", "Write", edit(askRepo + "/src/d.txt")));
            assertThat(decision(r)).isEqualTo("ask");
            assertThat((String) Json.at(r.json(), "hookSpecificOutput", "permissionDecisionReason")).contains("src/d.txt", "allow this edit anyway?");
            String patch = "*** Begin Patch\n*** Update File: src/d.txt\n*** End Patch\n";
            String payload = codexPatch(cSid, "PreToolUse", patch).replace("\"cwd\":\"" + repo + "\"", "\"cwd\":\"" + askRepo + "\"");
            assertThat(decision(codex.hook(HookClient.CODEX, "PreToolUse", payload))).as("Codex has no ask").isEqualTo("deny");
        }
    }

    @Test
    void noHubMeansExitThreeForTheClaimsCommands(TestHome empty) {
        Path dir = empty.newDir("nohub");
        assertThat(empty.cli(dir, "claims").exit()).isEqualTo(3);
        assertThat(empty.cli(dir, "release", "src/a.txt").exit()).isEqualTo(3);
        assertThat(empty.hubPid()).isEmpty();
    }

    // ---- helpers ----

    private static String handle(String sid) {
        return dev.huddle.core.identity.Handles.handle(sid);
    }

    private static TestHome.Result commit(Map<String, String> extraEnv, String message) {
        Map<String, String> env = new java.util.LinkedHashMap<>(home.env());
        env.put("HOME", home.home().toString());
        env.putAll(extraEnv);
        return TestHome.run(repo, env, Duration.ofSeconds(30),
                List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", message));
    }

    private static String decision(HookAgent.Run r) {
        assertThat(r.exit()).isZero();
        return (String) Json.at(r.json(), "hookSpecificOutput", "permissionDecision");
    }

    private static String claude(String sid, String event, String extra) {
        return claudeIn(repo, sid, event, extra);
    }

    private static String claudeIn(Path dir, String sid, String event, String extra) {
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"/home/u/.claude/projects/x/" + sid + ".jsonl\",\"cwd\":\"" + dir
                + "\",\"permission_mode\":\"default\",\"hook_event_name\":\"" + event + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String claudeTool(String sid, String event, String tool, String input) {
        return claudeToolIn(repo, sid, event, tool, input);
    }

    private static String claudeToolIn(Path dir, String sid, String event, String tool, String input) {
        return claudeIn(dir, sid, event, "\"tool_name\":\"" + tool + "\",\"tool_input\":" + input
                + ",\"tool_use_id\":\"toolu_01" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + "\"");
    }

    private static String edit(String file) {
        return "{\"file_path\":\"" + file + "\",\"old_string\":\"a\",\"new_string\":\"b\"}";
    }

    private static String codexTool(String sid, String event, String tool, String command) {
        return "{\"session_id\":\"" + sid + "\",\"turn_id\":\"t1\",\"transcript_path\":null,\"cwd\":\"" + repo + "\",\"hook_event_name\":\"" + event
                + "\",\"model\":\"gpt-5\",\"permission_mode\":\"default\",\"tool_name\":\"" + tool + "\",\"tool_input\":{\"command\":"
                + Json.write(command) + "},\"tool_use_id\":\"call_" + UUID.randomUUID().toString().substring(0, 8) + "\"}";
    }

    private static String codexPatch(String sid, String event, String patch) {
        return codexTool(sid, event, "apply_patch", patch);
    }

    private static String geminiTool(String sid, String event, String tool, String input) {
        return geminiToolIn(repo, sid, event, tool, input);
    }

    private static String geminiToolIn(Path dir, String sid, String event, String tool, String input) {
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"\",\"cwd\":\"" + dir + "\",\"hook_event_name\":\"" + event
                + "\",\"timestamp\":\"2026-11-21T10:00:00.000Z\",\"tool_name\":\"" + tool + "\",\"tool_input\":" + input + "}";
    }
}
