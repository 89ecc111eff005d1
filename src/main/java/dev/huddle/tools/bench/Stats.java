package dev.huddle.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of a sample: median, p90 and p99 (nearest rank), min, max. */
public record Stats(double median, double p90, double p99, double min, double max, int n) {

    public static Stats of(List<Double> sample) {
        if (sample.isEmpty()) throw new IllegalArgumentException("empty sample");
        List<Double> s = new ArrayList<>(sample);
        Collections.sort(s);
        int n = s.size();
        double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        return new Stats(median, rank(s, 0.90), rank(s, 0.99), s.getFirst(), s.getLast(), n);
    }

    private static double rank(List<Double> sorted, double q) {
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
