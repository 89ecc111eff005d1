package dev.huddle.store.postgres;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.core.messaging.Message;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.StoreException;
import dev.huddle.store.StoreHealth;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PostgreSQL store's own behaviour on a real server: migrations, machines, other hubs' commits, a lost server. */
class PostgresDatabaseIT {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    static Agent agent(String id, String name) {
        return Agent.create(id, id, BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(10, 1), T0).withState("p", name, T0);
    }

    static Message text(String id, String from, String to) {
        return new Message(0, id, "/r", from, Message.Origin.PEER, to, "hi " + id, null, null, null, false, null, T0, null, null, null, null, null);
    }

    @Test
    void migratesOnceRecordsTheVersionsAndReopens() {
        PostgresTarget t = PostgresServer.newDatabase("migrate");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop")) {
            assertThat(a.schemaVersion()).isEqualTo(PostgresDatabase.latestSchemaVersion());
            new PostgresAgentStore(a).save(agent("s1", "one"));
        }
        try (PostgresDatabase b = PostgresDatabase.open(t, null, "devbox")) {
            assertThat(new PostgresAgentStore(b).find("s1")).isPresent();
            List<String> applied = b.read(c -> {
                try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT version, machine FROM huddle_schema ORDER BY version")) {
                    List<String> out = new java.util.ArrayList<>();
                    while (rs.next()) out.add(rs.getInt(1) + "@" + rs.getString(2));
                    return out;
                }
            });
            assertThat(applied).hasSize(PostgresDatabase.latestSchemaVersion()).allMatch(v -> v.endsWith("@laptop"));
        }
    }

    @Test
    void aSchemaFromANewerHuddleIsRefusedSayingWhatToDo() {
        PostgresTarget t = PostgresServer.newDatabase("newer");
        PostgresDatabase.open(t, null, "m").close();
        PostgresServer.shared().sql(t.database(), "INSERT INTO huddle_schema VALUES (999, 0, 'future')");
        assertThatThrownBy(() -> PostgresDatabase.open(t, null, "m")).isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 999").hasMessageContaining("newer huddle")
                .satisfies(e -> assertThat(((StoreException) e).hint()).contains("Upgrade huddle").contains("npm install -g"));
    }

    @Test
    void anUnreachableServerIsAClearErrorNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PostgresTarget nowhere = PostgresTarget.parse("postgresql://huddle@127.0.0.1:" + port + "/team");
        assertThatThrownBy(() -> PostgresDatabase.open(nowhere, "secret-pw", "m")).isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot reach PostgreSQL at 127.0.0.1:" + port + "/team")
                .hasMessageNotContaining("secret-pw")
                .satisfies(e -> assertThat(((StoreException) e).hint()).contains("huddle doctor"));
    }

    @Test
    void aSessionLeftIdleInATransactionIsEndedByTheServerSoACutHubCannotHoldTheSharedLockForLong() {
        PostgresTarget t = PostgresServer.newDatabase("idle");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop")) {
            String timeout = a.read(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SHOW idle_in_transaction_session_timeout")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(timeout).isEqualTo(PostgresDatabase.IDLE_IN_TRANSACTION);
        }
    }

    @Test
    void everyRowRecordsTheMachineThatWroteIt() {
        PostgresTarget t = PostgresServer.newDatabase("machines");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresDatabase b = PostgresDatabase.open(t, null, "devbox")) {
            new PostgresAgentStore(a).save(agent("alice", "a"));
            new PostgresAgentStore(b).save(agent("bob", "b"));
            new PostgresMessageStore(b).insert(text("m1", "bob", "alice"));
            assertThat(machines(a, "SELECT agent_id || '@' || machine FROM agents ORDER BY agent_id")).containsExactly("alice@laptop", "bob@devbox");
            assertThat(machines(a, "SELECT id || '@' || machine FROM messages")).containsExactly("m1@devbox");
        }
    }

    @Test
    void anotherMachinesAgentIsSeenWithoutItsProcessPaneAndTranscriptAndItsHubAloneJudgesItsLiveness() {
        PostgresTarget t = PostgresServer.newDatabase("owners");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresDatabase b = PostgresDatabase.open(t, null, "devbox")) {
            var onLaptop = new PostgresAgentStore(a);
            var onDevbox = new PostgresAgentStore(b);
            Agent alice = agent("alice", "a").withTerminal(new dev.huddle.core.identity.TerminalLocation("tmux", "dev", "%1", "0", true))
                    .hooked("/home/u/.claude/t.jsonl", T0);
            onLaptop.save(alice);
            onLaptop.linkProcess(new AgentProcess(4242, 77), "alice", T0);
            assertThat(onLaptop.find("alice")).contains(alice);
            Agent seen = onDevbox.find("alice").orElseThrow();
            assertThat(seen.terminal()).isEqualTo(dev.huddle.core.identity.TerminalLocation.NONE);
            assertThat(seen.process()).isNull();
            assertThat(seen.transcriptPath()).isNull();
            assertThat(seen.name()).isEqualTo("a");
            assertThat(onDevbox.processesOf("alice")).isEmpty();
            assertThat(onDevbox.agentIdForProcess(new AgentProcess(4242, 77))).as("a pid of another machine").isEmpty();
            assertThat(onDevbox.listOnline()).isEmpty();
            assertThat(onLaptop.listOnline()).extracting(Agent::agentId).containsExactly("alice");
            onDevbox.save(seen.retired(T0.plusSeconds(5))); // another hub's save keeps what it was not shown
            Agent after = onLaptop.find("alice").orElseThrow();
            assertThat(after.retiredAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(after.terminal()).isEqualTo(alice.terminal());
            assertThat(after.process()).isEqualTo(alice.process());
            assertThat(after.transcriptPath()).isEqualTo(alice.transcriptPath());
        }
    }

    @Test
    void aHubLearnsOfAnotherHubsCommitWithoutPolling() throws Exception {
        PostgresTarget t = PostgresServer.newDatabase("notify");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresDatabase b = PostgresDatabase.open(t, null, "devbox")) {
            ChangeSignal seenByB = new ChangeSignal();
            b.onChange(seenByB::committed);
            new PostgresAgentStore(a).save(agent("alice", "a"));
            new PostgresAgentStore(a).save(agent("bob", "b"));
            var messagesB = new PostgresMessageStore(b);
            long before = seenByB.generation();
            assertThat(messagesB.undelivered("bob", Set.of(), 10)).isEmpty();
            new PostgresMessageStore(a).insert(text("m1", "alice", "bob")); // committed by hub A
            long deadline = System.currentTimeMillis() + 20_000;
            List<Message> got = List.of();
            long seen = before;
            while (got.isEmpty() && System.currentTimeMillis() < deadline) {
                seen = seenByB.awaitAfter(seen, deadline - System.currentTimeMillis());
                got = messagesB.undelivered("bob", Set.of(), 10);
            }
            assertThat(got).extracting(Message::id).containsExactly("m1");
            assertThat(seenByB.generation()).isGreaterThan(before);
        }
    }

    @Test
    void whatOtherHubsCommitIsToldApartFromTheHubsOwnCommits() throws Exception {
        PostgresTarget t = PostgresServer.newDatabase("otherhubs");
        try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresDatabase b = PostgresDatabase.open(t, null, "devbox")) {
            ChangeSignal everyCommit = new ChangeSignal();
            ChangeSignal otherHubs = new ChangeSignal();
            a.onChange(everyCommit::committed);
            a.onOtherHubsChange(otherHubs::committed);
            new PostgresAgentStore(a).save(agent("alice", "a")); // the hub's own commit: told at once, as every commit
            assertThat(everyCommit.generation()).isEqualTo(1);
            Thread.sleep(300); // its own notification would arrive meanwhile: it must not count as another hub's
            assertThat(otherHubs.generation()).isZero();
            new PostgresAgentStore(b).save(agent("bob", "b")); // another hub's
            assertThat(otherHubs.awaitAfter(0, 20_000)).isEqualTo(1);
            assertThat(everyCommit.generation()).isEqualTo(2);
            // told with the tables it wrote (its triggers' notifications), so a watcher of other tables need not look
            assertThat(otherHubs.touched(0, java.util.Set.of("agents"))).isTrue();
            assertThat(otherHubs.touched(0, java.util.Set.of("read_requests", "wakes"))).isFalse();
        }
    }

    @Test
    void aServerRestartDegradesTheStoreWhichHealsAndListensAgainByItself() throws Exception {
        PostgresServer server = PostgresServer.startPrivate();
        try {
            PostgresTarget t = server.createDatabase("restart");
            try (PostgresDatabase a = PostgresDatabase.open(t, null, "laptop"); PostgresDatabase b = PostgresDatabase.open(t, null, "devbox")) {
                ChangeSignal seenByB = new ChangeSignal();
                b.onChange(seenByB::committed);
                var agents = new PostgresAgentStore(a);
                agents.save(agent("alice", "a"));
                server.stop();
                assertThatThrownBy(() -> agents.save(agent("bob", "b"))).isInstanceOf(StoreException.class)
                        .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo("store-degraded"));
                assertThat(a.health().state()).isEqualTo(StoreHealth.State.DEGRADED);
                assertThat(a.health().reason()).contains("cannot reach PostgreSQL");
                server.restart();
                long seen = seenByB.generation();
                agents.save(agent("bob", "b")); // a fresh connection: nothing to retry by hand
                assertThat(a.health().ok()).isTrue();
                assertThat(agents.count()).isEqualTo(2);
                // B's listener reconnects (and says so once); a later commit of A reaches it too
                long deadline = System.currentTimeMillis() + 30_000;
                while (seenByB.generation() == seen && System.currentTimeMillis() < deadline) {
                    agents.save(agents.find("bob").orElseThrow().calledTool(T0.plusSeconds(1)));
                    seenByB.awaitAfter(seen, 2_000);
                }
                assertThat(seenByB.generation()).isGreaterThan(seen);
            }
        } finally {
            server.stopQuietly();
        }
    }

    private static List<String> machines(PostgresDatabase db, String sql) {
        return db.read(c -> {
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                List<String> out = new java.util.ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        });
    }
}
