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
                     boolean atLeast, Double targetP99, String floor) {

    static Figure measured(String id, String label, String unit, Stats stats, Double target, String note) {
        return new Figure(id, label, unit, stats, target, note, null, false, null, null);
    }

    /** A figure whose median must be at least the target (throughput). */
    static Figure atLeast(String id, String label, String unit, Stats stats, Double target, String note) {
        return new Figure(id, label, unit, stats, target, note, null, true, null, null);
    }

    static Figure skipped(String id, String label, String unit, Double target, String reason) {
        return new Figure(id, label, unit, null, target, null, reason, false, null, null);
    }

    /** The same figure, whose p99 must also be at most {@code p99} (latency targets such as "10 ms median, 20 ms p99"). */
    Figure withP99Target(double p99) {
        return new Figure(id, label, unit, stats, target, note, skipped, atLeast, p99, floor);
    }

    /**
     * The same figure, measured against the figure {@code floorId} of the same run (see {@link FloorBench}): the
     * report prints the ratio of the medians beside the time.
     */
    Figure withFloor(String floorId) {
        return new Figure(id, label, unit, stats, target, note, skipped, atLeast, targetP99, floorId);
    }

    /** This median over its floor's, or null when either is missing. */
    Double ratio(Figure floorFigure) {
        if (stats == null || floorFigure == null || floorFigure.stats() == null || floorFigure.stats().median() == 0) return null;
        return stats.median() * inMs(unit) / (floorFigure.stats().median() * inMs(floorFigure.unit()));
    }

    /** A time in this unit, in ms (a figure in ms may stand on a floor in us); 1 for every other unit. */
    private static double inMs(String unit) {
        return "us".equals(unit) ? 1e-3 : 1;
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

    Map<String, Object> toJson(Figure floorFigure) {
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
        if (floor != null) {
            m.put("floor", floor);
            if (floorFigure != null && floorFigure.stats() != null) m.put("floor_median", round(floorFigure.stats().median()));
            Double r = ratio(floorFigure);
            if (r != null) m.put("ratio_to_floor", Math.round(r * 1000) / 1000.0);
        }
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
