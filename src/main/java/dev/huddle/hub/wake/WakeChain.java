package dev.huddle.hub.wake;

import dev.huddle.core.wake.WakeKind;
import dev.huddle.core.wake.WakeSettings;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.store.WakeRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A message's latest wake as its rows tell it: the latest decision to fire, the route's outcome for that
 * attempt, and whether something ended it since (confirmed, gave up, a retry the policy refused).
 *
 * @param decision the latest {@code will_fire} row
 * @param route    the route's outcome for that attempt, null while the route runs (or when the hub stopped mid-route)
 * @param ended    a later row ended it
 * @param firstAt  when attempt 1 of this wake was decided
 */
record WakeChain(WakeRecord decision, WakeRecord route, boolean ended, Instant firstAt) {
    /**
     * A decision with no route outcome after this is looked at as unconfirmed: a route ends within a few seconds
     * (the rewake wait is 2 s, tmux verification under 2 s), so only a hub that stopped mid-route leaves none.
     */
    static final Duration ROUTE_TIMEOUT = Duration.ofSeconds(30);

    /** The chain of the latest decision to fire in {@code rows} (oldest first), or null when none fired. */
    static WakeChain of(List<WakeRecord> rows) {
        int d = -1;
        for (int i = rows.size() - 1; i >= 0 && d < 0; i--) if (WakeRecord.firedStatus(rows.get(i).status())) d = i;
        if (d < 0) return null;
        WakeRecord decision = rows.get(d);
        WakeRecord route = null;
        boolean ended = false;
        for (WakeRecord r : rows.subList(d + 1, rows.size())) {
            WakeStatus s = WakeStatus.fromWireName(r.status());
            if (s == WakeStatus.CONFIRMED || s == WakeStatus.GAVE_UP) ended = true;
            else if (s != null && !s.setByRoute() && WakeKind.RETRY.wireName().equals(r.kind())) ended = true; // retry refused
            else if (s != null && s.setByRoute() && route == null && r.attempt() == decision.attempt()) route = r;
        }
        Instant firstAt = decision.at();
        for (int i = d; i >= 0; i--) {
            WakeRecord r = rows.get(i);
            if (WakeRecord.firedStatus(r.status()) && r.attempt() == 1) {
                firstAt = r.at();
                break;
            }
        }
        return new WakeChain(decision, route, ended, firstAt);
    }

    int attempt() {
        return decision.attempt();
    }

    /** When the latest attempt went out: the route's outcome, or the decision while none is known. */
    Instant lastAt() {
        return route != null ? route.at() : decision.at();
    }

    /**
     * Whether the retry timer still has to look at it: a message's wake (not a re-poke or pull-back), not ended,
     * whose route is still running or may not have reached the agent (see {@link WakeTimers}). {@code keptRoutes}
     * are the routes whose fired wake stays with the client until it takes it (a queue): more would pile up.
     */
    boolean open(Set<String> keptRoutes) {
        if (ended) return false;
        String kind = decision.kind();
        if (WakeKind.REPOKE.wireName().equals(kind) || WakeKind.PULL_BACK.wireName().equals(kind)) return false;
        if (route == null) return true;
        WakeStatus s = WakeStatus.fromWireName(route.status());
        if (route.route() != null && keptRoutes.contains(route.route())) return false;
        if (s == WakeStatus.FIRED) return !WakeService.IDLE_WAIT_ROUTE.equals(route.route());
        return s == WakeStatus.FIRED_UNCONFIRMED || s == WakeStatus.SKIPPED_HUMAN_TYPING;
    }

    /** When to look: the backoff delay after the attempt's outcome; without one, the route timeout after the decision. */
    Instant lookAt(WakeSettings s) {
        return route == null ? decision.at().plus(ROUTE_TIMEOUT) : route.at().plus(retryDelay(s, attempt()));
    }

    /** How long after attempt {@code n} the retry timer looks again: retryFirstDelay × retryFactor^(n-1). */
    static Duration retryDelay(WakeSettings s, int n) {
        long factor = 1;
        for (int i = 1; i < n; i++) factor = Math.multiplyExact(factor, s.retryFactor());
        return s.retryFirstDelay().multipliedBy(factor);
    }
}
