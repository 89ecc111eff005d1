package dev.huddle.it;

import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.Project;
import dev.huddle.tools.demo.SimulatedAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code huddle status} as a user (or a CI script) runs it, against a real hub and agents behind real fronts: a
 * healthy project exits 0 with --check; two agents asking each other (both asks pending after their timeouts) are
 * a deadlock, exit 5; an obligation older than --max-obligation-age exits 7; mail to an agent that went offline is
 * stranded, exit 6; with no hub, exit 3 (and no hub is started).
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StatusIT {

    @Test
    @SuppressWarnings("unchecked")
    void exitCodesFollowWhatIsStuck(TestHome home, @Project Path repo) throws Exception {
        SimulatedAgent alice = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent bob = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent dave = home.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        try {
            for (var e : Map.of("alice", alice, "bob", bob, "dave", dave).entrySet()) {
                assertThat(e.getValue().call("set_my_state", Map.of("name", e.getKey()))).containsEntry("ok", true);
            }

            // healthy
            TestHome.Result ok = home.cli(repo, "status", "--check", "--json");
            assertThat(ok.exit()).as("%s", ok).isZero();
            assertThat(ok.json()).containsEntry("healthy", true).containsEntry("problems", List.of())
                    .containsEntry("project_root", repo.toString()).containsEntry("max_obligation_age_ms", 1_800_000);
            assertThat(Json.list(ok.json(), "projects", 0, "agents")).hasSize(3);
            TestHome.Result text = home.cli(repo, "status");
            assertThat(text.exit()).as("%s", text).isZero();
            assertThat(text.stdout()).contains("AGENT", "alice (", "healthy: no wait cycle");

            // the project by --project from elsewhere, every project with --all, not both
            TestHome.Result byPath = home.cli(home.home(), "status", "--json", "--project", repo.resolve(".git").toString());
            assertThat(byPath.exit()).as("%s", byPath).isZero();
            assertThat(byPath.json()).containsEntry("project_root", repo.toString());
            TestHome.Result every = home.cli(home.home(), "status", "--json", "--all");
            assertThat(every.exit()).as("%s", every).isZero();
            assertThat(every.json()).doesNotContainKey("project_root");
            assertThat(Json.str(every.json(), "projects", 0, "project_root")).isEqualTo(repo.toString());
            assertThat(home.cli(repo, "status", "--all", "--project", repo.toString()).exit()).isEqualTo(2);

            // deadlock: alice asks bob, bob asks alice; each gives up waiting, both asks stay pending
            Map<String, Object> a1 = alice.call("ask_peer", Map.of("target", "bob", "body", "which schema?", "timeout_ms", 300));
            assertThat(a1).as("%s", a1).containsEntry("ok", true).containsEntry("timed_out", true);
            Map<String, Object> b1 = bob.call("ask_peer", Map.of("target", "alice", "body", "which port?", "timeout_ms", 300));
            assertThat(b1).as("%s", b1).containsEntry("ok", true).containsEntry("timed_out", true);
            TestHome.Result dead = home.cli(repo, "status", "--check", "--json");
            assertThat(dead.exit()).as("%s", dead).isEqualTo(5);
            assertThat(dead.json()).containsEntry("healthy", false).containsEntry("problems", List.of("deadlock"));
            List<Object> cycles = Json.list(dead.json(), "projects", 0, "cycles");
            assertThat(cycles).singleElement().satisfies(c -> assertThat((List<Object>) c).hasSize(2)
                    .anyMatch(x -> x.toString().startsWith("alice (")).anyMatch(x -> x.toString().startsWith("bob (")));
            assertThat(Json.list(dead.json(), "projects", 0, "waits")).hasSize(2)
                    .allSatisfy(w -> assertThat((Map<String, Object>) w).containsEntry("asks", 1).containsEntry("on_cycle", true));
            TestHome.Result deadText = home.cli(repo, "status", "--check");
            assertThat(deadText.exit()).as("%s", deadText).isEqualTo(5);
            assertThat(deadText.stdout()).contains("! deadlock: ", "problems: deadlock (--check exits 5)")
                    .doesNotContain("\u001b["); // not a terminal: no colour
            assertThat(deadText.stdout().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));

            // answering both asks ends the deadlock
            answerAll(bob);
            answerAll(alice);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(home.cli(repo, "status", "--check").exit()).isZero());

            // stale obligation: fresh under the default 30 min, stale past a 200 ms threshold
            Map<String, Object> work = alice.call("send_message", Map.of("target", "bob", "body", "migrate the table", "action_required", true));
            assertThat(work).as("%s", work).containsEntry("ok", true);
            assertThat(home.cli(repo, "status", "--check").exit()).isZero();
            TestHome.Result stale = await("the obligation older than 200 ms").atMost(Duration.ofSeconds(20))
                    .until(() -> home.cli(repo, "status", "--check", "--json", "--max-obligation-age", "200ms"), r -> r.exit() == 7);
            assertThat(stale.exit()).as("%s", stale).isEqualTo(7);
            assertThat(stale.json()).containsEntry("problems", List.of("stale_obligation"));
            assertThat(Json.map(stale.json(), "projects", 0, "stale_obligations", 0))
                    .containsEntry("message_id", work.get("message_id")).containsEntry("from", label(stale, "alice"))
                    .containsEntry("to", label(stale, "bob"));
            assertThat(home.cli(repo, "status", "--check", "--max-obligation-age", "soon").exit()).isEqualTo(2);
            Map<String, Object> done = bob.call("complete_work", Map.of("message_id", work.get("message_id"), "body", "migrated"));
            assertThat(done).as("%s", done).containsEntry("ok", true);
            drain(alice);
            drain(bob);
            assertThat(home.cli(repo, "status", "--check", "--max-obligation-age", "200ms").exit()).isZero();

            // stranded mail: a message to dave, then dave's session ends
            assertThat(alice.call("send_message", Map.of("target", "dave", "body", "are you there?"))).containsEntry("ok", true);
            dave.close();
            dave = null;
            await().atMost(Duration.ofSeconds(20)).until(() -> home.cli(repo, "status", "--check").exit() == 6);
            TestHome.Result stranded = home.cli(repo, "status", "--check", "--json");
            assertThat(stranded.exit()).as("%s", stranded).isEqualTo(6);
            assertThat(stranded.json()).containsEntry("problems", List.of("stranded_mail"));
            assertThat(Json.map(stranded.json(), "projects", 0, "stranded", 0)).containsEntry("agent", label(stranded, "dave"))
                    .containsEntry("count", 1);
            TestHome.Result strandedText = home.cli(repo, "status");
            assertThat(strandedText.exit()).as("without --check it only shows: %s", strandedText).isZero();
            assertThat(strandedText.stdout()).contains("! stranded: 1 unread for dave (", "(offline)");
        } finally {
            for (SimulatedAgent a : new SimulatedAgent[]{alice, bob, dave}) if (a != null) a.close();
        }
    }

    @Test
    void noHubExitsThreeAndStartsNone(TestHome home) {
        TestHome.Result r = home.cli(home.newDir("repo"), "status", "--check");
        assertThat(r.exit()).as("%s", r).isEqualTo(3);
        assertThat(r.stderr()).contains("no hub is running");
        assertThat(home.hubPid()).isEmpty();
    }

    /** "name (handle)" of the agent named {@code name}, as the report shows it. */
    @SuppressWarnings("unchecked")
    private static String label(TestHome.Result r, String name) {
        return Json.list(r.json(), "projects", 0, "agents").stream().map(a -> (Map<String, Object>) a)
                .filter(a -> name.equals(a.get("name"))).map(a -> String.valueOf(a.get("label"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static void answerAll(SimulatedAgent a) {
        Map<String, Object> read = a.call("read_my_messages", Map.of());
        for (Object o : (List<Object>) read.get("messages")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (m.get("request_id") != null && m.get("reply_to") == null) {
                assertThat(a.call("reply_to_message", Map.of("message_id", m.get("id"), "body", "answer"))).containsEntry("ok", true);
            }
        }
    }

    private static void drain(SimulatedAgent a) {
        while (((Number) a.call("read_my_messages", Map.of()).get("count")).intValue() > 0) { /* empty the inbox */ }
    }
}
