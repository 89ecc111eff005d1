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

    private void message(String id, String to) {
        stores.messages().insert(new dev.huddle.core.messaging.Message(0, id, "/r", null, dev.huddle.core.messaging.Message.Origin.OPERATOR,
                to, "body", null, null, null, false, null, t0, null, null, null, null, null));
    }

    private WakeRecord kind(String msg, String target, String status, long atS, String kind) {
        return new WakeRecord(0, msg, target, null, "codex", null, status, "because", 1, t0.plusSeconds(atS), null, kind);
    }

    @Test
    void aWakeWithNoRouteIsOwedWhileItIsItsMessagesLatestRowAndTheMessageUnread() {
        message("m1", "bob");
        message("m2", "bob");
        wakes.record(kind("m1", "bob", "will_fire", 1, "send"));
        wakes.record(kind("m1", "bob", "skipped_no_route", 1, "send"));
        wakes.record(kind("m2", "bob", "will_fire", 2, "send"));
        wakes.record(kind("m2", "bob", "skipped_no_route", 2, "send"));
        assertThat(wakes.missedForNoRoute("bob", t0)).map(WakeRecord::messageId).as("the newest").contains("m2");
        assertThat(wakes.missedForNoRoute("bob", t0.plusSeconds(3))).as("too old").isEmpty();
        wakes.record(kind("m2", "bob", "fired", 4, "retry")); // superseded by a later row of its message
        assertThat(wakes.missedForNoRoute("bob", t0)).map(WakeRecord::messageId).contains("m1");
        stores.messages().markDelivered(java.util.List.of("m1"), t0.plusSeconds(5), dev.huddle.core.messaging.Message.DeliveryVia.TOOL);
        assertThat(wakes.missedForNoRoute("bob", t0)).as("read meanwhile: nothing owed").isEmpty();
        assertThat(wakes.missedForNoRoute("p-1", t0)).isEmpty();
    }

    @Test
    void deferredWakesAreEachTargetsNewestRefusalUntilAWakeOrAReadCoversIt() {
        message("m1", "bob");
        message("m2", "bob");
        message("m3", "p-1");
        message("m4", "p-1");
        wakes.record(kind("m1", "bob", "skipped_debounced", 1, "send"));
        wakes.record(kind("m2", "bob", "skipped_rate_limited", 2, "send"));
        wakes.record(kind("m3", "p-1", "skipped_debounced", 3, "retry")); // a timer's own wake: not deferred
        wakes.record(kind("m4", "p-1", "skipped_debounced", 4, null)); // no kind: unknown, not deferred either
        assertThat(wakes.deferrable(t0)).extracting(WakeRecord::messageId).containsExactly("m2");
        assertThat(wakes.deferrable(t0.plusSeconds(3))).as("too old").isEmpty();
        wakes.record(kind("m9", "bob", "will_fire", 5, "send")); // a wake of bob since: its pointer covers m2
        assertThat(wakes.deferrable(t0)).isEmpty();
        message("m5", "p-1");
        wakes.record(kind("m5", "p-1", "skipped_rate_limited", 6, "deferred"));
        assertThat(wakes.deferrable(t0)).extracting(WakeRecord::messageId).containsExactly("m5");
        stores.messages().markDelivered(java.util.List.of("m5"), t0.plusSeconds(7), dev.huddle.core.messaging.Message.DeliveryVia.HOOK);
        assertThat(wakes.deferrable(t0)).isEmpty();
        assertThat(wakes.firedAtSince("bob", t0)).containsExactly(t0.plusSeconds(5));
    }
}
