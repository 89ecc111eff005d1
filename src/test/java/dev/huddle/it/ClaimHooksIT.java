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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claim enforcement through the installed (curl) PreToolUse hook against a real hub: an edit of a file another
 * online agent holds exclusively is denied with a reason naming the holder, the claim's reason and ask_peer; free
 * files, shared claims, the holder's own edits and released files are allowed; mail is not lost to a denial.
 */
@HubTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClaimHooksIT {
    private static TestHome home;
    @Project
    private static Path repo;
    private static SimulatedAgent alice;
    private static String aliceSid;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(repo.resolve("src"));
        home.startHub();
        aliceSid = UUID.randomUUID().toString();
        alice = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", aliceSid));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
    }

    @Test
    void anExclusivelyClaimedFileIsRefusedToOthersWithWhoWhyAndHowToAsk() {
        String bobSid = UUID.randomUUID().toString();
        try (HookAgent bob = HookAgent.start(home, repo); HookAgent aliceHooks = HookAgent.start(home, repo)) {
            bob.hook(HookClient.CLAUDE, "UserPromptSubmit", claude(bobSid, "UserPromptSubmit", "\"prompt\":\"edit a\""));
            assertThat(alice.call("claim_paths", Map.of("paths", List.of("src/a.txt"), "reason", "rewriting the parser")))
                    .containsEntry("ok", true);

            HookAgent.Run denied = bob.hook(HookClient.CLAUDE, "PreToolUse", edit(bobSid, "Edit", repo + "/src/a.txt"));
            assertThat(denied.exit()).isZero();
            assertThat(Json.at(denied.json(), "hookSpecificOutput", "hookEventName")).isEqualTo("PreToolUse");
            assertThat(Json.at(denied.json(), "hookSpecificOutput", "permissionDecision")).isEqualTo("deny");
            String reason = (String) Json.at(denied.json(), "hookSpecificOutput", "permissionDecisionReason");
            assertThat(reason).contains("src/a.txt", "alice", aliceSid, "rewriting the parser", "since 20", "ask_peer (target: alice)");

            for (String tool : List.of("Write", "MultiEdit")) {
                assertThat(decision(bob.hook(HookClient.CLAUDE, "PreToolUse", edit(bobSid, tool, repo + "/src/../src/a.txt"))))
                        .as(tool).isEqualTo("deny");
            }
            assertThat(decision(bob.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(bobSid, "NotebookEdit",
                    "{\"notebook_path\":\"" + repo + "/src/a.txt\",\"new_source\":\"x\"}")))).isEqualTo("deny");
            assertThat(bob.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(bobSid, "Read", "{\"file_path\":\"" + repo + "/src/a.txt\"}")).stdout())
                    .as("reading is not editing").isEmpty();
            assertThat(bob.hook(HookClient.CLAUDE, "PreToolUse", edit(bobSid, "Edit", repo + "/src/b.txt")).stdout())
                    .as("an unclaimed file").isEmpty();
            assertThat(aliceHooks.hook(HookClient.CLAUDE, "PreToolUse", edit(aliceSid, "Edit", repo + "/src/a.txt")).stdout())
                    .as("the holder edits its own file").isEmpty();

            // Mail waiting at a denied edit stays queued and comes with the next hook.
            String mail = send(bobSid, "alice says: give me ten minutes");
            assertThat(decision(bob.hook(HookClient.CLAUDE, "PreToolUse", edit(bobSid, "Edit", repo + "/src/a.txt")))).isEqualTo("deny");
            String next = (String) Json.at(bob.hook(HookClient.CLAUDE, "PreToolUse", claudeTool(bobSid, "Bash", "{\"command\":\"ls\"}")).json(),
                    "hookSpecificOutput", "additionalContext");
            assertThat(next).contains(mail).contains("give me ten minutes");

            assertThat(alice.call("release_paths", Map.of("paths", List.of("src/a.txt")))).containsEntry("ok", true);
            assertThat(bob.hook(HookClient.CLAUDE, "PreToolUse", edit(bobSid, "Edit", repo + "/src/a.txt")).stdout())
                    .as("released").isEmpty();

            assertThat(alice.call("claim_paths", Map.of("paths", List.of("src/*.txt"), "mode", "shared"))).containsEntry("ok", true);
            assertThat(bob.hook(HookClient.CLAUDE, "PreToolUse", edit(bobSid, "Write", repo + "/src/a.txt")).stdout())
                    .as("only exclusive claims refuse edits").isEmpty();
            alice.call("release_paths", Map.of());
        }
    }

    private static String decision(HookAgent.Run r) {
        assertThat(r.exit()).isZero();
        return (String) Json.at(r.json(), "hookSpecificOutput", "permissionDecision");
    }

    private static String claude(String sid, String event, String extra) {
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"/home/u/.claude/projects/x/" + sid + ".jsonl\",\"cwd\":\"" + repo
                + "\",\"permission_mode\":\"default\",\"hook_event_name\":\"" + event + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String claudeTool(String sid, String tool, String input) {
        return claude(sid, "PreToolUse", "\"tool_name\":\"" + tool + "\",\"tool_input\":" + input
                + ",\"tool_use_id\":\"toolu_01" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + "\"");
    }

    private static String edit(String sid, String tool, String file) {
        return claudeTool(sid, tool, "{\"file_path\":\"" + file + "\",\"old_string\":\"a\",\"new_string\":\"b\",\"content\":\"" + "x".repeat(10_000) + "\"}");
    }

    private static String send(String target, String body) {
        TestHome.Result r = home.cli(repo, "send", "--json", target, body);
        assertThat(r.exit()).as(r.toString()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(?:message_id|id)\"\\s*:\\s*\"([0-9a-f]{16})\"").matcher(r.stdout());
        assertThat(m.find()).as("a message id in " + r.stdout()).isTrue();
        return m.group(1);
    }
}
