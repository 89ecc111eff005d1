package dev.huddle.core.wake;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The knobs of {@link WakePolicy} and {@link WakeRetryPolicy}, with the defaults in {@link #DEFAULTS}. The hub
 * fills them from {@code config.json} and the environment, through the settings catalogue
 * ({@code protocol.Settings}, whose defaults a test holds equal to these).
 *
 * @param killSwitch        null when wakes may happen; otherwise what switched them off (for the reason), e.g.
 *                          {@code "HUDDLE_WAKE=off in the hub's environment"}. Absolute: not even an explicit
 *                          {@code wake:"auto"} or ask_peer wakes. Default: null.
 * @param strategy          {@link Strategy#AUTO} (default) or {@link Strategy#OFF}: no automatic wakes, explicit
 *                          ones (wake:"auto", ask_peer, retries of those) still go out
 * @param busyTtl           a busy report younger than this means "busy: don't wake" (default 10 min); an older one
 *                          is stale (a hook missed the Stop) and the agent may be woken
 * @param freshIdle         an idle report younger than this is "freshly idle" for the strict reply default
 *                          (default 5 min)
 * @param debounce          at most one wake per agent within this (default 2 s)
 * @param rateLimit         at most this many wakes per agent ... (default 6)
 * @param rateWindow        ... within this sliding window (default 5 min)
 * @param replyDedupeWindow how long the hub keeps (target, reply_to) wake keys (default 24 h)
 * @param retryFirstDelay   first retry of an unconfirmed wake after this (default 5 s) ...
 * @param retryFactor       ... each next delay this many times the previous (default 3: 5 s, 15 s, 45 s)
 * @param maxRetries        retries after the first attempt (default 3)
 * @param repokeGrace       re-poke a silent delegate no sooner than this after the ask/obligation (default 4 min)
 * @param repokeSpacing     and this long after the previous poke (default 4 min)
 * @param repokeCap         at most this many re-pokes (default 3)
 * @param pullBackGrace     pull back a requester no sooner than this after its timed-out ask was answered, so the
 *                          reply's own wake and its hooks go first (default 15 s)
 * @param pullBackMaxAge    stop trying to pull back this long after the answer (default 1 h)
 */
public record WakeSettings(
        String killSwitch,
        Strategy strategy,
        Duration busyTtl,
        Duration freshIdle,
        Duration debounce,
        int rateLimit,
        Duration rateWindow,
        Duration replyDedupeWindow,
        Duration retryFirstDelay,
        int retryFactor,
        int maxRetries,
        Duration repokeGrace,
        Duration repokeSpacing,
        int repokeCap,
        Duration pullBackGrace,
        Duration pullBackMaxAge) {

    /** {@code auto}: huddle wakes by default where the rules say so; {@code off}: only explicit wakes. */
    public enum Strategy {
        AUTO("auto"), OFF("off");

        private final String wireName;

        Strategy(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The strategy with this name (case-insensitive, trimmed), or null when there is none. */
        public static Strategy fromWireName(String s) {
            if (s == null) return null;
            String n = s.strip().toLowerCase(Locale.ROOT);
            for (Strategy st : values()) if (st.wireName.equals(n)) return st;
            return null;
        }
    }

    public static final WakeSettings DEFAULTS = new WakeSettings(null, Strategy.AUTO, Duration.ofMinutes(10),
            Duration.ofMinutes(5), Duration.ofSeconds(2), 6, Duration.ofMinutes(5), Duration.ofHours(24),
            Duration.ofSeconds(5), 3, 3, Duration.ofMinutes(4), Duration.ofMinutes(4), 3, Duration.ofSeconds(15),
            Duration.ofHours(1));

    public WakeSettings {
        Objects.requireNonNull(strategy, "strategy");
        for (Duration d : new Duration[] {busyTtl, freshIdle, debounce, rateWindow, replyDedupeWindow,
                retryFirstDelay, repokeGrace, repokeSpacing, pullBackGrace, pullBackMaxAge}) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative()) throw new IllegalArgumentException("wake durations must not be negative: " + d);
        }
        if (rateLimit < 1 || retryFactor < 1 || maxRetries < 0 || repokeCap < 0) {
            throw new IllegalArgumentException("rateLimit and retryFactor must be ≥ 1, maxRetries and repokeCap ≥ 0");
        }
    }

    public WakeSettings withKillSwitch(String source) {
        return new WakeSettings(source, strategy, busyTtl, freshIdle, debounce, rateLimit, rateWindow,
                replyDedupeWindow, retryFirstDelay, retryFactor, maxRetries, repokeGrace, repokeSpacing, repokeCap,
                pullBackGrace, pullBackMaxAge);
    }

    public WakeSettings withStrategy(Strategy s) {
        return new WakeSettings(killSwitch, s, busyTtl, freshIdle, debounce, rateLimit, rateWindow,
                replyDedupeWindow, retryFirstDelay, retryFactor, maxRetries, repokeGrace, repokeSpacing, repokeCap,
                pullBackGrace, pullBackMaxAge);
    }

    /** The gate windows of {@link WakePolicy}. */
    public WakeSettings withWindows(Duration newBusyTtl, Duration newFreshIdle, Duration newDebounce,
                                    int newRateLimit, Duration newRateWindow) {
        return new WakeSettings(killSwitch, strategy, newBusyTtl, newFreshIdle, newDebounce, newRateLimit,
                newRateWindow, replyDedupeWindow, retryFirstDelay, retryFactor, maxRetries, repokeGrace,
                repokeSpacing, repokeCap, pullBackGrace, pullBackMaxAge);
    }

    /** The timers of {@link WakeRetryPolicy}. */
    public WakeSettings withTimers(Duration newRetryFirstDelay, int newRetryFactor, int newMaxRetries,
                                   Duration newRepokeGrace, Duration newRepokeSpacing, int newRepokeCap,
                                   Duration newPullBackGrace, Duration newPullBackMaxAge) {
        return new WakeSettings(killSwitch, strategy, busyTtl, freshIdle, debounce, rateLimit, rateWindow,
                replyDedupeWindow, newRetryFirstDelay, newRetryFactor, newMaxRetries, newRepokeGrace,
                newRepokeSpacing, newRepokeCap, newPullBackGrace, newPullBackMaxAge);
    }
}
