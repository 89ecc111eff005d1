package dev.huddle.agents.setup;

import dev.huddle.agents.setup.JsoncNode.Container;
import dev.huddle.agents.setup.JsoncNode.Entry;
import dev.huddle.agents.setup.JsoncNode.Scalar;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON with comments ({@code //}, {@code /* *}{@code /}) and trailing commas, as Claude Code, Codex and Gemini CLI
 * accept in their settings files. Strict otherwise, so that a broken file is refused rather than rewritten.
 * Keeps offsets of every value, key and comma for text-preserving edits ({@link JsoncDocument}).
 */
final class JsoncParser {
    private static final Pattern NUMBER = Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

    private final String s;
    private final int n;
    private int i;

    private JsoncParser(String text) {
        this.s = text;
        this.n = text.length();
    }

    /** The top-level value, or null when the text holds only whitespace and comments. */
    static JsoncNode parse(String text) throws JsoncException {
        JsoncParser p = new JsoncParser(text);
        p.skip();
        if (p.i >= p.n) return null;
        JsoncNode root = p.value();
        p.skip();
        if (p.i < p.n) throw p.error(p.i, "unexpected " + p.describe(p.i) + " after the end of the top-level value");
        return root;
    }

    private JsoncNode value() throws JsoncException {
        skip();
        if (i >= n) throw error(i, "the file ends where a value should be");
        char c = s.charAt(i);
        if (c == '{' || c == '[') return container(c == '{');
        int start = i;
        if (c == '"') {
            String v = string(); // before reading i: the string ends where string() leaves it
            return new Scalar(start, i, v);
        }
        for (String lit : new String[] {"true", "false", "null"}) {
            if (s.startsWith(lit, i) && !identifierAt(i + lit.length())) {
                i += lit.length();
                return new Scalar(start, i, lit.equals("null") ? null : Boolean.valueOf(lit));
            }
        }
        Matcher m = NUMBER.matcher(s).region(i, n);
        if ((c == '-' || Character.isDigit(c)) && m.lookingAt() && !identifierAt(m.end()) && !charAt(m.end(), '.')) {
            i = m.end();
            String t = s.substring(start, i);
            Object v;
            try {
                v = t.matches("-?[0-9]+") ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
            } catch (NumberFormatException tooLong) {
                v = Double.parseDouble(t);
            }
            return new Scalar(start, i, v);
        }
        throw error(i, "unexpected " + describe(i) + " where a value should be"
                + (c == '\'' ? " (JSON strings use double quotes)" : ""));
    }

    private Container container(boolean object) throws JsoncException {
        int start = i++;
        char close = object ? '}' : ']';
        List<Entry> entries = new ArrayList<>();
        while (true) {
            skip();
            if (i >= n) throw error(start, "this " + (object ? "'{'" : "'['") + " is never closed (the file ends first)");
            char c = s.charAt(i);
            if (c == close) {
                i++;
                return new Container(object, start, i, List.copyOf(entries));
            }
            if (c == ',') throw error(i, "unexpected ',' (an extra comma, or a value is missing)");
            int entryStart = i;
            String key = null;
            if (object) {
                if (c != '"') {
                    throw error(i, "expected a property name in double quotes or '}', found " + describe(i));
                }
                key = string();
                skip();
                if (!charAt(i, ':')) throw error(i, "expected ':' after the property name \"" + key + "\", found " + describe(i));
                i++;
            }
            JsoncNode v = value();
            skip();
            int comma = -1;
            if (charAt(i, ',')) {
                comma = i++;
            } else if (i < n && s.charAt(i) != close) {
                throw error(i, "expected ',' or '" + close + "' after the value, found " + describe(i) + " (a missing comma?)");
            }
            entries.add(new Entry(key, entryStart, v, comma));
        }
    }

    private String string() throws JsoncException {
        int start = i++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= n) throw error(start, "this string is never closed (the file ends first)");
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c < 0x20) throw error(i - 1, "a line break or control character inside a string (strings must close on their line)");
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= n) throw error(start, "this string is never closed (the file ends first)");
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > n || !s.substring(i, i + 4).matches("[0-9A-Fa-f]{4}")) throw error(i - 2, "bad \\u escape in a string");
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw error(i - 2, "bad escape '\\" + e + "' in a string");
            }
        }
    }

    /** Skips whitespace, a byte-order mark and comments. */
    private void skip() throws JsoncException {
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\uFEFF') {
                i++;
            } else if (c == '/' && charAt(i + 1, '/')) {
                while (i < n && s.charAt(i) != '\n') i++;
            } else if (c == '/' && charAt(i + 1, '*')) {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) throw error(i, "this /* comment is never closed");
                i = end + 2;
            } else {
                return;
            }
        }
    }

    private boolean charAt(int k, char c) {
        return k < n && s.charAt(k) == c;
    }

    private boolean identifierAt(int k) {
        return k < n && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_');
    }

    private String describe(int k) {
        if (k >= n) return "the end of the file";
        char c = s.charAt(k);
        if (c == '\n' || c == '\r') return "a line break";
        int end = k + 1;
        while (end < n && end < k + 12 && identifierAt(end) && identifierAt(k)) end++;
        return "'" + s.substring(k, end) + "'";
    }

    private JsoncException error(int offset, String problem) {
        return new JsoncException(s, offset, problem);
    }
}
