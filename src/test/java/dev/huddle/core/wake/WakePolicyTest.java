package dev.huddle.core.wake;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.ClientType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.huddle.core.wake.WakeStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link WakePolicy}: every gate, its default figure and its boundaries, and the order of the gates. */
class WakePolicyTest {
    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    static final WakeSettings S = WakeSettings.DEFAULTS;
    static final Duration MS = Duration.ofMillis(1);

    /** A hooked, bound, online agent that went idle 10 s ago: every default rule can wake it. */
    static WakeTarget idle() {
        return hooked(Activity.IDLE, Duration.ofSeconds(10));
    }

    static WakeTarget hooked(Activity a, Duration age) {
        return new WakeTarget("bob", true, true, ClientType.CLAUDE_CODE, true, a, age == null ? null : NOW.minus(age), false);
    }

    static WakeTarget hookless(boolean bound) {
        return new WakeTarget("bob", true, bound, ClientType.CODEX, false, Activity.UNKNOWN, null, false);
    }

    static WakeTarget offline(WakeTarget t) {
        return new WakeTarget(t.agentId(), false, t.bound(), t.client(), t.hasHooks(), t.activity(), t.activityAt(), t.inAskPeer());
    }

    static WakeTarget inAsk(WakeTarget t) {
        return new WakeTarget(t.agentId(), t.online(), t.bound(), t.client(), t.hasHooks(), t.activity(), t.activityAt(), true);
    }

    static WakeRequest req(WakeKind kind, WakeTarget t, WakeChoice c) {
        String replyTo = switch (kind) {
            case REPLY, OUTCOME, PULL_BACK -> "aaaaaaaaaaaaaaaa";
            default -> null;
        };
        return new WakeRequest(kind, t, c, replyTo, false);
    }

    static WakeDecision decide(WakeRequest r) {
        return WakePolicy.decide(r, S, WakeLedger.EMPTY, NOW);
    }

    static WakeDecision decide(WakeRequest r, WakeHistory h) {
        return WakePolicy.decide(r, S, h, NOW);
    }

    static WakeLedger wakes(String target, String replyTo, Duration... agos) {
        WakeLedger l = WakeLedger.EMPTY;
        for (Duration ago : agos) l = l.recorded(target, replyTo, NOW.minus(ago));
        return l;
    }

    // ---- gate 4: which messages want a wake (the basis) ----

    @ParameterizedTest(name = "{0} wake={1} target={2} pendingAsk={3} → {4} {5}")
    @CsvSource(nullValues = "-", textBlock = """
            # kind,          choice, target,            pending, status,                basis
            SEND,            UNSET,  hooked,            false,   SKIPPED_NOT_REQUESTED, -
            SEND,            UNSET,  hookless_bound,    false,   WILL_FIRE,             HOOKLESS_DEFAULT
            SEND,            UNSET,  hookless_unbound,  false,   SKIPPED_NOT_REQUESTED, -
            SEND,            AUTO,   hooked,            false,   WILL_FIRE,             EXPLICIT
            SEND,            AUTO,   hookless_unbound,  false,   WILL_FIRE,             EXPLICIT
            SEND,            OFF,    hookless_bound,    false,   SKIPPED_OFF,           -
            REPLY,           UNSET,  hooked,            false,   WILL_FIRE,             REPLY_DEFAULT
            REPLY,           UNSET,  hooked,            true,    WILL_FIRE,             LATE_REPLY
            REPLY,           UNSET,  hookless_bound,    false,   WILL_FIRE,             HOOKLESS_DEFAULT
            REPLY,           UNSET,  hookless_bound,    true,    WILL_FIRE,             LATE_REPLY
            REPLY,           UNSET,  hookless_unbound,  false,   SKIPPED_NOT_REQUESTED, -
            REPLY,           UNSET,  hookless_unbound,  true,    WILL_FIRE,             LATE_REPLY
            REPLY,           AUTO,   hooked,            false,   WILL_FIRE,             EXPLICIT
            REPLY,           AUTO,   hooked,            true,    WILL_FIRE,             EXPLICIT
            REPLY,           OFF,    hooked,            true,    SKIPPED_OFF,           -
            ASK,             UNSET,  hooked,            false,   WILL_FIRE,             ASK_PEER
            ASK,             UNSET,  hookless_unbound,  false,   WILL_FIRE,             ASK_PEER
            ASK,             OFF,    hooked,            false,   SKIPPED_OFF,           -
            ACTION_REQUIRED, UNSET,  hooked,            false,   WILL_FIRE,             ACTION_REQUIRED
            ACTION_REQUIRED, UNSET,  hookless_unbound,  false,   WILL_FIRE,             ACTION_REQUIRED
            ACTION_REQUIRED, AUTO,   hooked,            false,   WILL_FIRE,             EXPLICIT
            ACTION_REQUIRED, OFF,    hooked,            false,   SKIPPED_OFF,           -
            OUTCOME,         UNSET,  hooked,            false,   WILL_FIRE,             OUTCOME
            OUTCOME,         OFF,    hooked,            false,   SKIPPED_OFF,           -
            OPERATOR,        UNSET,  hooked,            false,   WILL_FIRE,             OPERATOR
            OPERATOR,        AUTO,   hooked,            false,   WILL_FIRE,             EXPLICIT
            OPERATOR,        OFF,    hooked,            false,   SKIPPED_OFF,           -
            REPOKE,          UNSET,  hooked,            false,   WILL_FIRE,             REPOKE
            PULL_BACK,       UNSET,  hooked,            false,   WILL_FIRE,             PULL_BACK
            RETRY,           UNSET,  hooked,            false,   WILL_FIRE,             RETRY
            RETRY,           AUTO,   hookless_unbound,  false,   WILL_FIRE,             RETRY
            RETRY,           OFF,    hooked,            false,   SKIPPED_OFF,           -
            DEFERRED,        UNSET,  hooked,            false,   WILL_FIRE,             DEFERRED
            DEFERRED,        AUTO,   hookless_unbound,  false,   WILL_FIRE,             DEFERRED
            """)
    void theBasisTable(WakeKind kind, WakeChoice choice, String target, boolean pending, WakeStatus status, WakeBasis basis) {
        WakeTarget t = switch (target) {
            case "hooked" -> idle();
            case "hookless_bound" -> hookless(true);
            default -> hookless(false);
        };
        String replyTo = kind == WakeKind.REPLY || kind == WakeKind.OUTCOME || kind == WakeKind.PULL_BACK ? "aaaaaaaaaaaaaaaa" : null;
        WakeDecision d = decide(new WakeRequest(kind, t, choice, replyTo, pending));
        assertThat(d.status()).as(d.reason()).isEqualTo(status);
        assertThat(d.basis()).isEqualTo(basis);
        assertThat(d.fire()).isEqualTo(status == WILL_FIRE);
        assertThat(d.reason()).isNotBlank();
    }

    @Test
    void notRequestedSaysWhyAndHowToWakeAnyway() {
        assertThat(decide(WakeRequest.send(idle(), null, null, false, false)).reason())
                .contains("hooks deliver the message at its next turn").contains("wake:\"auto\"");
        assertThat(decide(WakeRequest.send(hookless(false), null, null, false, false)).reason())
                .contains("not bound").contains("wake:\"auto\"");
    }

    // ---- gate 1: the kill switch is absolute ----

    @Test
    void theKillSwitchStopsEveryKindAndChoice() {
        WakeSettings killed = S.withKillSwitch("HUDDLE_WAKE=off in the hub's environment");
        for (WakeKind k : WakeKind.values()) {
            for (WakeChoice c : WakeChoice.values()) {
                for (WakeTarget t : List.of(idle(), hookless(true), offline(idle()), inAsk(idle()))) {
                    WakeDecision d = WakePolicy.decide(req(k, t, c), killed, WakeLedger.EMPTY, NOW);
                    assertThat(d.status()).isEqualTo(SKIPPED_KILL_SWITCH);
                    assertThat(d.reason()).isEqualTo("wakes are switched off (HUDDLE_WAKE=off in the hub's environment)");
                }
            }
        }
    }

    // ---- gate 2: wake:"off" ----

    @ParameterizedTest
    @EnumSource(WakeKind.class)
    void wakeOffNeverWakesWhateverTheKind(WakeKind k) {
        WakeDecision d = decide(new WakeRequest(k, idle(), WakeChoice.OFF, k == WakeKind.PULL_BACK ? "r" : null, true));
        assertThat(d.status()).isEqualTo(SKIPPED_OFF);
        assertThat(d.reason()).isEqualTo("the sender passed wake:\"off\"");
    }

    // ---- gate 3: offline ----

    @ParameterizedTest
    @EnumSource(WakeKind.class)
    void anOfflineAgentIsNeverWoken(WakeKind k) {
        for (WakeChoice c : List.of(WakeChoice.UNSET, WakeChoice.AUTO)) {
            for (WakeTarget t : List.of(idle(), hookless(true), hooked(Activity.BUSY, Duration.ofHours(1)))) {
                WakeDecision d = decide(req(k, offline(t), c));
                assertThat(d.status()).isEqualTo(SKIPPED_OFFLINE);
                assertThat(d.reason()).contains("offline").contains("waits in its inbox");
            }
        }
    }

    // ---- gate 5: strategy off suppresses automatic wakes only ----

    @ParameterizedTest(name = "strategy off: {0} {1} → {2}")
    @CsvSource(textBlock = """
            SEND,            AUTO,   WILL_FIRE
            REPLY,           AUTO,   WILL_FIRE
            ASK,             UNSET,  WILL_FIRE
            RETRY,           UNSET,  WILL_FIRE
            DEFERRED,        UNSET,  WILL_FIRE
            ACTION_REQUIRED, UNSET,  SKIPPED_STRATEGY_OFF
            OUTCOME,         UNSET,  SKIPPED_STRATEGY_OFF
            OPERATOR,        UNSET,  SKIPPED_STRATEGY_OFF
            REPOKE,          UNSET,  SKIPPED_STRATEGY_OFF
            PULL_BACK,       UNSET,  SKIPPED_STRATEGY_OFF
            REPLY,           UNSET,  SKIPPED_STRATEGY_OFF
            """)
    void strategyOffLeavesOnlyExplicitWakes(WakeKind kind, WakeChoice choice, WakeStatus expected) {
        WakeDecision d = WakePolicy.decide(req(kind, idle(), choice), S.withStrategy(WakeSettings.Strategy.OFF), WakeLedger.EMPTY, NOW);
        assertThat(d.status()).isEqualTo(expected);
        if (expected == SKIPPED_STRATEGY_OFF) assertThat(d.reason()).contains("strategy is off").contains(d.basis().wireName());
    }

    @Test
    void strategyOffAlsoSuppressesTheHooklessAndLateReplyDefaults() {
        WakeSettings off = S.withStrategy(WakeSettings.Strategy.OFF);
        assertThat(WakePolicy.decide(WakeRequest.send(hookless(true), null, null, false, false), off, WakeLedger.EMPTY, NOW).status())
                .isEqualTo(SKIPPED_STRATEGY_OFF);
        assertThat(WakePolicy.decide(WakeRequest.reply(idle(), null, "r", true), off, WakeLedger.EMPTY, NOW).basis())
                .isEqualTo(WakeBasis.LATE_REPLY);
        assertThat(WakePolicy.decide(WakeRequest.reply(idle(), null, "r", true), off, WakeLedger.EMPTY, NOW).status())
                .isEqualTo(SKIPPED_STRATEGY_OFF);
    }

    // ---- gate 6: one wake per (target, reply_to) ----

    @Test
    void oneWakePerTargetAndReplyTo() {
        WakeLedger h = wakes("bob", "r1", Duration.ofMinutes(30));
        WakeDecision again = decide(WakeRequest.reply(idle(), "auto", "r1", true), h);
        assertThat(again.status()).isEqualTo(SKIPPED_ALREADY_WOKEN);
        assertThat(again.reason()).isEqualTo("already woken once for reply_to r1 (one wake per target and reply_to)");
        assertThat(decide(WakeRequest.pullBack(idle(), "r1"), h).status()).isEqualTo(SKIPPED_ALREADY_WOKEN);
        assertThat(decide(WakeRequest.outcome(idle(), null, "r1"), h).status()).isEqualTo(SKIPPED_ALREADY_WOKEN);
        // another reply_to, another target, or no reply_to at all: not this rule
        assertThat(decide(WakeRequest.reply(idle(), "auto", "r2", true), h).status()).isEqualTo(WILL_FIRE);
        WakeTarget carol = new WakeTarget("carol", true, true, ClientType.CLAUDE_CODE, true, Activity.IDLE, NOW, false);
        assertThat(decide(WakeRequest.reply(carol, "auto", "r1", true), h).status()).isEqualTo(WILL_FIRE);
        assertThat(decide(WakeRequest.send(idle(), "auto", null, false, false), h).status()).isEqualTo(WILL_FIRE);
        assertThat(decide(WakeRequest.retry(idle()), h).status()).isEqualTo(WILL_FIRE);
    }

    // ---- gate 7: busy ----

    @ParameterizedTest(name = "busy for {0} ms → {1}")
    @CsvSource(textBlock = """
            0,       SKIPPED_BUSY
            1,       SKIPPED_BUSY
            42000,   SKIPPED_BUSY
            599999,  SKIPPED_BUSY
            600000,  WILL_FIRE
            600001,  WILL_FIRE
            7200000, WILL_FIRE
            -5000,   SKIPPED_BUSY
            """)
    void busyIsFreshForTenMinutes(long ageMs, WakeStatus expected) {
        WakeTarget t = hooked(Activity.BUSY, Duration.ofMillis(ageMs));
        for (WakeRequest r : List.of(WakeRequest.ask(t), WakeRequest.send(t, "auto", null, false, false),
                WakeRequest.operator(t, null), WakeRequest.reply(t, null, "r", true), WakeRequest.retry(t))) {
            WakeDecision d = decide(r);
            assertThat(d.status()).as(r.kind() + ": " + d.reason()).isEqualTo(expected);
            assertThat(WakePolicy.freshBusy(t, S, NOW)).isEqualTo(expected == SKIPPED_BUSY);
        }
    }

    @Test
    void theBusyReasonNamesTheAgeAndTheTtl() {
        assertThat(decide(WakeRequest.ask(hooked(Activity.BUSY, Duration.ofSeconds(42)))).reason())
                .isEqualTo("busy for 42 s (fresher than the 600 s busy TTL)");
        assertThat(decide(WakeRequest.ask(hooked(Activity.BUSY, Duration.ofMillis(-5000)))).reason())
                .isEqualTo("busy for 0 s (fresher than the 600 s busy TTL)");
        assertThat(decide(WakeRequest.ask(hooked(Activity.BUSY, Duration.ofMillis(599_999)))).reason())
                .isEqualTo("busy for 599.999 s (fresher than the 600 s busy TTL)");
        assertThat(decide(WakeRequest.ask(hooked(Activity.BUSY, Duration.ofMinutes(11)))).reason())
                .isEqualTo("ask_peer wakes its target; it has been busy for 660 s");
    }

    @Test
    void aBusyReportWithoutATimeCountsAsFresh() {
        WakeDecision d = decide(WakeRequest.ask(hooked(Activity.BUSY, null)));
        assertThat(d.status()).isEqualTo(SKIPPED_BUSY);
        assertThat(d.reason()).contains("report time unknown");
    }

    @Test
    void anAgentBlockedInAskPeerIsBusyWhateverItsHooksSay() {
        for (WakeTarget t : List.of(idle(), hookless(true), hooked(Activity.BUSY, Duration.ofHours(1)))) {
            WakeDecision d = decide(WakeRequest.send(inAsk(t), "auto", null, false, false));
            assertThat(d.status()).isEqualTo(SKIPPED_BUSY);
            assertThat(d.reason()).contains("ask_peer");
        }
    }

    @Test
    void idleAndUnknownNeverCountAsBusy() {
        assertThat(decide(WakeRequest.ask(hooked(Activity.IDLE, Duration.ZERO))).fire()).isTrue();
        assertThat(decide(WakeRequest.ask(hooked(Activity.UNKNOWN, Duration.ZERO))).fire()).isTrue();
        assertThat(decide(WakeRequest.ask(hookless(true))).fire()).isTrue();
    }

    // ---- gate 8: the strict reply default wants a freshly idle requester ----

    @ParameterizedTest(name = "reply default, {0} for {1} ms → {2}")
    @CsvSource(nullValues = "-", textBlock = """
            IDLE,    0,       WILL_FIRE
            IDLE,    299999,  WILL_FIRE
            IDLE,    300000,  SKIPPED_NO_FRESH_IDLE
            IDLE,    300001,  SKIPPED_NO_FRESH_IDLE
            IDLE,    -1000,   WILL_FIRE
            IDLE,    -,       SKIPPED_NO_FRESH_IDLE
            UNKNOWN, 1000,    SKIPPED_NO_FRESH_IDLE
            UNKNOWN, -,       SKIPPED_NO_FRESH_IDLE
            BUSY,    600000,  SKIPPED_NO_FRESH_IDLE
            BUSY,    1000,    SKIPPED_BUSY
            """)
    void theReplyDefaultNeedsFreshIdle(Activity a, Long ageMs, WakeStatus expected) {
        WakeTarget t = hooked(a, ageMs == null ? null : Duration.ofMillis(ageMs));
        WakeDecision d = decide(WakeRequest.reply(t, null, "r", false));
        assertThat(d.status()).as(d.reason()).isEqualTo(expected);
        assertThat(d.basis()).isEqualTo(WakeBasis.REPLY_DEFAULT);
    }

    @ParameterizedTest(name = "lenient reply, {0} for {1} ms → {2}")
    @CsvSource(nullValues = "-", textBlock = """
            IDLE,    300000,  WILL_FIRE
            IDLE,    86400000, WILL_FIRE
            UNKNOWN, -,       WILL_FIRE
            BUSY,    600000,  WILL_FIRE
            BUSY,    599999,  SKIPPED_BUSY
            """)
    void aReplyToATimedOutAskOrAnExplicitAutoIsLenient(Activity a, Long ageMs, WakeStatus expected) {
        WakeTarget t = hooked(a, ageMs == null ? null : Duration.ofMillis(ageMs));
        assertThat(decide(WakeRequest.reply(t, null, "r", true)).status()).isEqualTo(expected);
        assertThat(decide(WakeRequest.reply(t, "auto", "r", false)).status()).isEqualTo(expected);
    }

    @Test
    void theNoFreshIdleReasonNamesTheWindowAndTheState() {
        assertThat(decide(WakeRequest.reply(hooked(Activity.IDLE, Duration.ofMinutes(7)), null, "r", false)).reason())
                .isEqualTo("a reply wakes its requester by default only when it has been idle for less than 300 s, "
                        + "and it has been idle for 420 s; pass wake:\"auto\" to wake it anyway");
        assertThat(decide(WakeRequest.reply(hooked(Activity.UNKNOWN, null), null, "r", false)).reason()).contains("reports no activity");
        assertThat(decide(WakeRequest.reply(hooked(Activity.IDLE, null), null, "r", false)).reason()).contains("is idle (report time unknown)");
    }

    // ---- gate 9: debounce ----

    @ParameterizedTest(name = "last wake {0} ms ago → {1}")
    @CsvSource(textBlock = """
            0,     SKIPPED_DEBOUNCED
            1999,  SKIPPED_DEBOUNCED
            2000,  WILL_FIRE
            2001,  WILL_FIRE
            -3000, SKIPPED_DEBOUNCED
            """)
    void aTargetIsWokenAtMostOnceInTwoSeconds(long agoMs, WakeStatus expected) {
        WakeDecision d = decide(WakeRequest.ask(idle()), wakes("bob", null, Duration.ofMillis(agoMs)));
        assertThat(d.status()).isEqualTo(expected);
        if (expected == SKIPPED_DEBOUNCED) assertThat(d.reason()).endsWith("ago (debounce 2 s)");
    }

    @Test
    void theDebounceIsPerTarget() {
        assertThat(decide(WakeRequest.ask(idle()), wakes("carol", null, Duration.ZERO)).fire()).isTrue();
        assertThat(decide(WakeRequest.ask(idle()), wakes("bob", null, Duration.ofMillis(1500))).reason())
                .isEqualTo("woken 1.5 s ago (debounce 2 s)");
    }

    // ---- gate 10: rate limit ----

    @Test
    void sixWakesPerFiveMinutesPerTarget() {
        Duration[] five = {Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(40), Duration.ofSeconds(50)};
        assertThat(decide(WakeRequest.ask(idle()), wakes("bob", null, five)).fire()).isTrue();
        WakeLedger six = wakes("bob", null, five).recorded("bob", null, NOW.minus(Duration.ofMinutes(5)).plus(MS));
        WakeDecision limited = decide(WakeRequest.ask(idle()), six);
        assertThat(limited.status()).isEqualTo(SKIPPED_RATE_LIMITED);
        assertThat(limited.reason()).isEqualTo("6 wakes in the last 300 s (limit 6 per 300 s)");
        // a wake exactly 5 min ago has left the window
        WakeLedger edge = wakes("bob", null, five).recorded("bob", null, NOW.minus(Duration.ofMinutes(5)));
        assertThat(decide(WakeRequest.ask(idle()), edge).fire()).isTrue();
        // other targets' wakes don't count
        WakeLedger others = wakes("carol", null, five).recorded("carol", null, NOW.minus(Duration.ofSeconds(60)));
        assertThat(decide(WakeRequest.ask(idle()), others).fire()).isTrue();
        // retries count too
        assertThat(decide(WakeRequest.retry(idle()), six).status()).isEqualTo(SKIPPED_RATE_LIMITED);
    }

    // ---- the order of the gates ----

    @Test
    void theFirstFailingGateNamesTheStatus() {
        WakeTarget worst = inAsk(offline(hooked(Activity.BUSY, Duration.ZERO)));
        WakeLedger h = wakes("bob", "r", Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        WakeSettings killedOff = S.withKillSwitch("config").withStrategy(WakeSettings.Strategy.OFF);
        WakeSettings off = S.withStrategy(WakeSettings.Strategy.OFF);
        WakeTarget onlineBusyInAsk = inAsk(hooked(Activity.BUSY, Duration.ZERO));
        WakeTarget busy = hooked(Activity.BUSY, Duration.ZERO);
        WakeTarget staleIdle = hooked(Activity.IDLE, Duration.ofHours(1));
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, worst, WakeChoice.OFF, "r", false), killedOff, h, NOW).status())
                .isEqualTo(SKIPPED_KILL_SWITCH);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, worst, WakeChoice.OFF, "r", false), off, h, NOW).status())
                .isEqualTo(SKIPPED_OFF);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, worst, WakeChoice.UNSET, "r", false), off, h, NOW).status())
                .isEqualTo(SKIPPED_OFFLINE);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.SEND, onlineBusyInAsk, WakeChoice.UNSET, null, false), off, h, NOW).status())
                .isEqualTo(SKIPPED_NOT_REQUESTED);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, onlineBusyInAsk, WakeChoice.UNSET, "r", false), off, h, NOW).status())
                .isEqualTo(SKIPPED_STRATEGY_OFF);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, onlineBusyInAsk, WakeChoice.UNSET, "r", false), S, h, NOW).status())
                .isEqualTo(SKIPPED_ALREADY_WOKEN);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, onlineBusyInAsk, WakeChoice.UNSET, "r2", false), S, h, NOW).status())
                .isEqualTo(SKIPPED_BUSY);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, busy, WakeChoice.UNSET, "r2", false), S, h, NOW).status())
                .isEqualTo(SKIPPED_BUSY);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, staleIdle, WakeChoice.UNSET, "r2", false), S, h, NOW).status())
                .isEqualTo(SKIPPED_NO_FRESH_IDLE);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, staleIdle, WakeChoice.UNSET, "r2", true), S, h, NOW).status())
                .isEqualTo(SKIPPED_DEBOUNCED);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, staleIdle, WakeChoice.UNSET, "r2", true), S, h, NOW.plusSeconds(2)).status())
                .isEqualTo(SKIPPED_RATE_LIMITED);
        assertThat(WakePolicy.decide(new WakeRequest(WakeKind.REPLY, staleIdle, WakeChoice.UNSET, "r2", true), S, h, NOW.plusSeconds(300)).status())
                .isEqualTo(WILL_FIRE);
    }

    // ---- reasons for firing ----

    @Test
    void aFireSaysWhichRuleAskedAndTheAgentsState() {
        assertThat(decide(WakeRequest.send(hookless(true), null, null, false, false)).reason())
                .isEqualTo("a bound agent without hooks (no activity signal) is woken by default; it reports no activity");
        assertThat(decide(WakeRequest.reply(idle(), null, "r", false)).reason())
                .isEqualTo("a reply wakes a freshly idle requester by default; it has been idle for 10 s");
        for (WakeBasis b : WakeBasis.values()) assertThat(b.wireName()).matches("[a-z_]+");
        // each basis has its own sentence
        List<WakeRequest> all = List.of(WakeRequest.send(idle(), "auto", null, false, false), WakeRequest.ask(idle()),
                WakeRequest.retry(idle()), WakeRequest.deferred(idle(), null), WakeRequest.send(idle(), null, null, true, false), WakeRequest.outcome(idle(), null, "r"),
                WakeRequest.operator(idle(), null), WakeRequest.send(hookless(true), null, null, false, false),
                WakeRequest.reply(idle(), null, "r", false), WakeRequest.reply(idle(), null, "r", true),
                WakeRequest.repoke(idle()), WakeRequest.pullBack(idle(), "r"));
        assertThat(all.stream().map(r -> decide(r).basis()).distinct()).containsExactlyInAnyOrder(WakeBasis.values());
        assertThat(all.stream().map(r -> decide(r).reason()).distinct()).hasSize(WakeBasis.values().length);
    }

    @Test
    void secondsAreWrittenWithoutTrailingZeros() {
        assertThat(WakePolicy.secs(Duration.ofSeconds(600))).isEqualTo("600 s");
        assertThat(WakePolicy.secs(Duration.ofMillis(1500))).isEqualTo("1.5 s");
        assertThat(WakePolicy.secs(Duration.ofMillis(1))).isEqualTo("0.001 s");
        assertThat(WakePolicy.secs(Duration.ZERO)).isEqualTo("0 s");
    }

    // ---- the settings windows are honoured, not hard-coded ----

    @Test
    void customWindowsMoveTheBoundaries() {
        WakeSettings s = S.withWindows(Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofSeconds(10), 1, Duration.ofMinutes(1));
        WakeTarget busy29 = hooked(Activity.BUSY, Duration.ofSeconds(29));
        WakeTarget busy30 = hooked(Activity.BUSY, Duration.ofSeconds(30));
        assertThat(WakePolicy.decide(WakeRequest.ask(busy29), s, WakeLedger.EMPTY, NOW).status()).isEqualTo(SKIPPED_BUSY);
        assertThat(WakePolicy.decide(WakeRequest.ask(busy30), s, WakeLedger.EMPTY, NOW).fire()).isTrue();
        assertThat(WakePolicy.decide(WakeRequest.reply(hooked(Activity.IDLE, Duration.ofSeconds(20)), null, "r", false), s, WakeLedger.EMPTY, NOW).status())
                .isEqualTo(SKIPPED_NO_FRESH_IDLE);
        assertThat(WakePolicy.decide(WakeRequest.ask(idle()), s, wakes("bob", null, Duration.ofSeconds(9)), NOW).status()).isEqualTo(SKIPPED_DEBOUNCED);
        assertThat(WakePolicy.decide(WakeRequest.ask(idle()), s, wakes("bob", null, Duration.ofSeconds(11)), NOW).status()).isEqualTo(SKIPPED_RATE_LIMITED);
    }
}
