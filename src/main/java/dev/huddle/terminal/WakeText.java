package dev.huddle.terminal;

import java.util.regex.Pattern;

/**
 * Makes a wake text safe to type: one line (a newline would submit early in most TUIs), no escape sequences or
 * control characters (they would drive the terminal or the TUI), no bidi overrides, at most {@link #MAX_CHARS}
 * code points.
 */
public final class WakeText {
    public static final int MAX_CHARS = 1_000;

    private static final Pattern ESCAPES = Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]"                       // CSI ... final
                    + "|\u001B[\\]PX^_][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?" // OSC/DCS/SOS/PM/APC ... BEL or ST
                    + "|\u001B[ -/]*[0-~]?"                    // two-byte escapes (and a lone ESC)
                    + "|\u009B[0-?]*[ -/]*[@-~]");             // 8-bit CSI
    private static final Pattern LINE_BREAKS = Pattern.compile("[\r\n\t\u000B\u000C\u0085\u2028\u2029]");
    private static final Pattern CONTROLS = Pattern.compile("[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]");

    private WakeText() {
    }

    public static String sanitize(String text) {
        return sanitize(text, MAX_CHARS);
    }

    public static String sanitize(String text, int maxChars) {
        if (text == null) return "";
        String s = ESCAPES.matcher(text).replaceAll("");
        s = LINE_BREAKS.matcher(s).replaceAll(" ");
        s = CONTROLS.matcher(s).replaceAll("");
        s = s.replaceAll(" {2,}", " ").strip();
        if (s.codePointCount(0, s.length()) > maxChars) {
            s = s.substring(0, s.offsetByCodePoints(0, Math.max(0, maxChars - 1))).stripTrailing() + "…";
        }
        return s;
    }

    /**
     * tmux reads an argument ending in {@code ;} as a command separator even from argv (and drops the {@code ;});
     * an argument ending in {@code \;} yields a literal {@code ;}.
     */
    static String tmuxArgument(String s) {
        return s.endsWith(";") ? s.substring(0, s.length() - 1) + "\\;" : s;
    }
}
