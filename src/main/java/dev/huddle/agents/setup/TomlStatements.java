package dev.huddle.agents.setup;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements of a TOML text (table headers and key/value pairs) with their offsets: just enough structure
 * to replace or append keys in one table and to cut a table out while keeping every other byte. Strings,
 * multi-line strings, arrays and inline tables spanning lines are skipped as units, so a {@code [} inside them
 * is never taken for a header. Run only on text a real TOML parser has accepted.
 */
final class TomlStatements {
    enum Kind { TABLE, ARRAY_TABLE, KEY_VALUE }

    /**
     * @param kind    header or key/value
     * @param table   for headers their own path; for key/values the path of the table they are in
     * @param key     the dotted key of a key/value (empty for headers)
     * @param start   where the statement starts
     * @param end     where the header's closing bracket or the value ends
     * @param lineEnd where the statement's line ends (the line break, or the end of the text), after any comment
     */
    record Statement(Kind kind, List<String> table, List<String> key, int start, int end, int lineEnd) {
        boolean header() {
            return kind != Kind.KEY_VALUE;
        }

        /** The full path of the key (table + key) or of the header. */
        List<String> path() {
            List<String> p = new ArrayList<>(table);
            p.addAll(key);
            return p;
        }
    }

    private final String s;
    private final int n;
    private int i;

    private TomlStatements(String text) {
        this.s = text;
        this.n = text.length();
    }

    static List<Statement> scan(String text) {
        return new TomlStatements(text).all();
    }

    private List<Statement> all() {
        List<Statement> out = new ArrayList<>();
        List<String> table = List.of();
        while (i < n) {
            skipBlanks();
            if (i >= n) break;
            char c = s.charAt(i);
            if (c == '\n' || c == '\r') {
                i++;
            } else if (c == '#') {
                toLineEnd();
            } else if (c == '[') {
                int start = i;
                boolean array = s.startsWith("[[", i);
                i += array ? 2 : 1;
                List<String> path = key();
                skipBlanks();
                i += array ? 2 : 1;
                int end = i;
                table = List.copyOf(path);
                out.add(new Statement(array ? Kind.ARRAY_TABLE : Kind.TABLE, table, List.of(), start, end, toLineEnd()));
            } else {
                int start = i;
                List<String> key = key();
                skipBlanks();
                i++; // '='
                skipBlanks();
                value();
                out.add(new Statement(Kind.KEY_VALUE, table, List.copyOf(key), start, i, toLineEnd()));
            }
        }
        return out;
    }

    /** A dotted key: bare, "basic" or 'literal' parts separated by dots. Stops before '=' or ']'. */
    private List<String> key() {
        List<String> parts = new ArrayList<>();
        while (i < n) {
            skipBlanks();
            char c = s.charAt(i);
            if (c == '"') {
                int start = i;
                skipBasicString();
                parts.add(unescape(s.substring(start + 1, i - 1)));
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                parts.add(s.substring(i + 1, end));
                i = end + 1;
            } else {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '-')) i++;
                parts.add(s.substring(start, i));
            }
            skipBlanks();
            if (i < n && s.charAt(i) == '.') {
                i++;
            } else {
                return parts;
            }
        }
        return parts;
    }

    /** Skips one value: a string of any kind, an array or inline table (with everything nested), or a scalar. */
    private void value() {
        if (i >= n) return;
        char c = s.charAt(i);
        if (s.startsWith("\"\"\"", i)) {
            i = closing(i + 3, "\"\"\"", true);
        } else if (s.startsWith("'''", i)) {
            i = closing(i + 3, "'''", false);
        } else if (c == '"') {
            skipBasicString();
        } else if (c == '\'') {
            i = s.indexOf('\'', i + 1) + 1;
        } else if (c == '[' || c == '{') {
            int depth = 0;
            while (i < n) {
                char d = s.charAt(i);
                if (d == '[' || d == '{') {
                    depth++;
                    i++;
                } else if (d == ']' || d == '}') {
                    depth--;
                    i++;
                    if (depth == 0) return;
                } else if (d == '"' || d == '\'') {
                    value();
                } else if (d == '#') {
                    while (i < n && s.charAt(i) != '\n') i++;
                } else {
                    i++;
                }
            }
        } else {
            // numbers, booleans, dates (a date-time may hold one space): up to a comment or the line's end
            int end = i;
            while (end < n && s.charAt(end) != '\n' && s.charAt(end) != '#' && s.charAt(end) != ',' && s.charAt(end) != ']'
                    && s.charAt(end) != '}') end++;
            while (end > i && Character.isWhitespace(s.charAt(end - 1))) end--;
            i = end;
        }
    }

    /** After a multi-line string's opening delimiter: the offset after its closing one (which may take 2 more quotes). */
    private int closing(int from, String delim, boolean escapes) {
        int k = from;
        while (true) {
            int j = s.indexOf(delim, k);
            if (j < 0) return n;
            if (escapes) {
                int bs = 0;
                for (int b = j - 1; b >= from && s.charAt(b) == '\\'; b--) bs++;
                if (bs % 2 == 1) {
                    k = j + 1;
                    continue;
                }
            }
            int end = j + 3;
            for (int extra = 0; extra < 2 && end < n && s.charAt(end) == delim.charAt(0); extra++) end++;
            return end;
        }
    }

    private void skipBasicString() {
        i++;
        while (i < n && s.charAt(i) != '"') i += s.charAt(i) == '\\' ? 2 : 1;
        i++;
    }

    private void skipBlanks() {
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
    }

    /** Skips blanks and a comment to the line break; returns the offset of the break ('\r' of "\r\n") or n. */
    private int toLineEnd() {
        while (i < n && s.charAt(i) != '\n') i++;
        int end = i > 0 && i <= n && s.charAt(i - 1) == '\r' ? i - 1 : i;
        if (i < n) i++;
        return end;
    }

    private static String unescape(String body) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < body.length(); k++) {
            char c = body.charAt(k);
            if (c != '\\' || k + 1 >= body.length()) {
                b.append(c);
                continue;
            }
            char e = body.charAt(++k);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u', 'U' -> {
                    int len = e == 'u' ? 4 : 8;
                    b.appendCodePoint(Integer.parseInt(body.substring(k + 1, k + 1 + len), 16));
                    k += len;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }
}
