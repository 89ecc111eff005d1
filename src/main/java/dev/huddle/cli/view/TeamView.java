package dev.huddle.cli.view;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.Team;

/** What {@code huddle team status} prints: one line per machine of the shared store. */
public final class TeamView {
    private TeamView() {}

    private static final String[] HEADERS = {"MACHINE", "HUB", "VERSION", "PID", "HEARTBEAT", "NOTIFY LAG", "RTT", "SKEW", "AGENTS"};

    public static String render(Team t, TerminalStyle style) {
        if (!t.shared()) return "Local store: " + Printable.line(String.valueOf(t.store())) + "\n" + t.next() + "\n";
        StringBuilder b = new StringBuilder();
        b.append(style.bold("Shared store: " + Printable.line(String.valueOf(t.store())))).append(style.dim("  (this machine: "
                + Printable.line(String.valueOf(t.machine())) + "; a machine without a heartbeat for " + t.silentAfterS()
                + " s is silent, its agents shown offline)")).append('\n');
        if (t.machines().isEmpty()) return b.append("  no machine has beaten yet\n").toString();
        String[][] rows = new String[t.machines().size() + 1][];
        rows[0] = HEADERS;
        int i = 1;
        for (Team.Machine m : t.machines()) rows[i++] = row(m);
        int[] w = new int[HEADERS.length];
        for (String[] r : rows) for (int k = 0; k < r.length; k++) w[k] = Math.max(w[k], r[k].length());
        for (int r = 0; r < rows.length; r++) {
            StringBuilder line = new StringBuilder("  ");
            for (int k = 0; k < rows[r].length; k++) line.append(k == rows[r].length - 1 ? rows[r][k] : pad(rows[r][k], w[k] + 2));
            String text = line.toString().stripTrailing();
            b.append(r == 0 ? style.dim(text) : text).append('\n');
        }
        for (Team.Machine m : t.machines()) if (m.silent()) b.append("  ").append(Printable.line(m.reason())).append('\n');
        b.append(style.dim("  HEARTBEAT: age of the hub's last beat (server clock); NOTIFY LAG: from a commit to that hub seeing"
                + " its notification; RTT: its beat's round trip to the database; SKEW: its clock minus the server's")).append('\n');
        return b.toString();
    }

    private static String[] row(Team.Machine m) {
        String[] r = {
                m.machine() + (m.self() ? " (this)" : ""),
                m.silent() ? (m.lastHeartbeat() == null ? "no heartbeat" : m.reason() != null && m.reason().contains("stopped") ? "stopped" : "silent") : "up",
                m.version() == null ? "-" : m.version(),
                m.pid() == null ? "-" : m.pid().toString(),
                m.heartbeatAgeMs() == null ? "never" : seconds(m.heartbeatAgeMs()) + " ago",
                m.notifyLagUs() == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f ms", m.notifyLagUs() / 1000.0),
                m.rttMs() == null ? "-" : m.rttMs() + " ms",
                m.skewMs() == null ? "-" : m.skewMs() + " ms",
                m.agentsOnline() + " online / " + m.agents()};
        for (int k = 0; k < r.length; k++) r[k] = Printable.line(r[k]);
        return r;
    }

    private static String seconds(long ms) {
        return ms < 60_000 ? String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0) : PsTable.age(ms / 1000);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }
}
