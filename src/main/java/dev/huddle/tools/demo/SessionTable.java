package dev.huddle.tools.demo;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.tools.Views;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@code list_project_sessions} result as a small table: who is there, and which row is the caller. */
final class SessionTable {
    private SessionTable() {}

    private static final String[] HEADERS = {"", "HANDLE", "NAME", "CLIENT", "BINDING", "CWD", "PURPOSE"};
    private static final int MAX_PURPOSE = 48;

    /**
     * @param sessions    the sessions of a {@code list_project_sessions} result
     * @param projectRoot to show each cwd relative to the project ({@code .} for the root)
     */
    static String render(List<Views.SessionView> sessions, Path projectRoot) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (Views.SessionView s : sessions) {
            rows.add(new String[]{
                    s.isMe() ? "me" : "",
                    text(s.handle()),
                    text(s.name()),
                    text(s.clientType()),
                    text(s.binding()),
                    text(relative(projectRoot, s.cwd())),
                    truncate(text(s.purpose() == null ? "" : s.purpose()))});
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

    static String relative(Path root, String cwd) {
        if (cwd == null) return "-";
        Path p = Path.of(cwd);
        if (root == null || !p.startsWith(root)) return p.toString();
        String rel = root.relativize(p).toString();
        return rel.isEmpty() ? "." : rel;
    }

    /** An agent's text, shown through the one sanitizer. */
    private static String text(String s) {
        return s == null ? "-" : Printable.line(s);
    }

    private static String truncate(String s) {
        return s.length() <= MAX_PURPOSE ? s : s.substring(0, MAX_PURPOSE - 1) + "…";
    }
}
