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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two hubs (two HUDDLE_HOMEs, two HUDDLE_MACHINEs) on one PostgreSQL database stand in for two machines of a team:
 * an agent of each finds the other, a message crosses, and an ask_peer waiting on one hub completes when the other
 * hub commits the reply (its notification wakes the waiting hub; nothing polls).
 */
@HubTest
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SharedStoreIT {
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> read) {
        return (List<Map<String, Object>>) read.get("messages");
    }

    private static TestHome machine(TestHomes homes, PostgresTarget db, String name) {
        return homes.machine(db, name)
                .withEnv("HUDDLE_ASK_MAX_TIMEOUT_MS", "30000");
    }

    @Test
    void agentsOfTwoHubsMessageAndAskEachOtherThroughTheSharedStore(TestHomes homes) throws Exception {
        PostgresTarget db = PostgresServer.newDatabase("team");
        TestHome laptop = machine(homes, db, "laptop");
        TestHome devbox = machine(homes, db, "devbox");
        Path repo = laptop.newProject("repo"); // one path for both (no origin: its path names it); clones at different paths: SharedProjectIT
        SimulatedAgent alice = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        SimulatedAgent bob = devbox.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
        assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
        assertThat(bob.call("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);
        assertThat(laptop.hubPid()).isPresent();
        assertThat(devbox.hubPid()).isPresent().isNotEqualTo(laptop.hubPid());

        Map<String, Object> sent = alice.call("send_message", Map.of("target", "bob", "body", "hello from the laptop"));
        assertThat(sent).as(sent.toString()).containsEntry("ok", true);
        assertThat(messages(bob.call("read_my_messages", Map.of()))).extracting(m -> m.get("body")).containsExactly("hello from the laptop");

        CompletableFuture<Map<String, Object>> ask = CompletableFuture.supplyAsync(() ->
                alice.call("ask_peer", Map.of("target", "bob", "body", "what is 6 x 7?", "timeout_ms", 25_000)));
        Map<String, Object> question = await("bob's question").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> messages(bob.call("read_my_messages", Map.of())).stream().findFirst().orElse(null), Objects::nonNull);
        assertThat(question).containsEntry("body", "what is 6 x 7?");
        Map<String, Object> reply = bob.call("reply_to_message", Map.of("message_id", question.get("id"), "body", "42"));
        assertThat(reply).containsEntry("ok", true).containsEntry("correlation", "correlated");
        Map<String, Object> answered = ask.get(30, TimeUnit.SECONDS);
        assertThat(answered).as(answered.toString()).containsEntry("timed_out", false).containsEntry("request_id", question.get("request_id"));
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) answered.get("reply");
        assertThat(r).containsEntry("body", "42").containsEntry("id", reply.get("message_id"));
        assertThat(((Number) answered.get("waited_ms")).longValue()).as("woken by the commit, not the timeout").isLessThan(20_000);
        // handed over by the ask, so not again through read_my_messages
        assertThat(messages(alice.call("read_my_messages", Map.of()))).extracting(m -> m.get("id")).doesNotContain(reply.get("message_id"));
        // the rows are in the shared database, each written by its own machine's hub
        assertThat(PostgresServer.shared().query(db.database(), "SELECT body || '@' || machine FROM messages ORDER BY seq"))
                .containsExactly("hello from the laptop@laptop", "what is 6 x 7?@laptop", "42@devbox");
        // and bob, on the other machine, stays online for the laptop's hub (it judges only its own machine's agents)
        Map<String, Object> sessions = alice.call("list_project_sessions", Map.of());
        assertThat(sessions.toString()).contains("bob");

        // huddle log --follow on the laptop prints what the devbox's hub commits, woken by its notification
        Process follow = laptop.spawnCli(repo, "log", "--follow", "--json", "-n", "1");
        java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(follow.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String l; (l = in.readLine()) != null; ) lines.add(l);
            } catch (java.io.IOException ended) {
                // the process was destroyed
            }
        });
        try {
            assertThat(lines.poll(30, TimeUnit.SECONDS)).as("the last message, printed first").contains("\"42\"");
            assertThat(bob.call("send_message", Map.of("target", "alice", "body", "from the devbox"))).containsEntry("ok", true);
            String next = lines.poll(20, TimeUnit.SECONDS);
            assertThat(next).as("a message another machine's hub committed while following").isNotNull().contains("from the devbox");
        } finally {
            follow.descendants().forEach(ProcessHandle::destroyForcibly);
            follow.destroyForcibly();
            follow.waitFor(10, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(5));
        }
    }

    /** More machines than the other tests' two or three: each hub's commits reach all the others, none is missed or doubled. */
    @Test
    void fiveHubsSeeEachOthersAgentsAndABroadcastReachesEveryMachineOnce(TestHomes homes) throws Exception {
        PostgresTarget db = PostgresServer.newDatabase("five");
        List<String> names = List.of("m0", "m1", "m2", "m3", "m4");
        List<TestHome> machines = names.stream().map(n -> machine(homes, db, n)).toList();
        Path repo = machines.getFirst().newProject("repo");
        List<SimulatedAgent> agents = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            SimulatedAgent a = machines.get(i).agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
            assertThat(a.call("set_my_state", Map.of("name", "agent-" + names.get(i)))).containsEntry("ok", true);
            agents.add(a);
        }
        assertThat(machines.stream().map(TestHome::hubPid).distinct().count()).as("five hubs").isEqualTo(5);

        // every machine's agent sees all five, whichever hub it asks
        for (SimulatedAgent a : agents) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(a.call("list_project_sessions", Map.of()).toString())
                    .contains("agent-m0", "agent-m1", "agent-m2", "agent-m3", "agent-m4"));
        }

        assertThat(agents.getFirst().call("send_message", Map.of("target", "*", "body", "to every machine"))).containsEntry("ok", true);
        for (int i = 1; i < agents.size(); i++) {
            SimulatedAgent a = agents.get(i);
            assertThat(messages(a.call("read_my_messages", Map.of()))).as("on " + names.get(i)).extracting(m -> m.get("body"))
                    .containsExactly("to every machine");
            assertThat(messages(a.call("read_my_messages", Map.of()))).as("delivered once, on " + names.get(i)).isEmpty();
        }

        // an ask from the last machine to the second completes when that machine's hub commits the reply
        SimulatedAgent asker = agents.getLast();
        SimulatedAgent peer = agents.get(1);
        CompletableFuture<Map<String, Object>> ask = CompletableFuture.supplyAsync(() ->
                asker.call("ask_peer", Map.of("target", "agent-m1", "body", "ready?", "timeout_ms", 25_000)));
        Map<String, Object> question = await("the question on m1").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> messages(peer.call("read_my_messages", Map.of())).stream().findFirst().orElse(null), Objects::nonNull);
        assertThat(peer.call("reply_to_message", Map.of("message_id", question.get("id"), "body", "yes"))).containsEntry("ok", true);
        assertThat(ask.get(30, TimeUnit.SECONDS)).containsEntry("timed_out", false);
        assertThat(PostgresServer.shared().query(db.database(), "SELECT DISTINCT machine FROM agents ORDER BY machine"))
                .containsExactlyElementsOf(names);
    }

    @Test
    void aHubRefusesToStartWhenTheSharedStoreCannotBeReachedOrIsNewerAndSaysWhatToDo(TestHomes homes) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TestHome h = homes.create().withEnv("HUDDLE_STORE_URL", "postgresql://huddle@127.0.0.1:" + port + "/team")
                .withEnv("PGPASSWORD", "never-shown");
        TestHome.Result run = h.cli("hub", "run");
        assertThat(run.exit()).as("hub run: %s", run).isEqualTo(3);
        assertThat(run.stderr()).contains("refusing to start").contains("cannot reach PostgreSQL at 127.0.0.1:" + port + "/team")
                .contains("pg_isready -h 127.0.0.1 -p " + port).doesNotContain("never-shown");
        assertThat(h.home().resolve("huddle.db")).as("no local database made instead").doesNotExist();

        PostgresTarget db = PostgresServer.newDatabase("newer");
        dev.huddle.store.postgres.PostgresDatabase.open(db, null, "laptop").close(); // migrated by this huddle
        PostgresServer.shared().sql(db.database(), "INSERT INTO huddle_schema VALUES (999, 0, 'future')");
        TestHome.Result newer = machine(homes, db, "devbox").cli("hub", "run");
        assertThat(newer.exit()).as("hub run: %s", newer).isEqualTo(3);
        assertThat(newer.stderr()).contains("schema version 999").contains("Upgrade huddle");

        TestHome bad = homes.create().withEnv("HUDDLE_STORE_URL", "postgresql://huddle:hunter2@db/team");
        TestHome.Result refused = bad.cli("hub", "run");
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.stderr()).contains("passwords never go in the URL").doesNotContain("hunter2");
    }

    @Test
    void theHubsRideOutARestartOfTheDatabaseWithClearErrorsMeanwhileAndNothingLostOrDoubled(TestHomes homes) throws Exception {
        PostgresServer server = PostgresServer.startPrivate();
        try {
            PostgresTarget db = server.createDatabase("restart");
            TestHome laptop = machine(homes, db, "laptop");
            TestHome devbox = machine(homes, db, "devbox");
            Path repo = laptop.newProject("repo");
            SimulatedAgent alice = laptop.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
            SimulatedAgent bob = devbox.agent(repo, "claude-code", Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", UUID.randomUUID().toString()));
            assertThat(alice.call("set_my_state", Map.of("name", "alice"))).containsEntry("ok", true);
            assertThat(bob.call("set_my_state", Map.of("name", "bob"))).containsEntry("ok", true);
            assertThat(alice.call("send_message", Map.of("target", "bob", "body", "before"))).containsEntry("ok", true);

            server.stop();
            Map<String, Object> during = alice.call("send_message", Map.of("target", "bob", "body", "during"));
            assertThat(during).as(during.toString()).containsEntry("ok", false);
            assertThat(during.toString()).contains("store-degraded").contains("cannot reach PostgreSQL");
            TestHome.Result doctor = laptop.cli(repo, "doctor");
            assertThat(doctor.stdout() + doctor.stderr()).as(doctor.toString()).contains("storage degraded").contains("pg_isready");
            server.restart();

            // the hubs reconnect by themselves: the next calls go through, on both machines
            Map<String, Object> after = await("a send after the restart").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> alice.call("send_message", Map.of("target", "bob", "body", "after")), r -> Boolean.TRUE.equals(r.get("ok")));
            assertThat(after).containsEntry("ok", true);
            assertThat(messages(bob.call("read_my_messages", Map.of()))).extracting(m -> m.get("body")).containsExactly("before", "after");
            // and the laptop's hub listens again: an ask waiting there completes when the devbox's hub commits the reply
            CompletableFuture<Map<String, Object>> ask = CompletableFuture.supplyAsync(() ->
                    alice.call("ask_peer", Map.of("target", "bob", "body", "still there?", "timeout_ms", 25_000)));
            Map<String, Object> question = await("bob's question").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> messages(bob.call("read_my_messages", Map.of())).stream().findFirst().orElse(null), Objects::nonNull);
            bob.call("reply_to_message", Map.of("message_id", question.get("id"), "body", "yes"));
            Map<String, Object> answered = ask.get(30, TimeUnit.SECONDS);
            assertThat(answered).as(answered.toString()).containsEntry("timed_out", false);
            assertThat(server.query(db.database(), "SELECT body FROM messages ORDER BY seq"))
                    .as("stored once each; the refused one not at all").containsExactly("before", "after", "still there?", "yes");
        } finally {
            server.stopQuietly();
        }
    }
}
