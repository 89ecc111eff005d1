package dev.huddle.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured figure: its sample statistics and, where there is one, the target its median must meet (at most,
 * or at least for a rate such as messages per second). A figure that could not be measured carries the reason
 * instead.
 */
public record Figure(String id, String label, String unit, Stats stats, Double target, String note, String skipped,
                     boolean atLeast) {

    static Figure measured(String id, String label, String unit, Stats stats, Double target, String note) {
        return new Figure(id, label, unit, stats, target, note, null, false);
    }

    /** A figure whose median must be at least the target (throughput). */
    static Figure atLeast(String id, String label, String unit, Stats stats, Double target, String note) {
        return new Figure(id, label, unit, stats, target, note, null, true);
    }

    static Figure skipped(String id, String label, String unit, Double target, String reason) {
        return new Figure(id, label, unit, null, target, null, reason, false);
    }

    public Boolean meets() {
        return stats == null || target == null ? null : atLeast ? stats.median() >= target : stats.median() <= target;
    }

    /** "<= 3" or ">= 2000". */
    String targetText(String number) {
        return (atLeast ? ">= " : "<= ") + number;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("unit", unit);
        if (stats != null) {
            m.put("median", round(stats.median()));
            m.put("p90", round(stats.p90()));
            m.put("min", round(stats.min()));
            m.put("max", round(stats.max()));
            m.put("n", stats.n());
        }
        m.put("target", target);
        if (atLeast) m.put("target_is_minimum", true);
        m.put("meets_target", meets());
        if (note != null) m.put("note", note);
        if (skipped != null) m.put("skipped", skipped);
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
