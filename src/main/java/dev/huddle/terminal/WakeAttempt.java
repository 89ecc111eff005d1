package dev.huddle.terminal;

import dev.huddle.core.wake.WakeStatus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one wake did. {@code route} names the adapter ({@code tmux}, {@code wezterm}, {@code kitty}, {@code screen},
 * {@code codex_queue}, {@code none}); {@code pane} is the pane typed into or refused (null when none was resolved); {@code reason} is one
 * line for humans and logs (never the human's draft itself); {@code phaseMillis} holds the durations of the steps
 * in order (resolve, draft_check, type, gap, enter, verify, ...).
 */
public record WakeAttempt(WakeStatus status, String route, String pane, String reason, int enterPresses,
                          long startedAtMillis, long durationMillis, Map<String, Long> phaseMillis) {
    public WakeAttempt {
        phaseMillis = Collections.unmodifiableMap(new LinkedHashMap<>(phaseMillis));
    }

    public static WakeAttempt noRoute(String route, String reason) {
        return new WakeAttempt(WakeStatus.SKIPPED_NO_ROUTE, route, null, reason, 0, System.currentTimeMillis(), 0, Map.of());
    }

    /**
     * This attempt when it fired; otherwise the next route's, whose outcome, route and pane it is, with both reasons
     * ({@code <this route>: <why not>; then <next reason>}) and both routes' phases.
     */
    public WakeAttempt orElse(Supplier<WakeAttempt> next) {
        if (status.fired()) return this;
        WakeAttempt other = next.get();
        Map<String, Long> phases = new LinkedHashMap<>();
        phaseMillis.forEach((k, v) -> phases.put(route + "_" + k, v));
        phases.putAll(other.phaseMillis());
        return new WakeAttempt(other.status(), other.route(), other.pane(), route + ": " + reason + "; then " + other.reason(),
                other.enterPresses(), startedAtMillis, durationMillis + other.durationMillis(), phases);
    }
}
