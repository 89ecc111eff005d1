package dev.huddle.core.wake;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.ClientType;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WakePolicy}'s safety promises over generated agents, requests, histories and runs of requests. */
class WakePolicyProperties {
    static final Instant T0 = Instant.parse("2025-01-01T12:00:00Z");
    static final List<String> AGENTS = List.of("a1", "a2", "a3");

    /** Any agent; {@code lively}: mostly online, idle and free, so that runs fire often enough to meet the limits. */
    static Arbitrary<WakeTarget> targets(boolean lively) {
        Arbitrary<Instant> activityAt = Arbitraries.longs().between(-30 * 60_000L, 60_000L)
                .map(T0::minusMillis).injectNull(0.1);
        Arbitrary<Boolean> online = lively ? Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false)) : Arbitraries.of(true, false);
        Arbitrary<Activity> activity = lively
                ? Arbitraries.frequency(Tuple.of(6, Activity.IDLE), Tuple.of(2, Activity.UNKNOWN), Tuple.of(2, Activity.BUSY))
                : Arbitraries.of(Activity.class);
        Arbitrary<Boolean> inAsk = Arbitraries.frequency(Tuple.of(lively ? 19 : 3, false), Tuple.of(1, true));
        return Combinators.combine(Arbitraries.of(AGENTS), online, Arbitraries.of(true, false), Arbitraries.of(ClientType.class),
                        Arbitraries.of(true, false), activity, activityAt, inAsk)
                .as(WakeTarget::new);
    }

    static Arbitrary<WakeRequest> requests(boolean lively) {
        Arbitrary<WakeChoice> choice = lively
                ? Arbitraries.frequency(Tuple.of(5, WakeChoice.AUTO), Tuple.of(4, WakeChoice.UNSET), Tuple.of(1, WakeChoice.OFF))
                : Arbitraries.of(WakeChoice.class);
        return Combinators.combine(Arbitraries.of(WakeKind.class), targets(lively), choice,
                        Arbitraries.of("r1", "r2", "r3").injectNull(0.4), Arbitraries.of(true, false))
                .as((kind, t, c, replyTo, pending) -> new WakeRequest(kind, t, c,
                        kind == WakeKind.RETRY ? null : kind == WakeKind.PULL_BACK && replyTo == null ? "r1" : replyTo, pending));
    }

    static Arbitrary<WakeSettings> settings(Arbitrary<String> killSwitch) {
        return Combinators.combine(killSwitch, Arbitraries.of(WakeSettings.Strategy.class),
                        Arbitraries.longs().between(0, 20 * 60_000L), Arbitraries.longs().between(0, 10 * 60_000L),
                        Arbitraries.longs().between(0, 10_000L), Arbitraries.integers().between(1, 8),
                        Arbitraries.longs().between(1_000L, 10 * 60_000L))
                .as((kill, strategy, busy, idle, debounce, limit, window) -> WakeSettings.DEFAULTS.withKillSwitch(kill)
                        .withStrategy(strategy).withWindows(Duration.ofMillis(busy), Duration.ofMillis(idle),
                                Duration.ofMillis(debounce), limit, Duration.ofMillis(window)));
    }

    @Provide
    Arbitrary<WakeRequest> requests() {
        return requests(false);
    }

    @Provide
    Arbitrary<WakeSettings> settings() {
        return settings(Arbitraries.of("HUDDLE_WAKE=off in the hub's environment").injectNull(0.7));
    }

    @Provide
    Arbitrary<WakeSettings> liveSettings() {
        return settings(Arbitraries.just(null));
    }

    @Provide
    Arbitrary<WakeLedger> histories() {
        Arbitrary<WakeLedger.Entry> entry = Combinators.combine(Arbitraries.of(AGENTS), Arbitraries.of("r1", "r2", "r3").injectNull(0.5),
                Arbitraries.longs().between(-5_000L, 15 * 60_000L).map(T0::minusMillis)).as(WakeLedger.Entry::new);
        return entry.list().ofMaxSize(12).map(WakeLedger::new);
    }

    @Property(tries = 2000)
    void neverFiresForOfflineWakeOffOrTheKillSwitch(@ForAll("requests") WakeRequest r, @ForAll("settings") WakeSettings s,
                                                    @ForAll("histories") WakeLedger h) {
        WakeDecision d = WakePolicy.decide(r, s, h, T0);
        if (!r.target().online() || r.choice() == WakeChoice.OFF || s.killSwitch() != null) {
            assertThat(d.fire()).as(d.reason()).isFalse();
        }
        if (s.killSwitch() != null) assertThat(d.status()).isEqualTo(WakeStatus.SKIPPED_KILL_SWITCH);
    }

    @Property(tries = 2000)
    void aFireNeverReachesAFreshlyBusyAgentNorBreaksALimit(@ForAll("requests") WakeRequest r, @ForAll("settings") WakeSettings s,
                                                            @ForAll("histories") WakeLedger h) {
        WakeDecision d = WakePolicy.decide(r, s, h, T0);
        if (!d.fire()) return;
        WakeTarget t = r.target();
        assertThat(WakePolicy.freshBusy(t, s, T0)).isFalse();
        assertThat(t.inAskPeer()).isFalse();
        assertThat(d.basis()).isNotNull();
        if (s.strategy() == WakeSettings.Strategy.OFF) assertThat(d.basis().automatic()).isFalse();
        if (d.basis() == WakeBasis.REPLY_DEFAULT) assertThat(WakePolicy.freshIdle(t, s, T0)).isTrue();
        if (r.replyTo() != null) assertThat(h.wokenFor(t.agentId(), r.replyTo())).isFalse();
        assertThat(h.wakesAfter(t.agentId(), T0.minus(s.rateWindow()))).isLessThan(s.rateLimit());
        Instant last = h.lastWake(t.agentId());
        if (last != null) assertThat(Duration.between(last, T0)).isGreaterThanOrEqualTo(s.debounce());
    }

    @Property(tries = 1000)
    void decisionsAreDeterministic(@ForAll("requests") WakeRequest r, @ForAll("settings") WakeSettings s,
                                   @ForAll("histories") WakeLedger h) {
        WakeDecision first = WakePolicy.decide(r, s, h, T0);
        WakeDecision second = WakePolicy.decide(r, s, new WakeLedger(h.entries()), T0);
        assertThat(second).isEqualTo(first);
    }

    /** One step of a generated run: a request arrives {@code gapMs} after the previous one. */
    record Arrival(long gapMs, WakeRequest request) {}

    @Provide
    Arbitrary<List<Arrival>> runs() {
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(0, 3_000L)),
                Tuple.of(3, Arbitraries.longs().between(0, 60_000L)),
                Tuple.of(1, Arbitraries.longs().between(0, 600_000L)));
        return Combinators.combine(gaps, requests(true)).as(Arrival::new).list().ofMinSize(1).ofMaxSize(150);
    }

    @Property(tries = 300)
    void overAnyRunTheRateLimitDebounceAndReplyDedupeHold(@ForAll("runs") List<Arrival> run, @ForAll("liveSettings") WakeSettings s) {
        WakeLedger ledger = WakeLedger.EMPTY;
        Instant now = T0;
        Map<String, List<Instant>> fires = new HashMap<>();
        Set<String> replyKeys = new HashSet<>();
        for (Arrival a : run) {
            now = now.plusMillis(a.gapMs());
            WakeDecision d = WakePolicy.decide(a.request(), s, ledger, now);
            Statistics.label("status").collect(d.status().wireName());
            if (!d.fire()) continue;
            String target = a.request().target().agentId();
            ledger = ledger.recorded(a.request(), now).pruned(s, now); // the hub records every fire (and may prune)
            fires.computeIfAbsent(target, k -> new ArrayList<>()).add(now);
            if (a.request().replyTo() != null) {
                assertThat(replyKeys.add(target + "/" + a.request().replyTo())).as("second wake for the same reply_to").isTrue();
            }
        }
        for (List<Instant> times : fires.values()) {
            for (int i = 0; i < times.size(); i++) {
                int inWindow = 0;
                for (Instant other : times.subList(0, i + 1)) {
                    if (other.isAfter(times.get(i).minus(s.rateWindow()))) inWindow++;
                }
                assertThat(inWindow).as("fires in one rate window").isLessThanOrEqualTo(s.rateLimit());
                if (i > 0) assertThat(Duration.between(times.get(i - 1), times.get(i))).isGreaterThanOrEqualTo(s.debounce());
            }
        }
    }
}
