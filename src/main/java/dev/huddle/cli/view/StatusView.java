package dev.huddle.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders the hub's {@code status_report} for a human: per project a table of agents, the waits with their age,
 * then each problem on a line starting with {@code !}; every line fits the terminal's width (80 by default).
 */
final class StatusView {
    static final int DEFAULT_WIDTH = 80;

    private StatusView() {}

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> r, TerminalStyle style, int width) {
        width = Math.max(40, width);
        StringBuilder b = new StringBuilder();
        for (Object o : (List<Object>) r.getOrDefault("projects", List.of())) {
            Map<String, Object> p = (Map<String, Object>) o;
            List<Map<String, Object>> agents = (List<Map<String, Object>>) p.getOrDefault("agents", List.of());
            line(b, style::bold, p.get("project_root") + "  (" + agents.size() + (agents.size() == 1 ? " agent)" : " agents)"), width);
            if (agents.isEmpty()) line(b, s -> s, "  no agents", width);
            else table(b, agents, style, width);

            List<Map<String, Object>> waits = (List<Map<String, Object>>) p.getOrDefault("waits", List.of());
            if (!waits.isEmpty()) {
                line(b, style::dim, "  waits", width);
                for (Map<String, Object> w : waits) {
                    // age and reasons first: a long name is what gets cut
                    String text = "    " + pad(age(w.get("age_s")), 4) + "  " + reasons(w) + (Boolean.TRUE.equals(w.get("on_cycle")) ? ", cycle" : "")
                            + ": " + w.get("from") + " → " + w.get("to");
                    line(b, Boolean.TRUE.equals(w.get("on_cycle")) ? style::red : s -> s, text, width);
                }
            }
            for (Object c : (List<Object>) p.getOrDefault("cycles", List.of())) {
                List<Object> cycle = (List<Object>) c;
                line(b, style::red, "  ! deadlock: " + String.join(" → ", cycle.stream().map(String::valueOf).toList())
                        + " → " + cycle.getFirst(), width);
            }
            if (Boolean.TRUE.equals(p.get("cycles_truncated"))) line(b, style::red, "  ! more cycles not shown", width);
            for (Map<String, Object> s : (List<Map<String, Object>>) p.getOrDefault("stranded", List.of())) {
                line(b, style::yellow, "  ! stranded: " + s.get("count") + " unread for " + s.get("agent") + " (offline), oldest "
                        + age(s.get("age_s")), width);
            }
            for (Map<String, Object> s : (List<Map<String, Object>>) p.getOrDefault("stale_obligations", List.of())) {
                line(b, style::yellow, "  ! stale obligation " + s.get("message_id") + " open " + age(s.get("age_s")) + ": "
                        + s.get("from") + " → " + s.get("to"), width);
            }
        }
        List<Object> problems = (List<Object>) r.getOrDefault("problems", List.of());
        if (problems.isEmpty()) line(b, style::green, "healthy: no wait cycle, no stranded mail, no obligation open longer than "
                + age(((Number) r.getOrDefault("max_obligation_age_ms", 0)).longValue() / 1000), width);
        else line(b, style::red, "problems: " + String.join(", ", problems.stream().map(x -> String.valueOf(x).replace('_', ' ')).toList())
                + " (--check exits " + StatusCommand.exitCode(problems) + ")", width);
        return b.toString();
    }

    private static final String[] HEADERS = {"AGENT", "CLIENT", "STATE", "UNREAD", "WAITS FOR"};
    /** Widest each column may grow (the last takes what is left). */
    private static final int[] MAX = {26, 11, 16, 6};

    @SuppressWarnings("unchecked")
    private static void table(StringBuilder b, List<Map<String, Object>> agents, TerminalStyle style, int width) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Map<String, Object> a : agents) {
            Map<String, Object> activity = (Map<String, Object>) a.getOrDefault("activity", Map.of());
            String state = Boolean.TRUE.equals(a.get("online")) ? String.valueOf(activity.getOrDefault("state", "unknown"))
                    + (activity.get("age_s") instanceof Number n ? " " + PsTable.age(n.longValue()) : "") : "offline";
            List<Object> waitsFor = (List<Object>) a.getOrDefault("waits_for", List.of());
            rows.add(new String[]{String.valueOf(a.get("label")), String.valueOf(a.get("client_type")), state,
                    String.valueOf(a.getOrDefault("unread", 0)),
                    waitsFor.isEmpty() ? "-" : String.join(", ", waitsFor.stream().map(String::valueOf).toList())});
        }
        int[] w = new int[MAX.length];
        for (String[] r : rows) for (int k = 0; k < MAX.length; k++) w[k] = Math.min(MAX[k], Math.max(w[k], r[k].length()));
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder text = new StringBuilder("  ");
            for (int k = 0; k < MAX.length; k++) {
                String cell = cut(r[k], w[k]);
                text.append(k == 3 ? " ".repeat(w[k] - cell.length()) + cell : cell + " ".repeat(w[k] - cell.length())).append("  ");
            }
            text.append(r[4]);
            boolean onCycle = i > 0 && Boolean.TRUE.equals(agents.get(i - 1).get("on_cycle"));
            line(b, i == 0 ? style::dim : onCycle ? style::red : s -> s, text.toString().stripTrailing(), width);
        }
    }

    private static String reasons(Map<String, Object> w) {
        List<String> r = new ArrayList<>();
        int asks = ((Number) w.getOrDefault("asks", 0)).intValue();
        int obligations = ((Number) w.getOrDefault("obligations", 0)).intValue();
        if (asks > 0) r.add(asks + (asks == 1 ? " ask" : " asks"));
        if (obligations > 0) r.add(obligations + (obligations == 1 ? " obligation" : " obligations"));
        return String.join(", ", r);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String age(Object seconds) {
        return seconds instanceof Number n ? PsTable.age(n.longValue()) : "?";
    }

    /** Appends one line, cut to {@code width} columns before colouring (so escapes never count). */
    private static void line(StringBuilder b, java.util.function.UnaryOperator<String> colour, String text, int width) {
        b.append(colour.apply(cut(text, width))).append('\n');
    }

    static String cut(String s, int width) {
        int cps = s.codePointCount(0, s.length());
        if (cps <= width) return s;
        return s.substring(0, s.offsetByCodePoints(0, Math.max(0, width - 1))) + "…";
    }
}
