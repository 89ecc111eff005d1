package dev.huddle.core.wake;

import dev.huddle.core.wake.WakeRetryPolicy.Step;
import dev.huddle.core.wake.WakeRetryPolicy.Step.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link WakeRetryPolicy}: unconfirmed-wake retries, silent-delegate re-pokes, answered-ask pull-backs. */
class WakeRetryPolicyTest {
    static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");
    static final WakeSettings S = WakeSettings.DEFAULTS;

    static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    // ---- unconfirmed wakes: 5 s, 15 s, 45 s after the previous attempt, then stop ----

    @ParameterizedTest(name = "attempts={0}, last at {1} ms, now {2} ms → {3} at {4}")
    @CsvSource(nullValues = "-", textBlock = """
            # attempts, lastMs, nowMs,  action, dueMs
            1,          0,      0,      LATER,  5000
            1,          0,      4999,   LATER,  5000
            1,          0,      5000,   NOW,    5000
            1,          0,      9000,   NOW,    9000
            2,          5000,   19999,  LATER,  20000
            2,          5000,   20000,  NOW,    20000
            3,          20000,  64999,  LATER,  65000
            3,          20000,  65000,  NOW,    65000
            4,          65000,  65000,  STOP,   -
            4,          65000,  999999, STOP,   -
            9,          65000,  999999, STOP,   -
            """)
    void unconfirmedWakesBackOffExponentiallyThreeTimes(int attempts, long lastMs, long nowMs, Action action, Long dueMs) {
        Step s = WakeRetryPolicy.unconfirmedWake(attempts, T0, at(lastMs), false, S, at(nowMs));
        assertThat(s.action()).as(s.reason()).isEqualTo(action);
        assertThat(s.at()).isEqualTo(dueMs == null ? null : at(dueMs));
    }

    @Test
    void unconfirmedReasonsNameTheFigures() {
        assertThat(WakeRetryPolicy.unconfirmedWake(2, T0, at(5000), false, S, at(6000)).reason())
                .isEqualTo("retry 2 of 3, 15 s after attempt 2 (unconfirmed for 6 s)");
        assertThat(WakeRetryPolicy.unconfirmedWake(4, T0, at(65000), false, S, at(70000)).reason())
                .isEqualTo("gave up after 4 attempts over 70 s (at most 3 retries)");
        // a clock that stepped back reads as 0 s, not a negative age
        assertThat(WakeRetryPolicy.unconfirmedWake(1, T0, T0, false, S, at(-1000)).reason()).endsWith("(unconfirmed for 0 s)");
        assertThat(WakeRetryPolicy.unconfirmedWake(4, T0, T0, false, S, at(-1000)).reason()).contains("over 0 s");
    }

    @Test
    void aConfirmedWakeIsNotRetriedAndAttemptsStartAtOne() {
        Step s = WakeRetryPolicy.unconfirmedWake(1, T0, T0, true, S, at(60000));
        assertThat(s.action()).isEqualTo(Action.STOP);
        assertThat(s.reason()).contains("confirmed");
        assertThatThrownBy(() -> WakeRetryPolicy.unconfirmedWake(0, T0, T0, false, S, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noRetriesWhenMaxRetriesIsZeroAndOtherFactors() {
        WakeSettings none = S.withTimers(Duration.ofSeconds(5), 3, 0, S.repokeGrace(), S.repokeSpacing(), 3, S.pullBackGrace(), S.pullBackMaxAge());
        assertThat(WakeRetryPolicy.unconfirmedWake(1, T0, T0, false, none, T0).action()).isEqualTo(Action.STOP);
        WakeSettings linear = S.withTimers(Duration.ofSeconds(2), 1, 5, S.repokeGrace(), S.repokeSpacing(), 3, S.pullBackGrace(), S.pullBackMaxAge());
        assertThat(WakeRetryPolicy.unconfirmedWake(5, T0, T0, false, linear, T0).at()).isEqualTo(at(2000));
    }

    // ---- silent delegates: grace 4 min, then every 4 min, at most 3 ----

    @ParameterizedTest(name = "pokes={0}, last poke {1} ms, now {2} ms → {3} at {4}")
    @CsvSource(nullValues = "-", textBlock = """
            # pokes, lastPokeMs, nowMs,   action, dueMs
            0,       -,          0,       LATER,  240000
            0,       -,          239999,  LATER,  240000
            0,       -,          240000,  NOW,    240000
            0,       -,          300000,  NOW,    300000
            1,       240000,     479999,  LATER,  480000
            1,       240000,     480000,  NOW,    480000
            2,       480000,     720000,  NOW,    720000
            1,       10000,      240000,  LATER,  250000
            1,       0,          240000,  NOW,    240000
            3,       720000,     9999999, STOP,   -
            """)
    void silentDelegatesAreRepokedAfterTheGraceThenSpacedAndCapped(int pokes, Long lastMs, long nowMs, Action action, Long dueMs) {
        Step s = WakeRetryPolicy.silentDelegate(T0, pokes, lastMs == null ? null : at(lastMs), false, false, S, at(nowMs));
        assertThat(s.action()).as(s.reason()).isEqualTo(action);
        assertThat(s.at()).isEqualTo(dueMs == null ? null : at(dueMs));
    }

    @Test
    void aClosedOrDeliveredRequestIsNotRepoked() {
        assertThat(WakeRetryPolicy.silentDelegate(T0, 0, null, false, true, S, at(600000)).reason()).contains("closed");
        assertThat(WakeRetryPolicy.silentDelegate(T0, 0, null, true, false, S, at(600000)).reason()).contains("has the message");
        assertThat(WakeRetryPolicy.silentDelegate(T0, 3, at(720000), false, false, S, at(9999999)).reason())
                .isEqualTo("re-poked 3 times (cap 3)");
        assertThat(WakeRetryPolicy.silentDelegate(T0, 0, null, false, false, S, at(250000)).reason())
                .isEqualTo("re-poke 1 of 3: silent for 250 s (grace 240 s, spacing 240 s)");
        assertThat(WakeRetryPolicy.silentDelegate(T0, 0, null, false, false, S, at(-5)).reason()).contains("silent for 0 s");
    }

    // ---- answered asks: pull back once, after 15 s, within 1 h ----

    @ParameterizedTest(name = "answered {0} ms before, pulled={1}, read={2} → {3}")
    @CsvSource(textBlock = """
            0,       false, false, LATER
            14999,   false, false, LATER
            15000,   false, false, NOW
            3599999, false, false, NOW
            3600000, false, false, STOP
            15000,   true,  false, STOP
            15000,   false, true,  STOP
            -1000,   false, false, LATER
            """)
    void anAnsweredTimedOutAskPullsItsRequesterBackOnce(long agoMs, boolean pulled, boolean read, Action action) {
        Step s = WakeRetryPolicy.answeredAsk(T0, pulled, read, S, at(agoMs));
        assertThat(s.action()).as(s.reason()).isEqualTo(action);
        if (action == Action.LATER) assertThat(s.at()).isEqualTo(at(15000));
    }

    @Test
    void pullBackReasons() {
        assertThat(WakeRetryPolicy.answeredAsk(T0, false, false, S, at(20000)).reason())
                .isEqualTo("pull back the requester: its timed-out ask was answered 20 s ago (grace 15 s)");
        assertThat(WakeRetryPolicy.answeredAsk(T0, false, false, S, at(3600000)).reason())
                .isEqualTo("answered 3600 s ago (pull-back window 3600 s); the requester sees the reply at its next turn");
        assertThat(WakeRetryPolicy.answeredAsk(T0, true, false, S, at(20000)).reason()).contains("once");
        assertThat(WakeRetryPolicy.answeredAsk(T0, false, true, S, at(20000)).reason()).contains("read the reply");
        assertThat(WakeRetryPolicy.answeredAsk(T0, false, false, S, at(-1000)).reason()).contains("answered 0 s ago");
    }

    @Test
    void stepsAreWellFormed() {
        assertThatThrownBy(() -> new Step(Action.STOP, T0, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Step(Action.NOW, null, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Step(Action.LATER, null, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Action.NOW.wireName()).isEqualTo("now");
        assertThat(Action.LATER.wireName()).isEqualTo("later");
        assertThat(Action.STOP.wireName()).isEqualTo("stop");
    }

    // ---- a wake the debounce or rate limit refused: decided again when both allow it, for at most 1 h ----

    static final Duration HOUR = WakeRetryPolicy.DEFERRED_MAX_AGE;

    @Test
    void aDebouncedWakeIsDueWhenTheDebounceEnds() {
        Step s = WakeRetryPolicy.refusedWake(at(0), List.of(at(-1000)), HOUR, S, at(0));
        assertThat(s.action()).isEqualTo(Action.LATER);
        assertThat(s.at()).isEqualTo(at(1000));
        assertThat(s.reason()).isEqualTo("decide the deferred wake again when the debounce (2 s) ends");
        assertThat(WakeRetryPolicy.refusedWake(at(0), List.of(at(-1000)), HOUR, S, at(1000)).action()).isEqualTo(Action.NOW);
        assertThat(WakeRetryPolicy.refusedWake(at(0), List.of(), HOUR, S, at(0)).action()).as("nothing in the way").isEqualTo(Action.NOW);
    }

    @Test
    void aRateLimitedWakeIsDueWhenTheWakeThatFreesASlotIsOneWindowOld() {
        // 7 wakes in the window (one more than the limit, e.g. a clock step): the second oldest frees the slot
        List<Instant> seven = List.of(at(-70_000), at(-60_000), at(-50_000), at(-40_000), at(-30_000), at(-20_000), at(-10_000));
        Step s = WakeRetryPolicy.refusedWake(at(0), seven, HOUR, S, at(0));
        assertThat(s.at()).isEqualTo(at(-60_000).plus(S.rateWindow()));
        assertThat(s.reason()).isEqualTo("decide the deferred wake again when a slot of the rate limit (6 per 300 s) frees");
        Step six = WakeRetryPolicy.refusedWake(at(0), seven.subList(1, 7), HOUR, S, at(0));
        assertThat(six.at()).as("in any order, oldest of six").isEqualTo(at(-60_000).plus(S.rateWindow()));
        assertThat(WakeRetryPolicy.refusedWake(at(0), seven.subList(2, 7), HOUR, S, at(0)).action()).as("five: a slot is free").isEqualTo(Action.NOW);
        assertThat(WakeRetryPolicy.refusedWake(at(0), seven.subList(1, 7), HOUR, S, at(240_000)).action())
                .as("exactly one window after the oldest: it no longer counts").isEqualTo(Action.NOW);
    }

    @Test
    void aDeferredWakeStopsWhenTheMessageIsAnHourOld() {
        Step s = WakeRetryPolicy.refusedWake(at(0), List.of(), HOUR, S, at(3_600_000));
        assertThat(s.action()).isEqualTo(Action.STOP);
        assertThat(s.reason()).isEqualTo("the deferred wake gave up: the message has been unread for 3600 s (deferred wakes stop after 3600 s); it waits for the agent's next turn");
        assertThat(WakeRetryPolicy.refusedWake(at(0), List.of(), HOUR, S, at(3_599_999)).action()).isEqualTo(Action.NOW);
    }
}
