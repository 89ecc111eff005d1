package dev.huddle.cli.watch;

import dev.huddle.cli.view.PsTable;
import dev.huddle.protocol.Printable;
import org.jline.utils.WCWidth;

import java.time.Duration;
import java.time.Instant;

/** Display-column arithmetic for the dashboard: cutting, padding, and keeping terminal controls out of hub text. */
final class Text {
    private Text() {}

    /**
     * Hub text on one line, through huddle's one sanitizer ({@link Printable#line}): every control character and bidi
     * control is shown visibly, so nothing an agent wrote can move the cursor, change the terminal or reorder the
     * line. Null becomes the empty string.
     */
    public static String clean(String s) {
        return Printable.line(s);
    }

    /** The first non-blank line of a text, cleaned; with " …" when more lines follow. */
    public static String firstLine(String s) {
        if (s == null) return "";
        String t = Printable.lines(s).strip();
        int nl = t.indexOf('\n');
        if (nl < 0) return clean(t);
        String first = t.substring(0, nl).strip();
        return clean(first) + " …";
    }

    /** Display columns of a (cleaned) text: wide characters count 2, combining marks 0. */
    public static int cols(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            n += Math.max(0, WCWidth.wcwidth(cp));
            i += Character.charCount(cp);
        }
        return n;
    }

    /** The text cut to at most {@code w} columns; a cut text ends with "…". */
    public static String fit(String s, int w) {
        if (w <= 0) return "";
        int total = 0;
        int i = 0;
        int cutAt = -1; // where the text must end to leave room for "…"
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int cw = Math.max(0, WCWidth.wcwidth(cp));
            if (total + cw > w - 1 && cutAt < 0) cutAt = i;
            if (total + cw > w) return s.substring(0, cutAt) + "…";
            total += cw;
            i += Character.charCount(cp);
        }
        return s;
    }

    /** Cut and padded with spaces to exactly {@code w} columns. */
    public static String pad(String s, int w) {
        String f = fit(s, w);
        int c = cols(f);
        return c >= w ? f : f + " ".repeat(w - c);
    }

    /** Cut and padded on the left to exactly {@code w} columns (numbers). */
    public static String padLeft(String s, int w) {
        String f = fit(s, w);
        int c = cols(f);
        return c >= w ? f : " ".repeat(w - c) + f;
    }

    /** An age in seconds as the CLI shows it: 42s, 5m, 3h, 2d. */
    public static String age(long s) {
        return PsTable.age(Math.max(0, s));
    }

    /** Seconds from {@code t} to {@code now}, never negative; 0 for an unknown time. */
    static long seconds(Instant t, Instant now) {
        return t == null ? 0 : Math.max(0, Duration.between(t, now).toSeconds());
    }
}
