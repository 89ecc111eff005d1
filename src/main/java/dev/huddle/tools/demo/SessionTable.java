package dev.huddle.tools.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a {@code list_project_sessions} result as a small table: who is there, and which row is the caller. */
final class SessionTable {
    private SessionTable() {}

    private static final String[] HEADERS = {"", "HANDLE", "NAME", "CLIENT", "BINDING", "CWD", "PURPOSE"};
    private static final int MAX_PURPOSE = 48;

    /**
     * @param result the tool result ({@code sessions}: list of session views)
     * @param projectRoot to show each cwd relative to the project ({@code .} for the root)
     */
    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> result, Path projectRoot) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Object o : (List<Object>) result.getOrDefault("sessions", List.of())) {
            Map<String, Object> s = (Map<String, Object>) o;
            rows.add(new String[]{
                    Boolean.TRUE.equals(s.get("is_me")) ? "me" : "",
                    text(s.get("handle")),
                    text(s.get("name")),
                    text(s.get("client_type")),
                    text(s.get("binding")),
                    relative(projectRoot, s.get("cwd")),
                    truncate(s.get("purpose") == null ? "" : String.valueOf(s.get("purpose")))});
        }
        int[] w = new int[HEADERS.length];
        for (String[] r : rows) for (int k = 0; k < r.length; k++) w[k] = Math.max(w[k], r[k].length());
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < r.length; k++) {
                line.append(k == r.length - 1 ? r[k] : r[k] + " ".repeat(w[k] - r[k].length() + 2));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    static String relative(Path root, Object cwd) {
        if (cwd == null) return "-";
        Path p = Path.of(String.valueOf(cwd));
        if (root == null || !p.startsWith(root)) return p.toString();
        String rel = root.relativize(p).toString();
        return rel.isEmpty() ? "." : rel;
    }

    private static String text(Object o) {
        return o == null ? "-" : String.valueOf(o);
    }

    private static String truncate(String s) {
        return s.length() <= MAX_PURPOSE ? s : s.substring(0, MAX_PURPOSE - 1) + "…";
    }
}
