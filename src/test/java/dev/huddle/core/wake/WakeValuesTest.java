package dev.huddle.core.wake;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wake value types: statuses, choices, requests, targets, settings, the ledger and decisions. */
class WakeValuesTest {
    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    static final WakeTarget BOB = new WakeTarget("bob", true, true, ClientType.CLAUDE_CODE, true, Activity.IDLE, NOW, false);

    // ---- WakeStatus ----

    @Test
    void statusWireNamesAreStableAndUnique() {
        assertThat(Arrays.stream(WakeStatus.values()).map(WakeStatus::wireName)).containsExactly(
                "will_fire", "skipped_off", "skipped_kill_switch", "skipped_strategy_off", "skipped_busy", "skipped_offline",
                "skipped_debounced", "skipped_rate_limited", "skipped_no_fresh_idle", "skipped_already_woken",
                "skipped_not_requested", "fired", "fired_unconfirmed", "confirmed", "gave_up", "skipped_no_route",
                "skipped_human_typing", "skipped_wrong_pane", "skipped_not_foreground", "failed");
        for (WakeStatus s : WakeStatus.values()) assertThat(WakeStatus.fromWireName(s.wireName())).isSameAs(s);
        assertThat(WakeStatus.fromWireName("disabled")).isNull();
        assertThat(WakeStatus.fromWireName(null)).isNull();
    }

    @Test
    void routesSetTheirStatusesAndFiresAreTheWakesThatWentOut() {
        assertThat(Arrays.stream(WakeStatus.values()).filter(WakeStatus::setByRoute)).containsExactly(
                WakeStatus.FIRED, WakeStatus.FIRED_UNCONFIRMED, WakeStatus.CONFIRMED, WakeStatus.GAVE_UP, WakeStatus.SKIPPED_NO_ROUTE,
                WakeStatus.SKIPPED_HUMAN_TYPING, WakeStatus.SKIPPED_WRONG_PANE, WakeStatus.SKIPPED_NOT_FOREGROUND, WakeStatus.FAILED);
        assertThat(Arrays.stream(WakeStatus.values()).filter(WakeStatus::fired)).containsExactly(
                WakeStatus.WILL_FIRE, WakeStatus.FIRED, WakeStatus.FIRED_UNCONFIRMED, WakeStatus.CONFIRMED);
    }

    @Test
    void aDecisionHoldsOnlyPolicyStatuses() {
        assertThat(new WakeDecision(WakeStatus.WILL_FIRE, WakeBasis.ASK_PEER, "x").fire()).isTrue();
        assertThat(new WakeDecision(WakeStatus.SKIPPED_BUSY, WakeBasis.ASK_PEER, "x").fire()).isFalse();
        assertThatThrownBy(() -> new WakeDecision(WakeStatus.FIRED, WakeBasis.ASK_PEER, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WakeDecision(null, null, "x")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new WakeDecision(WakeStatus.WILL_FIRE, null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void basesAndKindsHaveWireNames() {
        assertThat(Arrays.stream(WakeBasis.values()).filter(b -> !b.automatic()))
                .containsExactly(WakeBasis.EXPLICIT, WakeBasis.ASK_PEER, WakeBasis.RETRY, WakeBasis.DEFERRED);
        assertThat(WakeBasis.LATE_REPLY.wireName()).isEqualTo("late_reply_to_pending");
        assertThat(Arrays.stream(WakeKind.values()).map(WakeKind::wireName)).containsExactly(
                "send", "reply", "ask", "action_required", "outcome", "operator", "repoke", "pull_back", "retry", "deferred");
    }

    // ---- WakeChoice ----

    @Test
    void theWakeArgumentMapsToAChoice() {
        assertThat(WakeChoice.of(null)).isEqualTo(WakeChoice.UNSET);
        assertThat(WakeChoice.of("auto")).isEqualTo(WakeChoice.AUTO);
        assertThat(WakeChoice.of("off")).isEqualTo(WakeChoice.OFF);
        assertThatThrownBy(() -> WakeChoice.of("on")).isInstanceOf(HuddleError.class);
        assertThat(WakeChoice.UNSET.wireName()).isNull();
        assertThat(WakeChoice.AUTO.wireName()).isEqualTo("auto");
        assertThat(WakeChoice.OFF.wireName()).isEqualTo("off");
    }

    // ---- WakeRequest ----

    @Test
    void sendClassifiesByActionRequiredThenReplyTo() {
        assertThat(WakeRequest.send(BOB, null, null, false, false).kind()).isEqualTo(WakeKind.SEND);
        assertThat(WakeRequest.send(BOB, null, "r", false, true).kind()).isEqualTo(WakeKind.REPLY);
        assertThat(WakeRequest.send(BOB, null, "r", false, true).pendingTimedOutAsk()).isTrue();
        assertThat(WakeRequest.send(BOB, "off", "r", true, false).kind()).isEqualTo(WakeKind.ACTION_REQUIRED);
        assertThat(WakeRequest.send(BOB, "off", "r", true, false).replyTo()).isEqualTo("r");
        assertThat(WakeRequest.send(BOB, "off", "r", true, false).choice()).isEqualTo(WakeChoice.OFF);
    }

    @Test
    void factoriesFillKindAndChoice() {
        assertThat(WakeRequest.reply(BOB, "auto", "r", false)).isEqualTo(new WakeRequest(WakeKind.REPLY, BOB, WakeChoice.AUTO, "r", false));
        assertThat(WakeRequest.ask(BOB)).isEqualTo(new WakeRequest(WakeKind.ASK, BOB, WakeChoice.UNSET, null, false));
        assertThat(WakeRequest.outcome(BOB, null, "r")).isEqualTo(new WakeRequest(WakeKind.OUTCOME, BOB, WakeChoice.UNSET, "r", false));
        assertThat(WakeRequest.operator(BOB, "off")).isEqualTo(new WakeRequest(WakeKind.OPERATOR, BOB, WakeChoice.OFF, null, false));
        assertThat(WakeRequest.repoke(BOB).kind()).isEqualTo(WakeKind.REPOKE);
        assertThat(WakeRequest.pullBack(BOB, "r").replyTo()).isEqualTo("r");
        assertThat(WakeRequest.retry(BOB).kind()).isEqualTo(WakeKind.RETRY);
        assertThat(WakeRequest.deferred(BOB, "r")).isEqualTo(new WakeRequest(WakeKind.DEFERRED, BOB, WakeChoice.UNSET, "r", false));
        assertThat(new WakeRequest(WakeKind.SEND, BOB, null, null, false).choice()).isEqualTo(WakeChoice.UNSET);
    }

    @Test
    void malformedRequestsAreRefused() {
        assertThatThrownBy(() -> new WakeRequest(WakeKind.RETRY, BOB, WakeChoice.UNSET, "r", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WakeRequest(WakeKind.PULL_BACK, BOB, WakeChoice.UNSET, null, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WakeRequest(null, BOB, WakeChoice.UNSET, null, false)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new WakeRequest(WakeKind.SEND, null, WakeChoice.UNSET, null, false)).isInstanceOf(NullPointerException.class);
    }

    // ---- WakeTarget ----

    @Test
    void aTargetIsTheAgentRowSeenByThePolicy() {
        Agent a = Agent.create("11111111-aaaa-4000-8000-000000000001", "11111111-aaaa-4000-8000-000000000001",
                BindingSource.ENV, ClientType.CODEX, "/p", "/p", new AgentProcess(10, 1), NOW);
        WakeTarget t = WakeTarget.of(a, false);
        assertThat(t).isEqualTo(new WakeTarget(a.agentId(), true, true, ClientType.CODEX, false, Activity.UNKNOWN, null, false));
        Agent hooked = a.hooked(null, NOW).withActivity(Activity.BUSY, NOW);
        assertThat(WakeTarget.of(hooked, true)).isEqualTo(new WakeTarget(a.agentId(), true, true, ClientType.CODEX, true, Activity.BUSY, NOW, true));
        assertThat(WakeTarget.of(a.wentOffline(NOW), false).online()).isFalse();
        Agent unbound = Agent.create("p-1", null, BindingSource.UNBOUND, null, "/p", "/p", null, NOW);
        assertThat(WakeTarget.of(unbound, false).bound()).isFalse();
        assertThat(WakeTarget.of(unbound, false).client()).isEqualTo(ClientType.UNKNOWN);
    }

    @Test
    void targetDefaultsAndActivityAge() {
        WakeTarget t = new WakeTarget("x", true, true, null, false, null, null, false);
        assertThat(t.client()).isEqualTo(ClientType.UNKNOWN);
        assertThat(t.activity()).isEqualTo(Activity.UNKNOWN);
        assertThat(t.activityAge(NOW)).isNull();
        assertThatThrownBy(() -> new WakeTarget(null, true, true, null, false, null, null, false)).isInstanceOf(NullPointerException.class);
        WakeTarget at = new WakeTarget("x", true, true, null, true, Activity.IDLE, NOW, false);
        assertThat(at.activityAge(NOW.plusSeconds(3))).isEqualTo(Duration.ofSeconds(3));
        assertThat(at.activityAge(NOW.minusSeconds(3))).isEqualTo(Duration.ZERO);
    }

    // ---- WakeSettings ----

    @Test
    void theDefaultsAreTheDocumentedFigures() {
        WakeSettings s = WakeSettings.DEFAULTS;
        assertThat(s.killSwitch()).isNull();
        assertThat(s.strategy()).isEqualTo(WakeSettings.Strategy.AUTO);
        assertThat(List.of(s.busyTtl(), s.freshIdle(), s.debounce(), s.rateWindow(), s.replyDedupeWindow()))
                .containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofHours(24));
        assertThat(s.rateLimit()).isEqualTo(6);
        assertThat(List.of(s.retryFirstDelay(), s.repokeGrace(), s.repokeSpacing(), s.pullBackGrace(), s.pullBackMaxAge()))
                .containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(4), Duration.ofMinutes(4), Duration.ofSeconds(15), Duration.ofHours(1));
        assertThat(List.of(s.retryFactor(), s.maxRetries(), s.repokeCap())).containsExactly(3, 3, 3);
    }

    @Test
    void strategiesParseCaseInsensitively() {
        assertThat(WakeSettings.Strategy.fromWireName("auto")).isEqualTo(WakeSettings.Strategy.AUTO);
        assertThat(WakeSettings.Strategy.fromWireName(" OFF ")).isEqualTo(WakeSettings.Strategy.OFF);
        assertThat(WakeSettings.Strategy.fromWireName("legacy")).isNull();
        assertThat(WakeSettings.Strategy.fromWireName(null)).isNull();
        assertThat(WakeSettings.Strategy.OFF.wireName()).isEqualTo("off");
    }

    @Test
    void settingsRefuseNonsense() {
        WakeSettings d = WakeSettings.DEFAULTS;
        assertThatThrownBy(() -> d.withStrategy(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> d.withWindows(Duration.ofSeconds(-1), d.freshIdle(), d.debounce(), 6, d.rateWindow()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withWindows(null, d.freshIdle(), d.debounce(), 6, d.rateWindow())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> d.withWindows(d.busyTtl(), d.freshIdle(), d.debounce(), 0, d.rateWindow()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withTimers(d.retryFirstDelay(), 0, 3, d.repokeGrace(), d.repokeSpacing(), 3, d.pullBackGrace(), d.pullBackMaxAge()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withTimers(d.retryFirstDelay(), 3, -1, d.repokeGrace(), d.repokeSpacing(), 3, d.pullBackGrace(), d.pullBackMaxAge()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withTimers(d.retryFirstDelay(), 3, 3, d.repokeGrace(), d.repokeSpacing(), -1, d.pullBackGrace(), d.pullBackMaxAge()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withKillSwitch("x").withStrategy(WakeSettings.Strategy.OFF).killSwitch()).isEqualTo("x");
    }

    // ---- WakeLedger ----

    @Test
    void theLedgerAnswersTheHistoryQuestions() {
        WakeLedger l = WakeLedger.EMPTY.recorded("bob", null, NOW.minusSeconds(30)).recorded("bob", "r1", NOW.minusSeconds(60))
                .recorded("carol", "r2", NOW).recorded(WakeRequest.reply(BOB, null, "r3", false), NOW.minusSeconds(10));
        assertThat(l.lastWake("bob")).isEqualTo(NOW.minusSeconds(10));
        assertThat(l.lastWake("carol")).isEqualTo(NOW);
        assertThat(l.lastWake("dave")).isNull();
        assertThat(l.wakesAfter("bob", NOW.minusSeconds(60))).isEqualTo(2); // strictly after: the one at -60 s is out
        assertThat(l.wakesAfter("bob", NOW.minusSeconds(61))).isEqualTo(3);
        assertThat(l.wakesAfter("dave", NOW.minusSeconds(61))).isZero();
        assertThat(l.wokenFor("bob", "r1")).isTrue();
        assertThat(l.wokenFor("bob", "r3")).isTrue();
        assertThat(l.wokenFor("bob", "r2")).isFalse();
        assertThat(l.wokenFor("carol", "r2")).isTrue();
        assertThat(WakeLedger.EMPTY.lastWake("bob")).isNull();
        assertThat(l.entries()).hasSize(4);
        assertThat(WakeLedger.EMPTY.entries()).isEmpty();
        assertThatThrownBy(() -> l.recorded(null, null, NOW)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> l.recorded("bob", null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void pruningKeepsWhatTheRulesStillNeed() {
        WakeSettings s = WakeSettings.DEFAULTS;
        WakeLedger l = WakeLedger.EMPTY
                .recorded("bob", null, NOW.minus(Duration.ofMinutes(5)))               // exactly the rate window: dropped
                .recorded("bob", null, NOW.minus(Duration.ofMinutes(5)).plusMillis(1)) // kept
                .recorded("bob", "r1", NOW.minus(Duration.ofHours(23)))                  // reply key inside 24 h: kept
                .recorded("bob", "r2", NOW.minus(Duration.ofHours(24)));                 // dropped
        assertThat(l.pruned(s, NOW).entries()).extracting(WakeLedger.Entry::at)
                .containsExactly(NOW.minus(Duration.ofMinutes(5)).plusMillis(1), NOW.minus(Duration.ofHours(23)));
        // the longest of the windows wins: a debounce longer than the rate window, a dedupe window shorter than it
        WakeSettings odd = s.withWindows(s.busyTtl(), s.freshIdle(), Duration.ofMinutes(10), 6, Duration.ofMinutes(5));
        assertThat(l.pruned(odd, NOW).entries()).hasSize(3);
        WakeSettings shortDedupe = new WakeSettings(null, WakeSettings.Strategy.AUTO, s.busyTtl(), s.freshIdle(), s.debounce(),
                6, Duration.ofMinutes(5), Duration.ofMinutes(1), s.retryFirstDelay(), 3, 3, s.repokeGrace(), s.repokeSpacing(), 3,
                s.pullBackGrace(), s.pullBackMaxAge());
        WakeLedger recentReply = WakeLedger.EMPTY.recorded("bob", "r", NOW.minus(Duration.ofMinutes(4)));
        assertThat(recentReply.pruned(shortDedupe, NOW).entries()).hasSize(1);
    }
}
