package dev.huddle.cli.doctor;

import dev.huddle.agents.doctor.Check;
import dev.huddle.protocol.Printable;

import java.util.List;

/** Prints the checks for people (one aligned line each, a hint under problems) or as JSON. */
public final class DoctorReport {
    private DoctorReport() {}

    public static boolean ok(List<Check> checks) {
        return checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
    }

    public static String text(List<Check> checks, boolean color) {
        int w = checks.stream().mapToInt(c -> c.name().length()).max().orElse(8) + 2;
        StringBuilder b = new StringBuilder();
        for (Check c : checks) {
            String label = String.format("%-5s", c.status().label());
            String styled = switch (c.status()) {
                case OK -> paint(color, "32", label);
                case WARN -> paint(color, "33", label);
                case FAIL -> paint(color, "1;31", label);
            };
            b.append("  ").append(styled).append(' ').append(pad(c.name(), w)).append(Printable.line(c.detail())).append('\n'); // may quote the hub or a file
            if (c.hint() != null && c.status() != Check.Status.OK) {
                b.append("  ").append(" ".repeat(6 + w)).append(paint(color, "2", "→ " + Printable.line(c.hint()))).append('\n');
            }
        }
        long warn = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
        long fail = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
        b.append('\n').append(checks.size()).append(" checks: ").append(checks.size() - warn - fail).append(" ok, ")
                .append(warn).append(warn == 1 ? " warning, " : " warnings, ").append(fail).append(fail == 1 ? " problem" : " problems")
                .append('\n');
        return b.toString();
    }

    /** What {@code --json} prints: {@code {"ok":bool,"checks":[…]}}. */
    public record Report(boolean ok, List<Check> checks) {}

    public static Report json(List<Check> checks) {
        return new Report(ok(checks), checks);
    }

    private static String paint(boolean color, String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s + " " : s + " ".repeat(w - s.length());
    }
}
