package dev.huddle.store;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteStoreTest {
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    static Agent agent(String id, String project, String name) {
        return Agent.create(id, id.startsWith("p-") ? null : id, id.startsWith("p-") ? BindingSource.UNBOUND : BindingSource.ENV,
                ClientType.CLAUDE_CODE, project, project, new AgentProcess(10, 1), T0).withState("p", name, T0);
    }

    @Test
    void migratesAFreshDatabaseAndReopensIt(@TempDir Path tmp) {
        Path file = tmp.resolve("h.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertThat(db.schemaVersion()).isEqualTo(SqliteDatabase.latestSchemaVersion());
            assertThat(db.quickCheck()).isEqualTo("ok");
            new SqliteAgentStore(db).save(agent("s1", "/r", "a"));
        }
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertThat(new SqliteAgentStore(db).find("s1")).isPresent();
        }
    }

    @Test
    void aProcessIsFoundByAStartTimeReadASecondOffTheNearestFirst(@TempDir Path tmp) {
        // a hub restarted after the clock moved reads each agent's start time a second off (issue 16)
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            var store = new SqliteAgentStore(db);
            store.save(agent("p-1", "/r", "plain"));
            store.save(agent("s2", "/r", "other"));
            store.linkProcess(new AgentProcess(4242, 1_000_000), "p-1", T0);
            store.linkProcess(new AgentProcess(4242, 1_002_500), "s2", T0); // the pid reused later: another process
            assertThat(store.agentIdForProcess(new AgentProcess(4242, 1_001_000))).contains("p-1");
            assertThat(store.agentIdForProcess(new AgentProcess(4242, 999_000))).contains("p-1");
            assertThat(store.agentIdForProcess(new AgentProcess(4242, 1_002_000))).contains("s2");
            assertThat(store.agentIdForProcess(new AgentProcess(4242, 1_005_000))).isEmpty();
            assertThat(store.agentIdForProcess(new AgentProcess(4243, 1_000_000))).isEmpty();
        }
    }

    @Test
    void readSettingsOutliveSavesRenamesAndMerges(@TempDir Path tmp) {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            var store = new SqliteAgentStore(db);
            store.save(agent("p-1", "/r", null));
            assertThat(store.readable("p-1")).isTrue();
            assertThat(store.readEnv("p-1")).isEmpty();
            store.setReadable("p-1", false);
            store.setReadEnv("p-1", java.util.Map.of("HOME", "/home/u", "CODEX_HOME", "/home/u/.codex"));
            store.save(store.find("p-1").orElseThrow().calledTool(T0.plusSeconds(3))); // a save keeps them
            store.rename("p-1", "s1");
            assertThat(store.readable("s1")).isFalse();
            assertThat(store.readEnv("s1")).containsEntry("HOME", "/home/u").containsEntry("CODEX_HOME", "/home/u/.codex");
            store.save(agent("p-2", "/r", null));
            store.mergeInto("s1", "p-2"); // merged away: the opt-out and the environment go with it
            assertThat(store.readable("p-2")).isFalse();
            assertThat(store.readEnv("p-2")).containsEntry("HOME", "/home/u");
            store.setReadable("p-2", true);
            store.setReadEnv("p-2", java.util.Map.of());
            assertThat(store.readable("p-2")).isTrue();
            assertThat(store.readEnv("p-2")).isEmpty();
            assertThat(store.readable("nobody")).isTrue();
        }
    }

    @Test
    void roundTripsEveryColumn(@TempDir Path tmp) {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            var store = new SqliteAgentStore(db);
            Agent a = agent("s1", "/r", "alpha").withTerminal(new dev.huddle.core.identity.TerminalLocation("tmux", "dev", "%1", "0", true))
                    .withClient(ClientType.CODEX, "codex-mcp-client", "0.150").calledTool(T0.plusSeconds(5));
            store.save(a);
            assertThat(store.find("s1")).contains(a);
            Agent off = a.wentOffline(T0.plusSeconds(9));
            store.save(off);
            assertThat(store.find("s1")).contains(off);
            assertThat(store.listOnline()).isEmpty();
        }
    }

    @Test
    void namesAreUniquePerProjectCaseInsensitively(@TempDir Path tmp) {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            var store = new SqliteAgentStore(db);
            store.save(agent("s1", "/r", "Alpha"));
            store.save(agent("s2", "/other", "alpha"));
            assertThatThrownBy(() -> store.save(agent("s3", "/r", "alpha"))).isInstanceOf(StoreException.class);
            assertThat(store.findByName("/r", "ALPHA")).map(Agent::agentId).contains("s1");
            store.save(store.find("s1").orElseThrow().retired(T0));
            store.save(agent("s3", "/r", "alpha"));
            assertThat(store.findByName("/r", "alpha")).map(Agent::agentId).contains("s3");
        }
    }

    @Test
    void renameCarriesProcessesAndMergeMovesThem(@TempDir Path tmp) {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            var store = new SqliteAgentStore(db);
            store.save(agent("p-1", "/r", null));
            AgentProcess proc = new AgentProcess(42, 7);
            store.linkProcess(proc, "p-1", T0);
            db.inTransaction(() -> store.rename("p-1", "real"));
            assertThat(store.agentIdForProcess(proc)).contains("real");
            store.save(agent("p-2", "/r", null));
            store.linkProcess(new AgentProcess(43, 7), "p-2", T0);
            store.mergeInto("p-2", "real");
            assertThat(store.find("p-2")).isEmpty();
            assertThat(store.processesOf("real")).hasSize(2);
        }
    }

    @Test
    void aFailedTransactionLeavesNothingBehind(@TempDir Path tmp) {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            var store = new SqliteAgentStore(db);
            assertThatThrownBy(() -> db.inTransaction(() -> {
                store.save(agent("s1", "/r", "x"));
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(store.count()).isZero();
        }
    }

    @Test
    void aCorruptFileIsRefusedAndLeftUntouched(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("h.db");
        byte[] garbage = "this is not a database, it is a text file that happens to be here\n".repeat(100).getBytes();
        Files.write(file, garbage);
        assertThatThrownBy(() -> SqliteDatabase.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("corrupt").hasMessageContaining("huddle hub recover");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    @Test
    void aDatabaseFromANewerHuddleIsRefused(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("h.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 999");
        }
        assertThatThrownBy(() -> SqliteDatabase.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("newer huddle");
    }

    @Test
    void anUnreadableFileIsRefused(@TempDir Path tmp) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            // root reads everything; permissions cannot make a file unreadable for it
            return;
        }
        Path file = tmp.resolve("h.db");
        SqliteDatabase.open(file).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> SqliteDatabase.open(file)).isInstanceOf(StoreException.class).hasMessageContaining("not readable");
    }

    private static dev.huddle.core.messaging.Message message(String id, String from, String to, String requestId, String replyTo,
                                                   boolean actionRequired, long atS) {
        return new dev.huddle.core.messaging.Message(0, id, "/r", from, dev.huddle.core.messaging.Message.Origin.PEER, to, "body " + id, requestId,
                replyTo, null, actionRequired, null, T0.plusSeconds(atS), null, null,
                actionRequired ? dev.huddle.core.messaging.Message.ObligationState.OPEN : null, null, null);
    }

    @Test
    void theWakeTimersFindOpenUndeliveredRequestsAndAnsweredAsksWithUnreadReplies(@TempDir Path tmp) {
        try (SqliteDatabase db = SqliteDatabase.open(tmp.resolve("h.db"))) {
            var agents = new SqliteAgentStore(db);
            agents.save(agent("alice", "/r", "a"));
            agents.save(agent("bob", "/r", "b"));
            var store = new dev.huddle.store.sqlite.SqliteMessageStore(db);
            // asks: pending and undelivered (a candidate), pending but delivered, answered
            store.insert(message("aaaaaaaaaaaaaaa1", "alice", "bob", "r1", null, false, 10));
            store.insertAsk(new dev.huddle.core.messaging.Ask("r1", "aaaaaaaaaaaaaaa1", "alice", "bob", T0.plusSeconds(10), dev.huddle.core.messaging.Ask.State.PENDING, null, null));
            store.insert(message("aaaaaaaaaaaaaaa2", "alice", "bob", "r2", null, false, 11));
            store.insertAsk(new dev.huddle.core.messaging.Ask("r2", "aaaaaaaaaaaaaaa2", "alice", "bob", T0.plusSeconds(11), dev.huddle.core.messaging.Ask.State.PENDING, null, null));
            store.markDelivered(java.util.List.of("aaaaaaaaaaaaaaa2"), T0.plusSeconds(12), dev.huddle.core.messaging.Message.DeliveryVia.TOOL);
            store.insert(message("aaaaaaaaaaaaaaa3", "alice", "bob", "r3", null, false, 13));
            store.insertAsk(new dev.huddle.core.messaging.Ask("r3", "aaaaaaaaaaaaaaa3", "alice", "bob", T0.plusSeconds(13), dev.huddle.core.messaging.Ask.State.PENDING, null, null));
            store.insert(message("bbbbbbbbbbbbbbb3", "bob", "alice", null, "r3", false, 20));
            store.markAskAnswered("r3", "bbbbbbbbbbbbbbb3", T0.plusSeconds(20));
            // obligations: open and undelivered (a candidate), closed, and a plain message (never a candidate)
            store.insert(message("ccccccccccccccc1", "alice", "bob", null, null, true, 30));
            store.insert(message("ccccccccccccccc2", "alice", "bob", null, null, true, 31));
            store.closeObligation("ccccccccccccccc2", dev.huddle.core.messaging.Message.ObligationState.DONE, T0.plusSeconds(32), null);
            store.insert(message("ddddddddddddddd1", "alice", "bob", null, null, false, 33));

            assertThat(store.undeliveredOpenRequests(T0)).extracting(dev.huddle.core.messaging.Message::id)
                    .containsExactly("aaaaaaaaaaaaaaa1", "ccccccccccccccc1");
            assertThat(store.undeliveredOpenRequests(T0.plusSeconds(11))).extracting(dev.huddle.core.messaging.Message::id).containsExactly("ccccccccccccccc1");

            // huddle status: pending asks, open obligations, unread per recipient; another project sees none of them
            assertThat(store.pendingAsks("/r")).extracting(dev.huddle.core.messaging.Ask::requestId).containsExactly("r1", "r2");
            assertThat(store.pendingAsks(null)).hasSize(2);
            assertThat(store.pendingAsks("/other")).isEmpty();
            assertThat(store.openObligationsIn("/r")).extracting(dev.huddle.core.messaging.Message::id).containsExactly("ccccccccccccccc1");
            assertThat(store.openObligationsIn("/other")).isEmpty();
            assertThat(store.unreadByRecipient("/r")).containsExactly(
                    new MessageStore.Unread("alice", 1, T0.plusSeconds(20)), new MessageStore.Unread("bob", 5, T0.plusSeconds(10)));
            assertThat(store.unreadByRecipient("/other")).isEmpty();

            var answered = store.answeredWithUnreadReply(T0);
            assertThat(answered).hasSize(1);
            assertThat(answered.getFirst().ask().requestId()).isEqualTo("r3");
            assertThat(answered.getFirst().ask().answeredAt()).isEqualTo(T0.plusSeconds(20));
            assertThat(answered.getFirst().ask().createdAt()).isEqualTo(T0.plusSeconds(13));
            assertThat(answered.getFirst().reply().id()).isEqualTo("bbbbbbbbbbbbbbb3");
            assertThat(answered.getFirst().reply().createdAt()).as("the message's own columns, not the ask's").isEqualTo(T0.plusSeconds(20));
            assertThat(answered.getFirst().reply().replyTo()).isEqualTo("r3");
            assertThat(store.answeredWithUnreadReply(T0.plusSeconds(21))).isEmpty();
            store.markDelivered(java.util.List.of("bbbbbbbbbbbbbbb3"), T0.plusSeconds(25), dev.huddle.core.messaging.Message.DeliveryVia.HOOK);
            assertThat(store.answeredWithUnreadReply(T0)).as("read: nothing to pull back").isEmpty();
        }
    }
}
