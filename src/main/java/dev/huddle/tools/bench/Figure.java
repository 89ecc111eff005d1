package dev.huddle.tools.bench;


import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One measured figure: its sample statistics and, where there is one, the target its median must meet (at most,
 * or at least for a rate such as messages per second), and optionally a ceiling for its p99 as well. A figure that
 * could not be measured carries the reason instead.
 */
public record Figure(String id, String label, String unit, Stats stats, Double target, String note, String skipped,
                     boolean atLeast, Double targetP99) {

    static Figure measured(String id, String label, String unit, Stats stats, Double target, String note) {
        return new Figure(id, label, unit, stats, target, note, null, false, null);
    }

    /** A figure whose median must be at least the target (throughput). */
    static Figure atLeast(String id, String label, String unit, Stats stats, Double target, String note) {
        return new Figure(id, label, unit, stats, target, note, null, true, null);
    }

    static Figure skipped(String id, String label, String unit, Double target, String reason) {
        return new Figure(id, label, unit, null, target, null, reason, false, null);
    }

    /** The same figure, whose p99 must also be at most {@code p99} (latency targets such as "10 ms median, 20 ms p99"). */
    Figure withP99Target(double p99) {
        return new Figure(id, label, unit, stats, target, note, skipped, atLeast, p99);
    }

    public Boolean meets() {
        if (stats == null || target == null) return null;
        boolean median = atLeast ? stats.median() >= target : stats.median() <= target;
        return median && (targetP99 == null || stats.p99() <= targetP99);
    }

    /** "<= 3", ">= 2000" or "<= 10, p99 <= 20". */
    public String targetText(String number) {
        return (atLeast ? ">= " : "<= ") + number + (targetP99 == null ? "" : ", p99 <= " + num(targetP99));
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("unit", unit);
        if (stats != null) {
            m.put("median", round(stats.median()));
            m.put("p90", round(stats.p90()));
            m.put("p99", round(stats.p99()));
            m.put("min", round(stats.min()));
            m.put("max", round(stats.max()));
            m.put("n", stats.n());
        }
        m.put("target", target);
        if (targetP99 != null) m.put("target_p99", targetP99);
        if (atLeast) m.put("target_is_minimum", true);
        m.put("meets_target", meets());
        if (note != null) m.put("note", note);
        if (skipped != null) m.put("skipped", skipped);
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** A figure's number as the table shows it: whole above 100, one decimal below. */
    static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
