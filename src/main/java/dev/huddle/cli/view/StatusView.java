package dev.huddle.cli.view;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.cockpit.AgentStatus;
import dev.huddle.protocol.cockpit.ProjectStatus;
import dev.huddle.protocol.cockpit.StaleObligation;
import dev.huddle.protocol.cockpit.StatusReport;
import dev.huddle.protocol.cockpit.Stranded;
import dev.huddle.protocol.cockpit.Wait;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Renders the hub's {@code status_report} for a human: per project a table of agents, the waits with their age,
 * then each problem on a line starting with {@code !}; every line fits the terminal's width (80 by default).
 */
public final class StatusView {
    public static final int DEFAULT_WIDTH = 80;

    private StatusView() {}

    /** @param checkExit what {@code --check} exits with for this report's problems (the last line says it) */
    public static String render(StatusReport r, TerminalStyle style, int width, int checkExit) {
        width = Math.max(40, width);
        StringBuilder b = new StringBuilder();
        for (ProjectStatus p : r.projects()) {
            List<AgentStatus> agents = p.agents();
            line(b, style::bold, p.projectRoot() + "  (" + agents.size() + (agents.size() == 1 ? " agent)" : " agents)"), width);
            if (agents.isEmpty()) line(b, s -> s, "  no agents", width);
            else table(b, agents, style, width);

            if (!p.waits().isEmpty()) {
                line(b, style::dim, "  waits", width);
                for (Wait w : p.waits()) {
                    // age and reasons first: a long name is what gets cut
                    String text = "    " + pad(age(w.ageS()), 4) + "  " + reasons(w) + (w.onCycle() ? ", cycle" : "")
                            + ": " + w.from() + " → " + w.to();
                    line(b, w.onCycle() ? style::red : s -> s, text, width);
                }
            }
            for (List<String> cycle : p.cycles()) {
                line(b, style::red, "  ! deadlock: " + String.join(" → ", cycle) + " → " + cycle.getFirst(), width);
            }
            if (Boolean.TRUE.equals(p.cyclesTruncated())) line(b, style::red, "  ! more cycles not shown", width);
            for (Stranded s : p.stranded()) {
                line(b, style::yellow, "  ! stranded: " + s.count() + " unread for " + s.agent() + " (offline), oldest "
                        + age(s.ageS()), width);
            }
            for (StaleObligation s : p.staleObligations()) {
                line(b, style::yellow, "  ! stale obligation " + s.messageId() + " open " + age(s.ageS()) + ": "
                        + s.from() + " → " + s.to(), width);
            }
        }
        List<String> problems = r.problems();
        if (problems.isEmpty()) line(b, style::green, "healthy: no wait cycle, no stranded mail, no obligation open longer than "
                + age(r.maxObligationAgeMs() / 1000), width);
        else line(b, style::red, "problems: " + String.join(", ", problems.stream().map(x -> x.replace('_', ' ')).toList())
                + " (--check exits " + checkExit + ")", width);
        return b.toString();
    }

    private static final String[] HEADERS = {"AGENT", "CLIENT", "STATE", "UNREAD", "WAITS FOR"};
    /** Widest each column may grow (the last takes what is left). */
    private static final int[] MAX = {26, 11, 16, 6};

    private static void table(StringBuilder b, List<AgentStatus> agents, TerminalStyle style, int width) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (AgentStatus a : agents) {
            String state = a.online() ? (a.state() == null ? "unknown" : a.state())
                    + (a.activity() != null && a.activity().ageS() != null ? " " + PsTable.age(a.activity().ageS()) : "") : "offline";
            rows.add(new String[]{String.valueOf(a.label()), String.valueOf(a.clientType()), state, String.valueOf(a.unread()),
                    a.waitsFor().isEmpty() ? "-" : String.join(", ", a.waitsFor())});
        }
        int[] w = new int[MAX.length];
        for (String[] r : rows) for (int k = 0; k < MAX.length; k++) w[k] = Math.min(MAX[k], Math.max(w[k], (r[k] = Printable.line(r[k])).length()));
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            StringBuilder text = new StringBuilder("  ");
            for (int k = 0; k < MAX.length; k++) {
                String cell = cut(r[k], w[k]);
                text.append(k == 3 ? " ".repeat(w[k] - cell.length()) + cell : cell + " ".repeat(w[k] - cell.length())).append("  ");
            }
            text.append(r[4]);
            boolean onCycle = i > 0 && agents.get(i - 1).onCycle();
            line(b, i == 0 ? style::dim : onCycle ? style::red : s -> s, text.toString().stripTrailing(), width);
            String purpose = i == 0 ? null : agents.get(i - 1).purpose();
            if (purpose != null && !purpose.isBlank()) line(b, style::dim, "    " + purpose.strip(), width); // what it says it does
        }
    }

    private static String reasons(Wait w) {
        List<String> r = new ArrayList<>();
        if (w.asks() > 0) r.add(w.asks() + (w.asks() == 1 ? " ask" : " asks"));
        if (w.obligations() > 0) r.add(w.obligations() + (w.obligations() == 1 ? " obligation" : " obligations"));
        return String.join(", ", r);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String age(Long seconds) {
        return seconds == null ? "?" : PsTable.age(seconds);
    }

    /** Appends one line, cut to {@code width} columns before colouring (so escapes never count). */
    private static void line(StringBuilder b, UnaryOperator<String> colour, String text, int width) {
        b.append(colour.apply(cut(Printable.line(text), width))).append('\n'); // names and roots came from agents
    }

    static String cut(String s, int width) {
        int cps = s.codePointCount(0, s.length());
        if (cps <= width) return s;
        return s.substring(0, s.offsetByCodePoints(0, Math.max(0, width - 1))) + "…";
    }
}
