package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code huddle team import}: a machine's local SQLite history (made by a real hub and real fronts) moves into the
 * shared store under its project's name across machines, tagged with the machine; refused while the local hub runs on
 * the local database; a dry run copies nothing; a second run copies nothing twice; another machine's hub sees it.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TeamImportIT {
    private static final String ORIGIN = "git@github.com:acme/payments.git";
    private static final String SHARED_NAME = "github.com/acme/payments";

    private static Path clone(TestHome home, String dir) {
        Path repo = home.newGitRepository(dir);
        home.git(repo, "remote", "add", "origin", ORIGIN);
        return repo;
    }

    private static SimulatedAgent agent(TestHome home, Path repo, String name) {
        SimulatedAgent a = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(a.call("set_my_state", Map.of("name", name))).containsEntry("ok", true);
        return a;
    }

    @Test
    void aLocalHistoryMovesIntoTheSharedStoreOnceUnderItsSharedProjectName(TestHomes homes) throws Exception {
        PostgresServer server = PostgresServer.shared();
        PostgresTarget db = server.createDatabase("import");
        TestHome laptop = homes.create();
        Path repo = clone(laptop, "pay");
        SimulatedAgent alice = agent(laptop, repo, "alice");
        SimulatedAgent bob = agent(laptop, repo, "bob");
        assertThat(alice.call("send_message", Map.of("target", "bob", "body", "first, local"))).containsEntry("ok", true);
        assertThat(alice.call("send_message", Map.of("target", "bob", "body", "second, local"))).containsEntry("ok", true);
        assertThat(bob.call("read_my_messages", Map.of()).get("count")).isEqualTo(2);
        assertThat(alice.call("ask_peer", Map.of("target", "bob", "body", "a question, local", "timeout_ms", 200)))
                .containsEntry("timed_out", true);

        laptop.withEnv("HUDDLE_STORE_URL", db.toString()).withEnv("HUDDLE_MACHINE", "laptop");
        TestHome.Result refused = laptop.cli(repo, "team", "import");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.stderr()).contains("runs on the local database").contains("huddle hub stop");

        alice.close();
        bob.close();
        laptop.stopHub();
        TestHome.Result dry = laptop.cli(repo, "team", "import", "--dry-run");
        assertThat(dry.exit()).as(dry.toString()).isZero();
        assertThat(dry.stdout()).contains("would copy 2 agents, 3 messages, 1 asks").contains("-> " + SHARED_NAME)
                .contains("nothing was copied");
        assertThat(server.query(db.database(), "SELECT count(*) FROM messages")).containsExactly("0");

        TestHome.Result first = laptop.cli(repo, "team", "import", "--json");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.json()).containsEntry("agents", 2).containsEntry("messages", 3).containsEntry("asks", 1).containsEntry("dry_run", false);
        assertThat(server.query(db.database(), "SELECT body || '|' || project_root || '|' || machine || '|' || (delivered_at IS NOT NULL)"
                + " FROM messages ORDER BY seq")).containsExactly(
                "first, local|" + SHARED_NAME + "|laptop|true", "second, local|" + SHARED_NAME + "|laptop|true",
                "a question, local|" + SHARED_NAME + "|laptop|false");
        assertThat(server.query(db.database(), "SELECT name || '|' || project_root || '|' || online || '|' || machine FROM agents ORDER BY name"))
                .containsExactly("alice|" + SHARED_NAME + "|0|laptop", "bob|" + SHARED_NAME + "|0|laptop");
        assertThat(server.query(db.database(), "SELECT state FROM asks")).containsExactly("pending");

        TestHome.Result again = laptop.cli(repo, "team", "import", "--json");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.json()).containsEntry("agents", 0).containsEntry("messages", 0).containsEntry("asks", 0)
                .containsEntry("messages_there", 3).containsEntry("agents_there", 2);
        assertThat(server.query(db.database(), "SELECT count(*) FROM messages")).containsExactly("3");

        // another machine, its clone at another path with the same origin, sees the history in its project
        TestHome devbox = homes.create().withEnv("HUDDLE_STORE_URL", db.toString()).withEnv("HUDDLE_MACHINE", "devbox");
        Path other = clone(devbox, "payments-clone");
        TestHome.Result log = devbox.cli(other, "log", "--json", "-n", "10");
        assertThat(log.exit()).as(log.toString()).isZero();
        assertThat(log.stdout()).contains("first, local").contains("second, local").contains("a question, local");
        // and bob's pending question waits for him when he comes back, on the shared store now
        SimulatedAgent carol = agent(devbox, other, "carol");
        assertThat(String.valueOf(carol.call("list_project_sessions", Map.of()))).contains("alice").contains("bob");
    }
}
