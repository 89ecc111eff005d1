package dev.huddle.store;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link AgentStore} (and its {@link Transactor}) does, whichever database holds it. */
public abstract class AgentStoreContract {
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    protected Stores stores;
    protected AgentStore store;

    /** The stores on a fresh, empty database. */
    protected abstract Stores open();

    @BeforeEach
    void openStores() {
        stores = open();
        store = stores.agents();
    }

    @AfterEach
    void closeStores() {
        stores.close();
    }

    static Agent agent(String id, String project, String name) {
        return Agent.create(id, id.startsWith("p-") ? null : id, id.startsWith("p-") ? BindingSource.UNBOUND : BindingSource.ENV,
                ClientType.CLAUDE_CODE, project, project, new AgentProcess(10, 1), T0).withState("p", name, T0);
    }

    @Test
    void aProcessIsFoundByAStartTimeReadASecondOffTheNearestFirst() {
        // a hub restarted after the clock moved reads each agent's start time a second off (issue 16)
        store.save(agent("p-1", "/r", "plain"));
        store.save(agent("s2", "/r", "other"));
        store.linkProcess(new AgentProcess(4242, 1_000_000), "p-1", T0);
        store.linkProcess(new AgentProcess(4242, 1_002_500), "s2", T0); // the pid reused later: another process
        assertThat(store.agentIdForProcess(new AgentProcess(4242, 1_001_000))).contains("p-1");
        assertThat(store.agentIdForProcess(new AgentProcess(4242, 999_000))).contains("p-1");
        assertThat(store.agentIdForProcess(new AgentProcess(4242, 1_002_000))).contains("s2");
        assertThat(store.agentIdForProcess(new AgentProcess(4242, 1_005_000))).isEmpty();
        assertThat(store.agentIdForProcess(new AgentProcess(4243, 1_000_000))).isEmpty();
        store.linkProcess(new AgentProcess(4242, 1_000_000), "s2", T0.plusSeconds(1)); // moved to another agent
        assertThat(store.agentIdForProcess(new AgentProcess(4242, 1_000_000))).contains("s2");
        assertThat(store.processesOf("s2")).hasSize(2);
        assertThat(store.processesOf("p-1")).isEmpty();
    }

    @Test
    void readSettingsOutliveSavesRenamesAndMerges() {
        store.save(agent("p-1", "/r", null));
        assertThat(store.readable("p-1")).isTrue();
        assertThat(store.readEnv("p-1")).isEmpty();
        store.setReadable("p-1", false);
        store.setReadEnv("p-1", Map.of("HOME", "/home/u", "CODEX_HOME", "/home/u/.codex"));
        store.save(store.find("p-1").orElseThrow().calledTool(T0.plusSeconds(3))); // a save keeps them
        store.rename("p-1", "s1");
        assertThat(store.readable("s1")).isFalse();
        assertThat(store.readEnv("s1")).containsEntry("HOME", "/home/u").containsEntry("CODEX_HOME", "/home/u/.codex");
        store.save(agent("p-2", "/r", null));
        store.mergeInto("s1", "p-2"); // merged away: the opt-out and the environment go with it
        assertThat(store.readable("p-2")).isFalse();
        assertThat(store.readEnv("p-2")).containsEntry("HOME", "/home/u");
        store.setReadable("p-2", true);
        store.setReadEnv("p-2", Map.of());
        assertThat(store.readable("p-2")).isTrue();
        assertThat(store.readEnv("p-2")).isEmpty();
        assertThat(store.readable("nobody")).isTrue();
    }

    @Test
    void roundTripsEveryColumn() {
        Agent a = agent("s1", "/r", "alpha").withTerminal(new dev.huddle.core.identity.TerminalLocation("tmux", "dev", "%1", "0", true))
                .withClient(ClientType.CODEX, "codex-mcp-client", "0.150").calledTool(T0.plusSeconds(5));
        store.save(a);
        assertThat(store.find("s1")).contains(a);
        assertThat(store.findBySessionId("s1")).contains(a);
        Agent off = a.wentOffline(T0.plusSeconds(9));
        store.save(off);
        assertThat(store.find("s1")).contains(off);
        assertThat(store.listOnline()).isEmpty();
        assertThat(store.count()).isEqualTo(1);
    }

    @Test
    void listsInProjectThenCreationOrderAndLeavesRetiredOut() {
        store.save(agent("s2", "/r", "b"));
        store.save(agent("s1", "/r", "a"));
        store.save(agent("s3", "/a", "c"));
        store.save(store.find("s2").orElseThrow().retired(T0.plusSeconds(1)));
        assertThat(store.listAll(false)).extracting(Agent::agentId).containsExactly("s3", "s1");
        assertThat(store.listAll(true)).extracting(Agent::agentId).containsExactly("s3", "s1", "s2");
        assertThat(store.listProject("/r", false)).extracting(Agent::agentId).containsExactly("s1");
        assertThat(store.listProject("/r", true)).extracting(Agent::agentId).containsExactly("s1", "s2");
    }

    @Test
    void namesAreUniquePerProjectCaseInsensitively() {
        store.save(agent("s1", "/r", "Alpha"));
        store.save(agent("s2", "/other", "alpha"));
        assertThatThrownBy(() -> store.save(agent("s3", "/r", "alpha"))).isInstanceOf(StoreException.class);
        assertThat(store.findByName("/r", "ALPHA")).map(Agent::agentId).contains("s1");
        store.save(store.find("s1").orElseThrow().retired(T0));
        store.save(agent("s3", "/r", "alpha"));
        assertThat(store.findByName("/r", "alpha")).map(Agent::agentId).contains("s3");
    }

    @Test
    void renameCarriesProcessesAndMergeMovesThem() {
        store.save(agent("p-1", "/r", null));
        AgentProcess proc = new AgentProcess(42, 7);
        store.linkProcess(proc, "p-1", T0);
        stores.tx().inTransaction(() -> store.rename("p-1", "real"));
        assertThat(store.agentIdForProcess(proc)).contains("real");
        store.save(agent("p-2", "/r", null));
        store.linkProcess(new AgentProcess(43, 7), "p-2", T0);
        store.mergeInto("p-2", "real");
        assertThat(store.find("p-2")).isEmpty();
        assertThat(store.processesOf("real")).hasSize(2);
    }

    @Test
    void aFailedTransactionLeavesNothingBehind() {
        assertThatThrownBy(() -> stores.tx().inTransaction(() -> {
            store.save(agent("s1", "/r", "x"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(store.count()).isZero();
    }

    @Test
    void nestedTransactionsJoinTheOuterOneAndSeeItsWrites() {
        assertThatThrownBy(() -> stores.tx().inTransaction(() -> {
            store.save(agent("s1", "/r", "x"));
            stores.tx().inTransaction(() -> {
                assertThat(store.find("s1")).as("the outer transaction's write").isPresent();
                store.save(agent("s2", "/r", "y"));
            });
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(store.count()).as("the inner one rolled back with the outer").isZero();
        stores.tx().inTransaction(() -> stores.tx().inTransaction(() -> store.save(agent("s3", "/r", "z"))));
        assertThat(store.find("s3")).isPresent();
    }

    @Test
    void aFailedStatementIsAStoreExceptionAndTheStoreServesOn() {
        store.save(agent("s1", "/r", "x"));
        assertThatThrownBy(() -> store.linkProcess(new AgentProcess(1, 1), "nobody", T0)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> stores.tx().inTransaction(() -> {
            store.save(agent("s2", "/r", "y"));
            store.save(agent("s3", "/r", "X")); // the name is taken: the transaction fails as a whole
        })).isInstanceOf(StoreException.class);
        assertThat(store.find("s2")).isEmpty();
        store.save(agent("s4", "/r", "z"));
        assertThat(store.count()).isEqualTo(2);
    }
}
