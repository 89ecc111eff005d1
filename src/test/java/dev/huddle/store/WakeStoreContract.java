package dev.huddle.store;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link WakeStore} does, whichever database holds it. */
public abstract class WakeStoreContract {
    protected Stores stores;
    WakeStore wakes;
    AgentStore agents;
    final Instant t0 = Instant.parse("2026-11-21T10:00:00Z");

    /** The stores on a fresh, empty database. */
    protected abstract Stores open();

    @BeforeEach
    void openStores() {
        stores = open();
        wakes = stores.wakes();
        agents = stores.agents();
        agents.save(Agent.create("bob", "bob", BindingSource.ENV, ClientType.CODEX, "/r", "/r", new AgentProcess(2, 1), t0));
        agents.save(Agent.create("p-1", null, BindingSource.UNBOUND, ClientType.CODEX, "/r", "/r", new AgentProcess(3, 1), t0));
    }

    @AfterEach
    void closeStores() {
        stores.close();
    }

    private WakeRecord rec(String msg, String target, String replyTo, String route, String status, long atS, Long ms) {
        return new WakeRecord(0, msg, target, replyTo, "codex", route, status, "because", 1, t0.plusSeconds(atS), ms);
    }

    @Test
    void firedStatusesCountForHistoryAndSkipsDoNot() {
        wakes.record(rec("m1", "bob", null, null, "skipped_busy", 1, null));
        assertThat(wakes.lastFiredAt("bob")).isEmpty();
        wakes.record(rec("m2", "bob", "r1", null, "will_fire", 5, null));
        wakes.record(rec("m2", "bob", "r1", "tmux", "fired", 5, 420L));
        wakes.record(rec("m3", "bob", null, null, "will_fire", 9, null));
        wakes.record(rec("m3", "bob", null, "tmux", "fired_unconfirmed", 9, 610L));
        assertThat(wakes.lastFiredAt("bob")).contains(t0.plusSeconds(9));
        assertThat(wakes.firedSince("bob", t0.plusSeconds(6))).isEqualTo(1);
        assertThat(wakes.firedSince("bob", t0)).isEqualTo(2);
        assertThat(wakes.firedForReply("bob", "r1")).isTrue();
        assertThat(wakes.firedForReply("bob", "r2")).isFalse();
        assertThat(wakes.latestFor("m2").orElseThrow().durationMs()).isEqualTo(420L);
        assertThat(wakes.since(t0, 10)).extracting(WakeRecord::messageId).containsExactly("m3", "m3", "m2", "m2", "m1");
    }

    @Test
    void summaryGroupsByRouteClientAndStatus() {
        wakes.record(rec("m1", "bob", null, "tmux", "fired", 1, 400L));
        wakes.record(rec("m2", "bob", null, "tmux", "fired", 2, 600L));
        wakes.record(rec("m3", "bob", null, null, "skipped_busy", 3, null));
        assertThat(wakes.summary(t0)).containsExactlyInAnyOrder(
                new WakeStore.SummaryRow("tmux", "codex", "fired", 2, 500.0, 600L),
                new WakeStore.SummaryRow(null, "codex", "skipped_busy", 1, null, null));
    }

    @Test
    void wakesFollowAMergedOrRenamedAgent() {
        wakes.record(rec("m1", "p-1", null, null, "will_fire", 1, null));
        agents.mergeInto("p-1", "bob");
        assertThat(wakes.lastFiredAt("bob")).contains(t0.plusSeconds(1));
        agents.rename("bob", "bob-2");
        assertThat(wakes.lastFiredAt("bob-2")).contains(t0.plusSeconds(1));
    }

    @Test
    void theTimersReadAMessagesRowsInOrderWithTheirKindAndTheRecentlyWokenMessages() {
        wakes.record(new WakeRecord(0, "m1", "bob", null, "codex", null, "will_fire", "r", 1, t0.plusSeconds(1), null, "operator"));
        wakes.record(new WakeRecord(0, "m1", "bob", null, "codex", "tmux", "fired", "r", 1, t0.plusSeconds(2), 300L, "operator"));
        wakes.record(new WakeRecord(0, "m1", "bob", null, "codex", null, "will_fire", "r", 2, t0.plusSeconds(8), null, "retry"));
        wakes.record(rec("m2", "bob", null, null, "skipped_busy", 30, null));
        wakes.record(rec("m3", "bob", null, null, "will_fire", 40, null));
        assertThat(wakes.forMessage("m1")).extracting(WakeRecord::status, WakeRecord::attempt, WakeRecord::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("will_fire", 1, "operator"), org.assertj.core.groups.Tuple.tuple("fired", 1, "operator"),
                org.assertj.core.groups.Tuple.tuple("will_fire", 2, "retry"));
        assertThat(wakes.forMessage("m3").getFirst().kind()).as("no kind given").isNull();
        assertThat(wakes.messagesWokenSince(t0)).containsExactlyInAnyOrder("m1", "m3");
        assertThat(wakes.messagesWokenSince(t0.plusSeconds(9))).containsExactly("m3");
        assertThat(wakes.messagesWokenSince(t0.plusSeconds(41))).isEmpty();
    }
}
