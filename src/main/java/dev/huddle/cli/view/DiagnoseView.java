package dev.huddle.cli.view;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.Diagnosis;

/** The report as {@code huddle diagnose} prints it (the dashboard's diagnose view shows the same). */
public final class DiagnoseView {
    private DiagnoseView() {}

    public static String render(Diagnosis r) {
        StringBuilder b = new StringBuilder();
        b.append("Agents (").append(r.agents().size()).append(")").append('\n');
        for (Diagnosis.Agent a : r.agents()) {
            b.append(Printable.line(String.format("  %-9s %-12s %-12s %-8s hooks %-3s transcript %-3s terminal %s%s", a.handle(),
                    a.name() == null ? "-" : a.name(), a.clientType(), a.online() ? "online" : "offline",
                    yes(a.hooks()), yes(a.transcriptKnown()), a.terminal(), Boolean.TRUE.equals(a.rewakeArmed()) ? "  rewake armed" : ""))).append('\n');
        }
        b.append('\n');
        b.append("Wakes since ").append(r.since()).append(r.wakeSummary().isEmpty() ? ": none" : "").append('\n');
        for (Diagnosis.WakeSummary s : r.wakeSummary()) {
            b.append(Printable.line(String.format("  %-13s %-12s %-22s %5s%s", s.route(), s.clientType(), s.status(), s.count(),
                    s.avgMs() == null ? "" : "   avg " + s.avgMs() + " ms, max " + s.maxMs() + " ms"))).append('\n');
        }
        if (!r.recentWakes().isEmpty()) {
            b.append('\n');
            b.append("Latest wakes").append('\n');
            for (Diagnosis.Wake w : r.recentWakes()) {
                b.append(Printable.line("  " + w.at() + "  " + w.target() + " (" + w.clientType() + ")  " + w.route() + "  " + w.status()
                        + (w.reason() == null ? "" : ": " + w.reason()))).append('\n');
            }
        }
        return b.toString();
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }
}
