package dev.huddle.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders the hub's {@code ps} result as a table per project. */
final class PsTable {
    private PsTable() {}

    private static final String[] HEADERS = {"HANDLE", "NAME", "CLIENT", "STATUS", "ACTIVITY", "TERMINAL", "PURPOSE"};

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> result, TerminalStyle style) {
        StringBuilder b = new StringBuilder();
        List<Object> projects = (List<Object>) result.getOrDefault("projects", List.of());
        for (Object p : projects) {
            Map<String, Object> project = (Map<String, Object>) p;
            List<Object> agents = (List<Object>) project.getOrDefault("agents", List.of());
            b.append(style.bold(String.valueOf(project.get("project_root"))))
                    .append(style.dim("  (" + agents.size() + (agents.size() == 1 ? " agent)" : " agents)"))).append('\n');
            if (agents.isEmpty()) {
                b.append("  no agents yet: start Claude Code, Codex or Gemini here with huddle registered (see README)\n");
                continue;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADERS);
            for (Object o : agents) rows.add(row((Map<String, Object>) o));
            int[] w = new int[HEADERS.length];
            for (String[] r : rows) for (int k = 0; k < r.length; k++) w[k] = Math.max(w[k], r[k].length());
            for (int i = 0; i < rows.size(); i++) {
                StringBuilder line = new StringBuilder("  ");
                String[] r = rows.get(i);
                for (int k = 0; k < r.length; k++) {
                    line.append(k == r.length - 1 ? r[k] : pad(r[k], w[k] + 2));
                }
                String text = line.toString().stripTrailing();
                b.append(i == 0 ? style.dim(text) : text).append('\n');
            }
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static String[] row(Map<String, Object> a) {
        Map<String, Object> activity = (Map<String, Object>) a.getOrDefault("activity", Map.of());
        Map<String, Object> terminal = (Map<String, Object>) a.get("terminal");
        String act = String.valueOf(activity.getOrDefault("state", "unknown"));
        if (activity.get("age_s") instanceof Number n) act += " " + age(n.longValue());
        String status = Boolean.TRUE.equals(a.get("online")) ? "online" : "offline";
        if (!Boolean.TRUE.equals(a.get("bound"))) status += ",unbound";
        return new String[]{
                String.valueOf(a.get("handle")),
                a.get("name") == null ? "-" : String.valueOf(a.get("name")),
                String.valueOf(a.get("client_type")),
                status,
                act,
                terminal == null ? "-" : String.valueOf(terminal.get("label")),
                a.get("purpose") == null ? "" : String.valueOf(a.get("purpose"))};
    }

    static String age(long s) {
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        if (s < 86400) return s / 3600 + "h";
        return s / 86400 + "d";
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }
}
