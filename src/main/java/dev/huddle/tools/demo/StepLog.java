package dev.huddle.tools.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one demo step reports: detail lines for people, results for the {@code --json} transcript. */
final class StepLog {
    private final List<String> lines = new ArrayList<>();
    private final Map<String, Object> results = new LinkedHashMap<>();

    /** A detail line (printed indented under the step's title). */
    void line(String text) {
        text.lines().forEach(lines::add);
    }

    /** A result for the machine-readable transcript. */
    void result(String key, Object value) {
        results.put(key, value);
    }

    List<String> lines() {
        return lines;
    }

    Map<String, Object> results() {
        return results;
    }
}
