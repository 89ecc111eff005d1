package dev.huddle.it;

import dev.huddle.agents.HookClient;
import dev.huddle.it.support.HookAgent;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;
import dev.huddle.tools.demo.SimulatedAgent;
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
 * Two machines (two hubs on one PostgreSQL database) with clones of one repository at different paths, same origin
 * (one over ssh, one over https): one project. Their agents list and message each other, and a claim made on one
 * machine refuses the other's edit (and commit) of the same repository-relative file. A repository with no origin keeps
 * its path as its name, and the hub says so once.
 */
@HubTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SharedProjectIT {
    private static final String PROJECT = "github.com/acme/payments";


    private static Path clone(TestHome home, String dir, String origin) throws Exception {
        Path repo = home.initGitRepository(home.newDir(dir).resolve("payments"));
        home.git(repo, "remote", "add", "origin", origin);
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/x.java"), "class X {}\n");
        return repo;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @Test
    void clonesAtDifferentPathsWithOneOriginAreOneProjectAcrossMachines(TestHomes homes) throws Exception {
        PostgresTarget db = PostgresServer.newDatabase("ident");
        TestHome laptop = homes.machine(db, "laptop");
        TestHome devbox = homes.machine(db, "devbox");
        Path a = clone(laptop, "laptop", "git@github.com:acme/payments.git");
        Path b = clone(devbox, "devbox", "https://github.com/acme/payments");
        assertThat(a).isNotEqualTo(b);
        SimulatedAgent alice = laptop.agent(a.resolve("src"), "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent bob = devbox.agent(b, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(bob.call("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);

        // they list each other, under the repository's name
        Map<String, Object> seen = bob.call("list_project_sessions", Map.of());
        assertThat(seen).as(seen.toString()).containsEntry("project_root", PROJECT);
        assertThat(list(seen, "sessions")).extracting(s -> s.get("name")).contains("alice", "bob");
        assertThat(list(alice.call("list_project_sessions", Map.of()), "sessions")).extracting(s -> s.get("name")).contains("alice", "bob");

        // and message each other
        assertThat(alice.call("send_message", Map.of("target", "bob", "body", "from the laptop"))).containsEntry("ok", true);
        assertThat(list(bob.call("read_my_messages", Map.of()), "messages")).extracting(m -> m.get("body")).containsExactly("from the laptop");
        assertThat(bob.call("send_message", Map.of("target", "alice", "body", "from the devbox"))).containsEntry("ok", true);
        assertThat(list(alice.call("read_my_messages", Map.of()), "messages")).extracting(m -> m.get("body")).containsExactly("from the devbox");
        assertThat(PostgresServer.shared().query(db.database(), "SELECT DISTINCT project_root FROM messages")).containsExactly(PROJECT);

        // a claim on the laptop (from alice's cwd, src/) holds the repository-relative file on the devbox too
        assertThat(alice.call("claim_paths", Map.of("paths", List.of("x.java"), "reason", "rewriting X"))).containsEntry("ok", true);
        assertThat(PostgresServer.shared().query(db.database(), "SELECT pattern FROM claims")).containsExactly("src/x.java");
        Map<String, Object> refused = bob.call("claim_paths", Map.of("paths", List.of("src/x.java")));
        assertThat(refused.toString()).as(refused.toString()).contains("paths-claimed");
        String sid = UUID.randomUUID().toString();
        try (HookAgent carol = HookAgent.start(devbox, b)) {
            HookAgent.Run edit = carol.hook(HookClient.CLAUDE, "PreToolUse", claudeEdit(b, sid, b.resolve("src/x.java")));
            assertThat(edit.exit()).isZero();
            assertThat((String) Json.at(edit.json(), "hookSpecificOutput", "permissionDecision")).as(edit.toString()).isEqualTo("deny");
            assertThat(edit.stdout()).contains("alice");
        }

        // and so does the git pre-commit guard of the devbox's clone (a human's commit)
        TestHome.Result setup = devbox.cli(b, "setup", "--git-hook");
        assertThat(setup.exit()).as(setup.toString()).isZero();
        Files.writeString(b.resolve("src/x.java"), "class X { int y; }\n");
        devbox.git(b, "add", "src/x.java");
        Map<String, String> env = new java.util.LinkedHashMap<>(devbox.env());
        env.put("HOME", devbox.home().toString());
        TestHome.Result commit = TestHome.run(b, env, java.time.Duration.ofSeconds(30),
                List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "human commit"));
        assertThat(commit.exit()).as(commit.toString()).isNotZero();
        assertThat(commit.stderr()).contains("touches a file another agent holds exclusively", "src/x.java", "alice");

        // the CLI on the devbox, in its clone, sees the one project: huddle claims and huddle release by relative path
        TestHome.Result claims = devbox.cli(b, "claims");
        assertThat(claims.stdout()).as(claims.toString()).contains(PROJECT).contains("src/x.java");
        TestHome.Result released = devbox.cli(b.resolve("src"), "release", "x.java");
        assertThat(released.exit()).as(released.toString()).isZero();
        assertThat(PostgresServer.shared().query(db.database(), "SELECT pattern FROM claims WHERE implicit = 0")).isEmpty();
        TestHome.Result ps = laptop.cli(a, "ps");
        assertThat(ps.stdout()).as(ps.toString()).contains(PROJECT).contains("here: " + a).contains("alice").contains("bob");
    }

    @Test
    void twoMachinesNeverBothTakeAFileAndAClaimJustMadeOnOneRefusesTheOthersNextEdit(TestHomes homes) throws Exception {
        PostgresTarget db = PostgresServer.newDatabase("race");
        TestHome laptop = homes.machine(db, "laptop");
        TestHome devbox = homes.machine(db, "devbox");
        Path a = clone(laptop, "laptop", "git@github.com:acme/payments.git");
        Path b = clone(devbox, "devbox", "https://github.com/acme/payments");
        SimulatedAgent alice = laptop.agent(a, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent bob = devbox.agent(b, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(bob.call("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);

        // both hubs hold a fresh index of the project's claims, then both agents claim one file at once: one gets it
        for (int round = 0; round < 15; round++) {
            List<String> file = List.of("src/f" + round + ".java");
            alice.call("list_claims", Map.of());
            bob.call("list_claims", Map.of());
            var fromLaptop = java.util.concurrent.CompletableFuture.supplyAsync(() -> alice.call("claim_paths", Map.of("paths", file)));
            var fromDevbox = java.util.concurrent.CompletableFuture.supplyAsync(() -> bob.call("claim_paths", Map.of("paths", file)));
            List<Map<String, Object>> results = List.of(fromLaptop.get(30, TimeUnit.SECONDS), fromDevbox.get(30, TimeUnit.SECONDS));
            assertThat(results).as("round %d: %s", round, results).filteredOn(r -> Boolean.TRUE.equals(r.get("ok"))).hasSize(1);
        }
        assertThat(PostgresServer.shared().query(db.database(), "SELECT count(*) FROM claims WHERE implicit = 0")).containsExactly("15");

        // the devbox's hub has just checked an edit (its index is fresh) when the laptop claims the file: its edits are refused
        String sid = UUID.randomUUID().toString();
        try (HookAgent carol = HookAgent.start(devbox, b)) {
            HookAgent.Run free = carol.hook(HookClient.CLAUDE, "PreToolUse", claudeEdit(b, sid, b.resolve("src/x.java")));
            assertThat(free.stdout()).as(free.toString()).doesNotContain("deny");
            assertThat(alice.call("claim_paths", Map.of("paths", List.of("src/x.java")))).containsEntry("ok", true);
            // at the laptop's commit notification (SharedClaimsTest holds that without timing); awaited: a loaded machine may lag
            HookAgent.Run edit = await("the devbox refuses the edit").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> carol.hook(HookClient.CLAUDE, "PreToolUse", claudeEdit(b, sid, b.resolve("src/x.java"))), r -> r.stdout().contains("deny"));
            assertThat((String) Json.at(edit.json(), "hookSpecificOutput", "permissionDecision")).as(edit.toString()).isEqualTo("deny");
        }
    }

    @Test
    void aRepositoryWithoutAnOriginKeepsItsPathAndTheHubSaysSoOnce(TestHomes homes) throws Exception {
        PostgresTarget db = PostgresServer.newDatabase("noname");
        TestHome laptop = homes.machine(db, "laptop");
        Path repo = laptop.newGitRepository("local");
        SimulatedAgent alice = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent bob = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(alice.call("list_project_sessions", Map.of())).containsEntry("project_root", repo.toString());
        assertThat(bob.call("list_project_sessions", Map.of())).containsEntry("project_root", repo.toString());
        String log = laptop.logTail();
        assertThat(log).contains("has no name shared across machines").contains("huddle.project");
        assertThat(log.split("has no name shared", -1)).as("said once").hasSize(2);
        TestHome.Result doctor = laptop.cli(repo, "doctor");
        assertThat(doctor.stdout() + doctor.stderr()).as(doctor.toString()).contains("no name shared across machines");

        laptop.git(repo, "config", "huddle.project", "acme-local");
        SimulatedAgent carol = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(carol.call("list_project_sessions", Map.of())).containsEntry("project_root", "acme-local");
    }

    private static String claudeEdit(Path cwd, String sid, Path file) {
        return "{\"session_id\":\"" + sid + "\",\"transcript_path\":\"/home/u/.claude/projects/x/" + sid + ".jsonl\",\"cwd\":\"" + cwd
                + "\",\"permission_mode\":\"default\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Edit\",\"tool_input\":{\"file_path\":\""
                + file + "\",\"old_string\":\"a\",\"new_string\":\"b\"},\"tool_use_id\":\"toolu_01" + UUID.randomUUID().toString().replace("-", "").substring(0, 20) + "\"}";
    }
}
