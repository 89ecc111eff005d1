package dev.huddle.it;

import dev.huddle.agents.HookCommands;
import dev.huddle.it.support.FakeTui;
import dev.huddle.it.support.HubTest;
import dev.huddle.it.support.PaneAgent;
import dev.huddle.it.support.Json;
import dev.huddle.it.support.RawFront;
import dev.huddle.it.support.TestHome;
import dev.huddle.it.support.TestHomes;
import dev.huddle.store.postgres.PostgresServer;
import dev.huddle.store.postgres.PostgresTarget;
import dev.huddle.tools.demo.SimulatedAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The owning hub acts for its agents (issue 19): hubs of two or three HUDDLE_HOMEs and HUDDLE_MACHINEs on one
 * PostgreSQL database stand in for machines. A message from the laptop's agent wakes the devbox's agent in its real
 * tmux pane, typed by the devbox's hub (the laptop's hub types nothing), once; read_session from the laptop of the
 * devbox's agent is answered by the devbox's hub from its transcript when that machine turned it on, refused with the
 * way to turn it on when not, and names a silent machine. Timings are printed beside the same figure on one hub.
 */
@HubTest
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrossMachineIT {
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final List<Path> tmuxSockets = new ArrayList<>();

    /** A machine's home: its hub connects as the database's owner here, with its own role in CrossMachineRolesIT. */
    TestHome machine(TestHomes homes, PostgresTarget db, String name) {
        return homes.create().withEnv("HUDDLE_STORE_URL", db.toString()).withEnv("HUDDLE_MACHINE", name)
                .withEnv("HUDDLE_WAKE_TERMINAL", "on");
    }

    @AfterEach
    void tearDown() {
        for (AutoCloseable c : owned.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the homes' cleanup kills what is left
            }
        }
    }

    @Test
    void aMessageFromTheLaptopWakesTheDevboxAgentInItsPaneTypedByTheDevboxHubOnce(TestHomes homes) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")) || System.getenv("CI") != null, "tmux not installed");
        PostgresTarget db = PostgresServer.newDatabase("wake");
        TestHome laptop = machine(homes, db, "laptop");
        TestHome devbox = machine(homes, db, "devbox");
        Path repo = laptop.newProject("repo");
        // retries would come quickly, so one extra keystroke would show within the test
        Files.writeString(devbox.home().resolve("config.json"), "{\"wake_retry_first_delay_ms\": 1500}");
        Files.writeString(laptop.home().resolve("config.json"), "{\"wake_retry_first_delay_ms\": 1500}");
        SimulatedAgent alice = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        PaneAgent bob = paneAgent(devbox, repo, "bob");
        PaneAgent local = paneAgent(laptop, repo, "carol"); // the floor: a wake on one machine, measured alike

        long t0 = System.nanoTime();
        Map<String, Object> sent = alice.call("send_message", Map.of("target", bob.sessionId, "body", "the build broke on the devbox"));
        assertThat(sent).as(sent.toString()).containsEntry("ok", true).containsEntry("wake_status", "will_fire");
        assertThat((String) sent.get("wake_reason")).contains("carried out by the hub of its machine, devbox");
        await("the devbox agent's pane gets the wake text").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> !bob.submissions().isEmpty());
        long crossMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(bob.submissions()).hasSize(1).allSatisfy(s -> assertThat(s).contains("read_my_messages"));

        long t1 = System.nanoTime();
        Map<String, Object> sentHere = alice.call("send_message", Map.of("target", local.sessionId, "body", "and on the laptop"));
        assertThat(sentHere).containsEntry("ok", true);
        await("the laptop agent's pane gets the wake text").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> !local.submissions().isEmpty());
        long localMs = (System.nanoTime() - t1) / 1_000_000;

        String messageId = (String) sent.get("message_id");
        // the decision is the laptop's (the shared policy), the route the devbox's: taken once, typed by the devbox's hub
        await("the devbox hub's route outcome").atMost(Duration.ofSeconds(20)).until(() -> !rows(db, messageId, "status = 'fired'").isEmpty());
        assertThat(rows(db, messageId, "status = 'will_fire'")).containsExactly("will_fire/laptop/null/taken");
        assertThat(rows(db, messageId, "status = 'fired'")).containsExactly("fired/devbox/tmux/-");
        assertThat(rows(db, messageId, "route IS NOT NULL AND machine = 'laptop'")).as("the laptop's hub ran no route for it").isEmpty();

        // the agent acts on the wake: its hub confirms it, and no retry types a second time
        assertThat(bob.call("read_my_messages", Map.of()).toString()).contains("the build broke on the devbox");
        await("confirmed by the devbox's timers").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !rows(db, messageId, "status = 'confirmed'").isEmpty());
        assertThat(rows(db, messageId, "status = 'confirmed'")).allSatisfy(r -> assertThat(r).contains("/devbox/"));
        assertThat(bob.submissions()).as("exactly one wake").hasSize(1);

        // bob blocked in an ask_peer on the devbox: only the devbox's hub knows; it types nothing and says why
        var ask = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                bob.call("ask_peer", Map.of("target", "alice", "body", "which branch?", "timeout_ms", 25_000)));
        Map<String, Object> question = Json.map(await("alice gets bob's question").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> Json.list(alice.call("read_my_messages", Map.of()), "messages").stream().findFirst().orElse(null),
                        java.util.Objects::nonNull));
        pastDebounce(db, bob.sessionId);
        Map<String, Object> nudge = alice.call("send_message", Map.of("target", bob.sessionId, "body", "also: tests are red", "wake", "auto"));
        assertThat(nudge).as("%s; bob's wakes: %s", nudge, PostgresServer.shared().query(db.database(), "SELECT message_id || ' ' || status"
                + " || ' ' || coalesce(kind, '') || ' ' || attempt || ' ' || machine FROM wakes WHERE target_id = '" + bob.sessionId + "' ORDER BY id"))
                .containsEntry("wake_status", "will_fire");
        String nudgeId = (String) nudge.get("message_id");
        await("the devbox hub's answer to the decision").atMost(Duration.ofSeconds(20))
                .until(() -> !rows(db, nudgeId, "status <> 'will_fire'").isEmpty());
        assertThat(rows(db, nudgeId, "status <> 'will_fire'")).containsExactly("skipped_busy/devbox/null/-");
        assertThat(alice.call("reply_to_message", Map.of("message_id", question.get("id"), "body", "main"))).containsEntry("ok", true);
        assertThat(ask.get(30, TimeUnit.SECONDS)).containsEntry("timed_out", false);
        assertThat(bob.submissions()).as("nothing typed while it waited").hasSize(1);

        // the devbox's hub is down when the laptop decides: it carries the wake out when it is back
        devbox.stopHub();
        assertThat(devbox.hubPid()).isEmpty();
        pastDebounce(db, bob.sessionId);
        Map<String, Object> whileDown = alice.call("send_message", Map.of("target", bob.sessionId, "body", "while your hub was away"));
        assertThat(whileDown).as(whileDown.toString()).containsEntry("wake_status", "will_fire");
        String downId = (String) whileDown.get("message_id");
        assertThat(rows(db, downId, "true")).as("decided, and nobody took it").containsExactly("will_fire/laptop/null/-");
        devbox.startHub();
        try {
            await("the wake typed by the devbox's hub once it is back").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> bob.submissions().size() == 2);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("rows: " + rows(db, downId, "true") + "; reasons: " + PostgresServer.shared().query(db.database(),
                    "SELECT coalesce(reason, '') FROM wakes WHERE message_id = '" + downId + "'") + "; devbox log: " + devbox.logTail(), e);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !rows(db, downId, "status = 'fired'").isEmpty());
        assertThat(rows(db, downId, "status IN ('will_fire', 'fired')")).containsExactly("will_fire/laptop/null/taken", "fired/devbox/tmux/-");
        await("the laptop hub's route outcome").atMost(Duration.ofSeconds(20))
                .until(() -> !rows(db, (String) sentHere.get("message_id"), "status = 'fired'").isEmpty());
        System.out.println("[cross-machine wake] bob's wake rows (message, status, kind, attempt, machine): " + PostgresServer.shared()
                .query(db.database(), "SELECT message_id || ' ' || status || ' ' || coalesce(kind, '') || ' ' || attempt || ' ' || machine"
                        + " FROM wakes WHERE target_id = '" + bob.sessionId + "' ORDER BY id"));
        System.out.println("[cross-machine wake] decision committed -> route started: " + handOver(db, messageId) + " ms on the devbox's hub"
                + " (floor, the same on one hub: " + handOver(db, (String) sentHere.get("message_id")) + " ms); send -> keystroke in the"
                + " devbox pane: " + crossMs + " ms (floor, on one hub: " + localMs + " ms); ./mvnw -B -o verify -Dit.test=" + getClass().getSimpleName() + " -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false");
    }

    @Test
    void readSessionOfAnotherMachinesAgentIsAnsweredByItsHubWhenItAllowsIt(TestHomes homes) throws Exception {
        PostgresTarget db = PostgresServer.newDatabase("read");
        TestHome laptop = machine(homes, db, "laptop");
        TestHome devbox = machine(homes, db, "devbox");
        TestHome vault = machine(homes, db, "vault");
        Files.writeString(devbox.home().resolve("config.json"), "{\"team_read_transcripts\": true}");
        Path repo = laptop.newProject("repo");

        String bobSid = UUID.randomUUID().toString();
        Path bobHome = transcriptHome(devbox, repo, bobSid);
        String carolSid = UUID.randomUUID().toString();
        Path carolHome = transcriptHome(vault, repo, carolSid);
        String daveSid = UUID.randomUUID().toString();
        Path daveHome = transcriptHome(laptop, repo, daveSid);
        SimulatedAgent alice = laptop.agent(repo, "codex-mcp-client", Map.of());
        SimulatedAgent bob = devbox.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", bobSid, "HOME", bobHome.toString()));
        SimulatedAgent carol = vault.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", carolSid, "HOME", carolHome.toString()));
        SimulatedAgent dave = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", daveSid, "HOME", daveHome.toString()));
        for (SimulatedAgent a : List.of(bob, carol, dave)) assertThat(a.call("get_my_session", Map.of())).containsEntry("ok", true); // in the store

        Map<String, Object> near = alice.call("read_session", Map.of("target", daveSid));
        assertThat(near).as("%s", near).containsEntry("ok", true);
        Map<String, Object> r = alice.call("read_session", Map.of("target", bobSid));
        assertThat(r).as("%s", r).containsEntry("ok", true).containsEntry("mode", "transcript");
        // warmed up (the first calls load classes on both hubs): the round trip through the devbox's hub, and its floor,
        // a read on one hub, each the median of 9 taken in turn
        List<Long> local = new ArrayList<>();
        List<Long> cross = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            local.add(timed(() -> alice.call("read_session", Map.of("target", daveSid))));
            cross.add(timed(() -> alice.call("read_session", Map.of("target", bobSid))));
        }
        assertThat(Json.list(r, "messages")).hasSize(10);
        assertThat(Json.str(r, "note")).contains("read by the hub of machine devbox");
        assertThat(Json.str(r, "transcript", "path")).startsWith(bobHome.toString());

        // bounded: an answer between machines carries at most 160 KB of transcript text, and says so
        Map<String, Object> big = alice.call("read_session", Map.of("target", bobSid, "max_bytes", 1_000_000));
        assertThat(Json.map(big, "clamped", "max_bytes")).containsEntry("requested", 1_000_000).containsEntry("used", 160_000);

        // the human on the laptop reads it the same way
        TestHome.Result cli = laptop.cli(repo, "read", bobSid, "-n", "2", "--json");
        assertThat(cli.exit()).as("%s", cli).isZero();
        assertThat(cli.stdout()).contains("read by the hub of machine devbox");

        // the vault did not turn it on: a clear error that says where and how
        Map<String, Object> off = alice.call("read_session", Map.of("target", carolSid));
        assertThat(off).as("%s", off).containsEntry("ok", false);
        assertThat(Json.str(off, "error", "code")).isEqualTo("remote-read-off");
        assertThat(Json.str(off, "error", "message")).contains("machine vault does not let other machines read");
        assertThat(Json.str(off, "error", "hint")).contains("\"team_read_transcripts\": true");

        // a silent machine is named
        vault.killAll();
        long s0 = System.nanoTime();
        Map<String, Object> silent = alice.call("read_session", Map.of("target", carolSid));
        long waitedMs = (System.nanoTime() - s0) / 1_000_000;
        assertThat(silent).as("%s", silent).containsEntry("ok", false);
        assertThat(Json.str(silent, "error", "code")).isEqualTo("remote-read-timeout");
        assertThat(Json.str(silent, "error", "message")).isEqualTo("machine vault's hub did not answer in 10 s");
        assertThat(waitedMs).isBetween(9_000L, 30_000L);

        // every request row is gone once read
        assertThat(PostgresServer.shared().query(db.database(), "SELECT count(*) FROM read_requests")).containsExactly("0");
        System.out.println("[cross-machine read] read_session round trip through the devbox's hub: median " + median(cross) + " ms, min "
                + cross.stream().min(Long::compare).orElseThrow() + " ms (floor, a read on one hub: median " + median(local) + " ms, min "
                + local.stream().min(Long::compare).orElseThrow() + " ms); ./mvnw -B -o verify -Dit.test=" + getClass().getSimpleName() + " -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false");
    }

    /** Waits until the agent's latest wake decision is older than the 2 s debounce, so that the next one may fire. */
    private static void pastDebounce(PostgresTarget db, String agentId) {
        await("past the debounce of the latest wake").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> PostgresServer.shared().query(db.database(), "SELECT count(*) FROM wakes WHERE target_id = '" + agentId
                        + "' AND status = 'will_fire' AND at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint - 2500"), n -> n.equals(List.of("0")));
    }

    /** From the decision's row to the start of its route (the route's outcome row, less the route's duration), in ms. */
    private static String handOver(PostgresTarget db, String messageId) {
        return PostgresServer.shared().query(db.database(), "SELECT (f.at - f.duration_ms) - d.at FROM wakes d JOIN wakes f ON"
                + " f.message_id = d.message_id AND f.status = 'fired' WHERE d.status = 'will_fire' AND d.message_id = '" + messageId + "'")
                .getFirst();
    }

    /** How long {@code call} took, in ms; it must succeed. */
    private static long timed(java.util.function.Supplier<Map<String, Object>> call) {
        long t0 = System.nanoTime();
        Map<String, Object> r = call.get();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r).as("%s", r).containsEntry("ok", true);
        return ms;
    }

    private static long median(List<Long> ms) {
        return ms.stream().sorted().toList().get(ms.size() / 2);
    }

    /** A HOME for an agent of {@code home}'s machine with a Claude Code transcript of session {@code sid} in {@code repo}. */
    private static Path transcriptHome(TestHome home, Path repo, String sid) throws Exception {
        Path userHome = home.newDir("uh");
        Path file = userHome.resolve(".claude/projects/" + repo.toString().replaceAll("[^A-Za-z0-9]", "-") + "/" + sid + ".jsonl");
        Files.createDirectories(file.getParent());
        Files.copy(Path.of(CrossMachineIT.class.getResource("/transcripts/claude-session.jsonl").toURI()), file);
        return userHome;
    }

    /** The wake rows of a message matching {@code where}: status/machine/route/taken. */
    static List<String> rows(PostgresTarget db, String messageId, String where) {
        return PostgresServer.shared().query(db.database(), "SELECT status || '/' || coalesce(machine, '?') || '/' || coalesce(route, 'null')"
                + " || '/' || CASE WHEN carried_at IS NULL THEN '-' ELSE 'taken' END FROM wakes WHERE message_id = '" + messageId
                + "' AND " + where + " ORDER BY id");
    }

    private PaneAgent paneAgent(TestHome home, Path repo, String name) throws Exception {
        Path dir = home.newDir("hx-" + name);
        PaneAgent a = new PaneAgent(home, repo, dir, dir.resolve("tmux.sock"), name); // each on its machine's own tmux server
        owned.add(a);
        return a.start();
    }
}
