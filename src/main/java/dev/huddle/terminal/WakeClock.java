package dev.huddle.terminal;

import dev.huddle.core.wake.WakeStatus;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Times the phases of one wake and builds its {@link WakeAttempt}. */
final class WakeClock {
    private final String route;
    private final long startedAt = System.currentTimeMillis();
    private final long t0 = System.nanoTime();
    private long mark = t0;
    private final Map<String, Long> phases = new LinkedHashMap<>();
    String pane;
    int enters;

    WakeClock(String route) {
        this.route = route;
    }

    void phase(String name) {
        long now = System.nanoTime();
        phases.put(name, TimeUnit.NANOSECONDS.toMillis(now - mark));
        mark = now;
    }

    WakeAttempt done(WakeStatus status, String reason) {
        return new WakeAttempt(status, route, pane, reason, enters, startedAt,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), phases);
    }
}
