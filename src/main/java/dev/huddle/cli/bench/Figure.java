package dev.huddle.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured figure: its sample statistics and, where there is one, the target its median must meet (at most).
 * A figure that could not be measured carries the reason instead.
 */
public record Figure(String id, String label, String unit, Stats stats, Double target, String note, String skipped) {

    static Figure measured(String id, String label, String unit, Stats stats, Double target, String note) {
        return new Figure(id, label, unit, stats, target, note, null);
    }

    static Figure skipped(String id, String label, String unit, Double target, String reason) {
        return new Figure(id, label, unit, null, target, null, reason);
    }

    public Boolean meets() {
        return stats == null || target == null ? null : stats.median() <= target;
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
        m.put("meets_target", meets());
        if (note != null) m.put("note", note);
        if (skipped != null) m.put("skipped", skipped);
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
