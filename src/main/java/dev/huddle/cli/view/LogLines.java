package dev.huddle.cli.view;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.LogPage;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One message of a {@code log} page as a readable line (what {@code huddle log} prints; the demo shows the same):
 * {@code time  from → to  [marks]  body}; names and bodies are shown through {@link Printable}.
 */
public final class LogLines {
    private LogLines() {}

    /** Characters of the body shown when the line need not fit a terminal. */
    static final int DEFAULT_WIDTH = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss");

    /** @param width the terminal's width to fit the line in, or null: then the body is cut at 100 characters */
    public static String line(LogPage.Entry row, boolean color, Integer width) {
        return line(row, new TerminalStyle(color), width, false);
    }

    /** @param withProject the line starts with the project's directory name (a log of every project) */
    public static String line(LogPage.Entry row, TerminalStyle style, Integer width, boolean withProject) {
        String time = time(row.at());
        String who = Printable.line(row.from() + " → " + row.to());
        String marks = Printable.line("[" + String.join(" ", marks(row)) + "]");
        String project = withProject && row.projectRoot() != null ? Printable.line(String.valueOf(Path.of(row.projectRoot()).getFileName())) + "  " : "";
        String prefix = time + "  " + project + who + "  " + marks + "  ";
        int room = width == null ? DEFAULT_WIDTH : Math.max(20, width - prefix.codePointCount(0, prefix.length()));
        String body = Printable.line(firstLine(Printable.lines(row.body()), room));
        return style.dim(time) + "  " + project + style.bold(who) + "  " + style.dim(marks) + "  " + body;
    }

    /** ? for an ask, ↩ for a reply, the obligation's state, then how it was delivered (or pending). */
    public static List<String> marks(LogPage.Entry row) {
        List<String> m = new ArrayList<>();
        if (row.replyTo() != null) m.add("↩");
        else if (row.requestId() != null) m.add("?");
        if (row.obligation() != null) m.add("work " + row.obligation());
        m.add(row.delivered() == null ? "pending" : "via " + row.delivered());
        return m;
    }

    /** The body's first non-blank line, trimmed, cut to {@code room} characters (… marks anything left out). */
    public static String firstLine(String body, int room) {
        List<String> lines = body.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String first = lines.isEmpty() ? "" : lines.getFirst();
        boolean more = lines.size() > 1;
        int cps = first.codePointCount(0, first.length());
        if (cps > room || (more && cps + 2 > room)) {
            int cut = Math.max(0, room - 1);
            return first.substring(0, first.offsetByCodePoints(0, Math.min(cut, cps))).stripTrailing() + "…";
        }
        return more ? first + " …" : first;
    }

    private static String time(Instant at) {
        if (at == null) return "null";
        ZonedDateTime t = at.atZone(ZoneId.systemDefault());
        return (t.toLocalDate().equals(LocalDate.now()) ? TIME : DAY_TIME).format(t);
    }
}
