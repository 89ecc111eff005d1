package dev.huddle.store.postgres;

import dev.huddle.store.ReadRequestStore;
import dev.huddle.store.WakeRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.huddle.store.postgres.PostgresDatabaseIT.T0;
import static dev.huddle.store.postgres.PostgresDatabaseIT.agent;
import static dev.huddle.store.postgres.PostgresDatabaseIT.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The owning hub acting for its agents (V015) when every machine connects with its own role (V014): the laptop decides a
 * wake of the devbox's agent and asks to read it; the devbox's role takes the wake and answers the request; the role of
 * a third machine, the vault, can neither take, cancel nor answer them, nor tamper with the request or delete it.
 */
class OwningHubRolesIT {
    private PostgresTarget db;

    @BeforeEach
    void team() {
        db = PostgresServer.newDatabase("owningroles");
        PostgresDatabase.open(db, null, "admin").close(); // the owner migrates
        for (String machine : List.of("laptop", "devbox", "vault")) {
            PostgresServer.shared().sql("postgres", AdminSql.createRole(role(machine)));
            PostgresServer.shared().sql(db.database(), AdminSql.asOwner(db.database(), role(machine), machine).toArray(String[]::new));
        }
    }

    private String role(String machine) {
        return db.database() + "_" + machine;
    }

    private PostgresDatabase open(String machine) {
        return PostgresDatabase.open(PostgresTarget.parse("postgresql://" + role(machine) + "@127.0.0.1:" + PostgresServer.shared().port()
                + "/" + db.database()), null, machine);
    }

    /** Rows changed by {@code sql} run as the machine's role. */
    private int as(String machine, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PostgresTarget.parse("postgresql://" + role(machine) + "@127.0.0.1:"
                + PostgresServer.shared().port() + "/" + db.database()).jdbcUrl(), role(machine), "");
             Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        }
    }

    private List<String> query(String sql) {
        return PostgresServer.shared().query(db.database(), sql);
    }

    private static WakeRecord row(String messageId, String target, String status) {
        return new WakeRecord(0, messageId, target, null, "codex", null, status, "idle", 1, T0, null, "send");
    }

    @Test
    void theTargetsMachineTakesTheWakeAndAThirdMachineCanNeitherTakeNorCancelIt() throws Exception {
        try (PostgresDatabase laptop = open("laptop"); PostgresDatabase devbox = open("devbox"); PostgresDatabase vault = open("vault")) {
            assertThat(vault.role().restricted()).isTrue();
            new PostgresAgentStore(laptop).save(agent("alice", "a"));
            new PostgresAgentStore(devbox).save(agent("bob", "b"));
            new PostgresAgentStore(vault).save(agent("carol", "c"));
            new PostgresMessageStore(laptop).insert(text("m1", "alice", "bob"));
            new PostgresWakeStore(laptop).record(row("m1", "bob", "will_fire")); // the laptop decides, by the shared policy
            PostgresWakeStore onDevbox = new PostgresWakeStore(devbox);
            PostgresWakeStore onVault = new PostgresWakeStore(vault);
            long id = onDevbox.owedHere(T0.minusSeconds(1)).getFirst().id();

            assertThat(onVault.owedHere(T0.minusSeconds(1))).isEmpty();
            assertThat(onVault.take(id, T0.plusSeconds(1))).as("the vault takes another machine's wake").isFalse();
            assertThat(as("vault", "UPDATE wakes SET carried_at = 1 WHERE id = " + id)).as("row-level security hides it").isZero();
            // a row of the vault's own for that message and bob (as a route outcome would be) does not end what is owed
            onVault.record(row("m1", "bob", "fired"));
            assertThat(onDevbox.owedHere(T0.minusSeconds(1))).as("still owed to the devbox").extracting(WakeRecord::id).containsExactly(id);
            assertThat(query("SELECT count(*) FROM wakes WHERE id = " + id + " AND carried_at IS NULL")).containsExactly("1");

            assertThat(onDevbox.take(id, T0.plusSeconds(1))).isTrue();
            assertThat(query("SELECT carried_at FROM wakes WHERE id = " + id)).containsExactly(String.valueOf(T0.plusSeconds(1).toEpochMilli()));
            assertThat(onDevbox.owedHere(T0.minusSeconds(1))).isEmpty();
            // the devbox may mark it, not move it to another machine's agent nor rewrite whose decision it was
            assertThatThrownBy(() -> as("devbox", "UPDATE wakes SET target_id = 'carol' WHERE id = " + id)).hasMessageContaining("may not move wake");
            assertThatThrownBy(() -> as("devbox", "UPDATE wakes SET machine = 'devbox' WHERE id = " + id)).hasMessageContaining("may not move wake");
            // the devbox's route outcome ends it, as on one machine
            onDevbox.record(row("m1", "bob", "fired"));
            assertThat(query("SELECT status || '/' || machine FROM wakes WHERE message_id = 'm1' ORDER BY id"))
                    .containsExactly("will_fire/laptop", "fired/vault", "fired/devbox");
        }
    }

    @Test
    void aThirdMachineCannotMakeTheOwningHubNudgeAnAgentItSentNothing() throws Exception {
        try (PostgresDatabase laptop = open("laptop"); PostgresDatabase devbox = open("devbox"); PostgresDatabase vault = open("vault")) {
            new PostgresAgentStore(laptop).save(agent("alice", "a"));
            new PostgresAgentStore(devbox).save(agent("bob", "b"));
            new PostgresAgentStore(vault).save(agent("carol", "c"));
            new PostgresMessageStore(laptop).insert(text("m1", "alice", "bob"));
            PostgresWakeStore onDevbox = new PostgresWakeStore(devbox);
            PostgresWakeStore onVault = new PostgresWakeStore(vault);
            // the vault records a decision on the laptop's message (its role may record wake rows as itself)
            onVault.record(row("m1", "bob", "will_fire"));
            assertThat(query("SELECT count(*) FROM wakes WHERE machine = 'vault'")).containsExactly("1");
            assertThat(onDevbox.owedHere(T0.minusSeconds(1))).as("not the vault's message: nothing owed").isEmpty();
            // on a message of its own to bob, the vault's decision is owed as any other machine's
            new PostgresMessageStore(vault).insert(text("m2", "carol", "bob"));
            onVault.record(row("m2", "bob", "will_fire"));
            assertThat(onDevbox.owedHere(T0.minusSeconds(1))).extracting(WakeRecord::messageId).containsExactly("m2");
        }
    }

    @Test
    void onlyTheOwningMachineAnswersAReadRequestAndAThirdMachineCannotTamperWithIt() throws Exception {
        try (PostgresDatabase laptop = open("laptop"); PostgresDatabase devbox = open("devbox"); PostgresDatabase vault = open("vault")) {
            new PostgresAgentStore(laptop).save(agent("alice", "a"));
            new PostgresAgentStore(devbox).save(agent("bob", "b"));
            new PostgresAgentStore(vault).save(agent("carol", "c"));
            ReadRequestStore reader = new PostgresReadRequestStore(laptop);
            ReadRequestStore owner = new PostgresReadRequestStore(devbox);
            ReadRequestStore third = new PostgresReadRequestStore(vault);
            Instant now = Instant.now(); // the database's clock decides what has expired
            long id = reader.ask("alice", "bob", "devbox", "{\"limit\":2}", now, now.plusSeconds(20));

            // the vault sees the request (reads are the team's) but may not answer, rewrite, take over or delete it
            assertThat(third.pendingFor("devbox", now)).extracting(ReadRequestStore.ReadRequest::id).containsExactly(id);
            assertThat(third.answer(id, ReadRequestStore.ANSWERED, "{\"forged\":true}", now.plusSeconds(1))).isFalse();
            assertThat(as("vault", "UPDATE read_requests SET response = 'forged', status = 'answered' WHERE id = " + id)).isZero();
            assertThat(as("vault", "DELETE FROM read_requests WHERE id = " + id)).isZero();
            // nor ask as the laptop's agent, nor make a request the laptop's
            assertThatThrownBy(() -> third.ask("alice", "bob", "devbox", "{}", now, now.plusSeconds(20))).hasMessageContaining("row-level security");
            assertThatThrownBy(() -> as("vault", "INSERT INTO read_requests (requester_id, target_id, owner, params, created_at, expires_at, machine)"
                    + " VALUES (NULL, 'bob', 'devbox', '{}', 0, 99999999999999, 'laptop')")).hasMessageContaining("row-level security");
            // the requester may not answer its own request either
            assertThat(reader.answer(id, ReadRequestStore.ANSWERED, "{\"forged\":true}", now.plusSeconds(1))).isFalse();
            // and the owner may not hand it to the vault
            assertThatThrownBy(() -> as("devbox", "UPDATE read_requests SET owner = 'vault' WHERE id = " + id)).hasMessageContaining("may only answer read request");
            // nor rewrite who asked, what, or until when: it may only answer
            assertThatThrownBy(() -> as("devbox", "UPDATE read_requests SET requester_id = NULL, params = '{}' WHERE id = " + id))
                    .hasMessageContaining("may only answer read request");
            assertThatThrownBy(() -> as("devbox", "UPDATE read_requests SET expires_at = 0 WHERE id = " + id))
                    .hasMessageContaining("may only answer read request");
            assertThat(reader.find(id).orElseThrow().pending()).isTrue();

            assertThat(owner.answer(id, ReadRequestStore.ANSWERED, "{\"ok\":true}", now.plusSeconds(1))).isTrue();
            ReadRequestStore.ReadRequest answered = reader.find(id).orElseThrow();
            assertThat(answered.response()).isEqualTo("{\"ok\":true}");
            assertThat(answered.requesterId()).isEqualTo("alice");
            assertThat(as("vault", "DELETE FROM read_requests WHERE id = " + id)).as("answered, not expired: still not the vault's").isZero();
            reader.delete(id);
            assertThat(reader.find(id)).isEmpty();

            // an expired request may be swept by anyone (it holds nothing); a lifetime below 0 counts as 0 (V016)
            long stale = reader.ask(null, "bob", "devbox", "{}", now.minusSeconds(1), now.minusSeconds(2));
            assertThat(third.deleteExpired(now)).isEqualTo(1);
            assertThat(reader.find(stale)).isEmpty();
        }
    }

    @Test
    void aRequestersClockDoesNotDecideWhenItsReadRequestExpires() throws Exception {
        try (PostgresDatabase laptop = open("laptop"); PostgresDatabase devbox = open("devbox")) {
            new PostgresAgentStore(laptop).save(agent("alice", "a"));
            new PostgresAgentStore(devbox).save(agent("bob", "b"));
            ReadRequestStore reader = new PostgresReadRequestStore(laptop);
            long serverNow = Long.parseLong(query("SELECT (extract(epoch FROM now()) * 1000)::BIGINT").getFirst());

            // a laptop whose clock is an hour behind: its request is not past its expiry for the server, so the vault
            // (any machine may sweep an expired request) cannot delete it
            Instant behind = Instant.now().minus(Duration.ofHours(1));
            long id = reader.ask("alice", "bob", "devbox", "{}", behind, behind.plusSeconds(20));
            ReadRequestStore.ReadRequest r = reader.find(id).orElseThrow();
            assertThat(r.createdAt().toEpochMilli()).isBetween(serverNow, serverNow + 60_000);
            assertThat(Duration.between(r.createdAt(), r.expiresAt())).isEqualTo(Duration.ofSeconds(20));
            assertThat(as("vault", "DELETE FROM read_requests WHERE id = " + id)).isZero();

            // a clock a year ahead asking for a year: counted from the server's now, and at most 10 minutes
            Instant ahead = Instant.now().plus(Duration.ofDays(365));
            long far = reader.ask("alice", "bob", "devbox", "{}", ahead, ahead.plus(Duration.ofDays(365)));
            ReadRequestStore.ReadRequest f = reader.find(far).orElseThrow();
            assertThat(f.createdAt().toEpochMilli()).isBetween(serverNow, serverNow + 60_000);
            assertThat(Duration.between(f.createdAt(), f.expiresAt())).isEqualTo(Duration.ofMinutes(10));
        }
    }

    @Test
    void anOwnersClockDoesNotDecideWhichReadRequestsItStillAnswers() throws Exception {
        try (PostgresDatabase laptop = open("laptop"); PostgresDatabase devbox = open("devbox")) {
            new PostgresAgentStore(laptop).save(agent("alice", "a"));
            new PostgresAgentStore(devbox).save(agent("bob", "b"));
            ReadRequestStore reader = new PostgresReadRequestStore(laptop);
            ReadRequestStore owner = new PostgresReadRequestStore(devbox);
            Instant now = Instant.now();
            long live = reader.ask("alice", "bob", "devbox", "{}", now, now.plusSeconds(20));
            long brief = reader.ask("alice", "bob", "devbox", "{}", now, now.plusMillis(300));
            awaitExpiredByTheServer(brief);

            // a devbox whose clock is an hour ahead: by its own clock both have expired, by the server's the first has not;
            // it still finds and answers that one, and its sweep leaves it alone
            Instant ahead = Instant.now().plus(Duration.ofHours(1));
            assertThat(owner.pendingFor("devbox", ahead)).extracting(ReadRequestStore.ReadRequest::id).containsExactly(live);
            assertThat(owner.deleteExpired(ahead)).as("only the expired one is swept").isEqualTo(1);
            assertThat(reader.find(live)).isPresent();
            assertThat(owner.answer(live, ReadRequestStore.ANSWERED, "{\"ok\":true}", ahead)).isTrue();
            ReadRequestStore.ReadRequest answered = reader.find(live).orElseThrow();
            assertThat(answered.answeredAt()).as("answered at the server's time").isBetween(answered.createdAt(), answered.expiresAt());

            // a devbox whose clock is an hour behind: by its own clock nothing has expired; by the server's the short
            // request has, and it neither finds it nor answers it, and its sweep deletes it
            long pending = reader.ask("alice", "bob", "devbox", "{}", now, Instant.now().plusSeconds(20));
            long expired = reader.ask("alice", "bob", "devbox", "{}", now, now.plusMillis(300));
            awaitExpiredByTheServer(expired);
            Instant behind = Instant.now().minus(Duration.ofHours(1));
            assertThat(owner.pendingFor("devbox", behind)).extracting(ReadRequestStore.ReadRequest::id).containsExactly(pending);
            assertThat(owner.answer(expired, ReadRequestStore.ANSWERED, "{\"late\":true}", behind)).as("expired: not answered").isFalse();
            assertThat(reader.find(expired).orElseThrow().pending()).isTrue();
            assertThat(owner.answer(pending, ReadRequestStore.ANSWERED, "{\"ok\":true}", behind)).isTrue();
            assertThat(owner.deleteExpired(behind)).as("the expired one is swept").isEqualTo(1);
            assertThat(reader.find(expired)).isEmpty();
            assertThat(reader.find(pending)).isPresent();
        }
    }

    /** Waits until read request {@code id} has expired by the database server's clock. */
    private void awaitExpiredByTheServer(long id) {
        await("read request " + id + " expired, by the server's clock").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> query("SELECT count(*) FROM read_requests WHERE id = " + id + " AND expires_at <= "
                        + PostgresAgentStore.SERVER_NOW_MS), n -> n.equals(List.of("1")));
    }
}
