package dev.huddle.protocol;

/**
 * The one sanitizer for text that huddle shows a human but did not write itself: bodies, names, purposes, transcript
 * text, tool results, pane captures, anything a peer or an outsider could plant. A terminal obeys escape sequences
 * (ESC[2J clears the screen, OSC 0 sets the title, OSC 52 writes the clipboard, OSC 8 makes links), C1 controls
 * (U+0080–U+009F: CSI, OSC and ST in one byte for terminals that take them) and bidi controls (which reorder what
 * follows them: "Trojan Source"); this class shows each of them visibly instead: C0 controls in caret notation
 * ({@code ^[} for ESC, {@code ^?} for DEL), the others as {@code <U+202E>}. Machine output ({@code --json}) stays
 * exact: the JSON writer escapes the same characters as {@code \\uXXXX} ({@link #mustEscapeInJson}).
 */
public final class Printable {
    private Printable() {}

    /** Text meant for one line (a name, a purpose, the first line of a body): tabs become a space, newlines show. */
    public static String line(String s) {
        return clean(s, false);
    }

    /** Text shown as lines (a transcript message, a tool result, a pane): newlines and tabs stay, CR before LF goes. */
    public static String lines(String s) {
        return clean(s, true);
    }

    /** Whether the code point would act on the terminal, or reorder the text around it, if printed as it is. */
    public static boolean isUnsafe(int cp) {
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || isBidiControl(cp) || cp == 0x2028 || cp == 0x2029
                || Character.isSurrogate((char) cp) && cp <= 0xffff;
    }

    /** The bidi formatting characters: embeddings and overrides, isolates, and the implicit marks. */
    static boolean isBidiControl(int cp) {
        return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0x061c;
    }

    /** For the JSON writer: a character written as {@code \\uXXXX}, so JSON on a terminal is as harmless as text. */
    public static boolean mustEscapeInJson(char c) {
        return c < 0x20 || (c >= 0x7f && (c <= 0x9f || isBidiControl(c) || c == 0x2028 || c == 0x2029));
    }

    private static String clean(String s, boolean multiLine) {
        if (s == null) return "";
        int i = 0;
        while (i < s.length()) { // fast path: nothing to do for ordinary text
            int cp = s.codePointAt(i);
            if (isUnsafe(cp) && !(multiLine && (cp == '\n' || cp == '\t'))) break;
            i += Character.charCount(cp);
        }
        if (i == s.length()) return s;
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (!isUnsafe(cp)) {
                b.appendCodePoint(cp);
            } else if (cp == '\t') {
                b.append(multiLine ? "\t" : " ");
            } else if (cp == '\n' && multiLine) {
                b.append('\n');
            } else if (cp == '\r' && multiLine && next < s.length() && s.charAt(next) == '\n') {
                // a CRLF line end is a line end
            } else {
                visible(b, cp);
            }
            i = next;
        }
        return b.toString();
    }

    private static void visible(StringBuilder b, int cp) {
        if (cp < 0x20) b.append('^').append((char) (cp + 0x40));
        else if (cp == 0x7f) b.append("^?");
        else b.append(String.format("<U+%04X>", cp));
    }
}
