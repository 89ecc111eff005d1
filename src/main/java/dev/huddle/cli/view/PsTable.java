package dev.huddle.cli.view;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.AgentList;
import dev.huddle.protocol.tools.Views;

import java.util.ArrayList;
import java.util.List;

/** Renders the hub's {@code ps} result as a table per project. */
public final class PsTable {
    private PsTable() {}

    private static final String[] HEADERS = {"HANDLE", "NAME", "CLIENT", "STATUS", "ACTIVITY", "TERMINAL", "PURPOSE"};

    public static String render(AgentList result, TerminalStyle style) {
        StringBuilder b = new StringBuilder();
        for (AgentList.Project project : result.projects()) {
            List<AgentList.Agent> agents = project.agents();
            b.append(style.bold(Printable.line(String.valueOf(project.projectRoot()))))
                    .append(style.dim("  (" + agents.size() + (agents.size() == 1 ? " agent)" : " agents)")
                            + (project.localRoot() == null ? "" : "  here: " + Printable.line(project.localRoot())))).append('\n');
            if (agents.isEmpty()) {
                b.append("  no agents yet: start Claude Code, Codex or Gemini here with huddle registered (see README)\n");
                continue;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADERS);
            for (AgentList.Agent a : agents) rows.add(row(a));
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
            for (AgentList.Agent a : agents) {
                if (a.offlineReason() != null) b.append("  ").append(Printable.line(a.handle() + " offline: " + a.offlineReason())).append('\n');
            }
        }
        return b.toString();
    }

    private static String[] row(AgentList.Agent a) {
        Views.ActivityView activity = a.activity();
        String act = activity == null || activity.state() == null ? "unknown" : activity.state();
        if (activity != null && activity.ageS() != null) act += " " + age(activity.ageS());
        String status = a.online() ? "online" : "offline";
        if (!a.bound()) status += ",unbound";
        String[] row = {
                String.valueOf(a.handle()),
                a.name() == null ? "-" : a.name(),
                String.valueOf(a.clientType()),
                status,
                act,
                a.terminal() == null ? "-" : String.valueOf(a.terminal().label()),
                a.purpose() == null ? "" : a.purpose()};
        for (int k = 0; k < row.length; k++) row[k] = Printable.line(row[k]); // an agent wrote most of these
        return row;
    }

    /** An age in seconds as the CLI shows it: 42s, 5m, 3h, 2d. */
    public static String age(long s) {
        if (s < 60) return s + "s";
        if (s < 3600) return s / 60 + "m";
        if (s < 86400) return s / 3600 + "h";
        return s / 86400 + "d";
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }
}
