package dev.huddle.it;

import dev.huddle.agents.HookClient;
import dev.huddle.it.support.HookAgent;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hook's {@code transcript_path} is the caller's word (issue 16, defect 6): huddle records a path only under the
 * client's transcript directories for the agent's home, and reads a file only when its real path (symlinks resolved)
 * is there and the user's; an agent's opt-out applies to its file whoever reports it. The hub runs with a HOME of
 * its own here, so the hook-only agents' transcript directories are scratch ones.
 */
@HubTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HostileTranscriptsIT {
    private static final String FIXTURE_TEXT = "Committed as 1a2b3c4.";
    private static TestHome home;
    private static Path userHome;
    private static Path repo;
    private static Path projects;

    @BeforeAll
    static void start() throws IOException {
        userHome = home.newDir("hth");
        home.withEnv("HOME", userHome.toString()); // the hub's, the CLI's and the agents' HOME
        repo = Files.createDirectories(home.newDir("htr").resolve("repo"));
        TestHome.markRepository(repo);
        projects = Files.createDirectories(userHome.resolve(".claude/projects"));
        home.startHub();
    }

    @Test
    void aReportedPathOutsideTheClientsDirectoriesIsNotReadNorIsASymlinkOutOfThem() throws Exception {
        Path outside = home.newDir("secret").resolve("notes.jsonl");
        Files.copy(ReadSessionIT.fixture("claude-session.jsonl"), outside);
        Path link = Files.createDirectories(projects.resolve("evil")).resolve("link.jsonl");
        Files.createSymbolicLink(link, outside);
        Path own = Files.createDirectories(projects.resolve("fine")).resolve("own.jsonl");
        Files.copy(ReadSessionIT.fixture("claude-session.jsonl"), own);

        String plain = hooked(outside.toString());
        String dotted = hooked(projects + "/../../" + outside.getParent().getFileName() + "/../" + outside.getParent().getFileName() + "/notes.jsonl");
        String linked = hooked(link.toString());
        String fine = hooked(own.toString());
        try (SimulatedAgent reader = home.agent(repo, "generic-client", Map.of())) {
            assertThat(row(plain)).doesNotContainKey("transcript_path");
            assertThat(row(dotted)).doesNotContainKey("transcript_path");
            assertThat(row(linked)).containsEntry("transcript_path", link.toString()); // a real path under the directory, as reported
            for (String sid : new String[] {plain, dotted}) {
                Map<String, Object> r = reader.call("read_session", Map.of("target", sid, "mode", "transcript"));
                assertThat(Json.str(r, "error", "code")).as("%s", r).isEqualTo("no-transcript");
                assertThat(Json.write(r)).doesNotContain(FIXTURE_TEXT);
            }
            Map<String, Object> viaLink = reader.call("read_session", Map.of("target", linked, "mode", "transcript"));
            assertThat(Json.str(viaLink, "error", "code")).as("%s", viaLink).isEqualTo("transcript-refused");
            assertThat(Json.str(viaLink, "error", "message")).contains(outside.toString(), "not under");
            assertThat(Json.write(viaLink)).doesNotContain(FIXTURE_TEXT);
            TestHome.Result human = home.cli(repo, "read", "--mode", "transcript", linked);
            assertThat(human.exit()).isNotZero();
            assertThat(human.stdout()).doesNotContain(FIXTURE_TEXT);

            Map<String, Object> ok = reader.call("read_session", Map.of("target", fine, "mode", "transcript"));
            assertThat(ok).as("%s", ok).containsEntry("ok", true);
            assertThat(Json.map(ok, "transcript")).containsEntry("path", own.toString()).containsEntry("source", "reported");
        }
    }

    @Test
    void anOptOutAppliesToTheFileWhoeverReportsIt() throws Exception {
        String victim = UUID.randomUUID().toString();
        Path file = Files.createDirectories(projects.resolve(repo.toString().replaceAll("[^A-Za-z0-9]", "-"))).resolve(victim + ".jsonl");
        Files.copy(ReadSessionIT.fixture("claude-session.jsonl"), file);
        try (SimulatedAgent v = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", victim));
             SimulatedAgent reader = home.agent(repo, "generic-client", Map.of())) {
            assertThat(Json.map(v.call("set_my_state", Map.of("readable", false)), "state")).containsEntry("readable", false);
            String thief = hooked(file.toString());
            assertThat(row(thief)).containsEntry("transcript_path", file.toString());

            Map<String, Object> r = reader.call("read_session", Map.of("target", thief, "mode", "transcript"));
            assertThat(Json.str(r, "error", "code")).as("%s", r).isEqualTo("not-readable");
            assertThat(Json.str(r, "error", "message")).contains("opted out");
            Map<String, Object> auto = reader.call("read_session", Map.of("target", thief));
            assertThat(auto).containsEntry("ok", false);
            assertThat(Json.write(auto)).doesNotContain(FIXTURE_TEXT);
            // The human, who may read the victim, reads it through either.
            assertThat(home.cli(repo, "read", "--mode", "transcript", thief).stdout()).contains(FIXTURE_TEXT);
        }
    }

    /** A hook-only Claude Code session whose SessionStart reports {@code transcript}; returns its session id. */
    private static String hooked(String transcript) {
        String sid = UUID.randomUUID().toString();
        try (HookAgent a = HookAgent.start(home, repo)) {
            HookAgent.Run r = a.hook(HookClient.CLAUDE, "SessionStart", Json.write(Map.of("session_id", sid, "transcript_path", transcript,
                    "cwd", repo.toString(), "hook_event_name", "SessionStart", "source", "startup")));
            assertThat(r.exit()).as("%s", r).isZero();
        }
        return sid;
    }

    private static Map<String, Object> row(String sid) {
        for (Object p : Json.list(home.cli(repo, "ps", "--json", "--all").json(), "projects")) {
            for (Object a : Json.list(Json.map(p), "agents")) {
                if (sid.equals(Json.map(a).get("session_id"))) return Json.map(a);
            }
        }
        throw new AssertionError("no agent " + sid + " in huddle ps");
    }
}
