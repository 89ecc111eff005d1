package dev.huddle.agents.setup;

import dev.huddle.agents.setup.JsoncNode.Container;
import dev.huddle.agents.setup.JsoncNode.Entry;
import dev.huddle.agents.setup.JsoncNode.Scalar;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A JSONC settings file that is edited by splicing text, like jsonc-parser's {@code modify}: comments, blank
 * lines, key order, trailing commas and everything outside the edited value stay byte for byte; inserted text
 * follows the file's indentation and line endings. Immutable: each edit returns a new document.
 *
 * <p>Paths are lists of property names (String) and array indices (Integer).
 */
public final class JsoncDocument {
    private final String text;
    private final JsoncNode root;
    private final JsonStyle style;

    private JsoncDocument(String text, JsoncNode root, JsonStyle style) {
        this.text = text;
        this.root = root;
        this.style = style;
    }

    /** Parses {@code text}; an empty text (or only comments) is an empty document. */
    public static JsoncDocument parse(String text) throws JsoncException {
        return new JsoncDocument(text, JsoncParser.parse(text), JsonStyle.detect(text));
    }

    public String text() {
        return text;
    }

    /** The top-level value, or null for an empty document. */
    public JsoncNode root() {
        return root;
    }

    public Optional<JsoncNode> find(List<?> path) {
        JsoncNode cur = root;
        for (Object seg : path) {
            if (!(cur instanceof Container c)) return Optional.empty();
            Entry e = entry(c, seg);
            if (e == null) return Optional.empty();
            cur = e.value();
        }
        return Optional.ofNullable(cur);
    }

    /** The plain Java value at {@code path} (maps, lists, scalars), if there is one. */
    public Optional<Object> get(List<?> path) {
        return find(path).map(JsoncNode::toJava);
    }

    /** Sets the value at {@code path}, creating missing objects on the way (and an array for a trailing index 0). */
    public JsoncDocument set(List<?> path, Object value) throws ConfigProblem {
        if (root == null) {
            String sep = text.isBlank() || text.endsWith("\n") ? "" : style.eol();
            return edited(List.of(new Edit(text.length(), 0, sep + style.render(wrap(path, 0, value), "", false) + style.eol())));
        }
        if (path.isEmpty()) return edited(List.of(replace(root, value, "", false)));
        JsoncNode cur = root;
        for (int k = 0; k < path.size(); k++) {
            Object seg = path.get(k);
            if (!(cur instanceof Container c) || c.object() != (seg instanceof String)) throw shape(path, k, cur, seg);
            Entry e = entry(c, seg);
            if (e == null) {
                if (seg instanceof Integer idx && idx != c.entries().size()) {
                    throw new IllegalArgumentException("index " + idx + " past the end of " + describe(path.subList(0, k)));
                }
                return edited(insert(c, seg instanceof String key ? key : null, wrap(path, k + 1, value)));
            }
            if (k == path.size() - 1) return edited(List.of(replace(e.value(), value, lineIndent(e.start()), singleLine(c))));
            cur = e.value();
        }
        throw new AssertionError("unreachable");
    }

    /** Appends {@code value} to the array at {@code path}, creating it (and missing objects) when absent. */
    public JsoncDocument append(List<?> path, Object value) throws ConfigProblem {
        Optional<JsoncNode> arr = find(path);
        if (arr.isEmpty()) return set(path, List.of(value));
        if (!(arr.get() instanceof Container c) || c.object()) throw shape(path, path.size(), arr.get(), 0);
        List<Object> p = new ArrayList<>(path);
        p.add(c.entries().size());
        return set(p, value);
    }

    /** Removes the property or element at {@code path}, with its comma and, when it had them alone, its lines. */
    public JsoncDocument remove(List<?> path) {
        if (path.isEmpty()) throw new IllegalArgumentException("cannot remove the top-level value");
        Optional<JsoncNode> parent = find(path.subList(0, path.size() - 1));
        if (parent.isEmpty() || !(parent.get() instanceof Container c)) return this;
        Entry e = entry(c, path.getLast());
        if (e == null) return this;
        int idx = c.indexOf(e);
        int open = c.start();
        int close = c.end() - 1;
        int end = e.comma() >= 0 ? e.comma() + 1 : e.value().end();
        if (c.entries().size() == 1 && !hasComment(open + 1, e.start()) && !hasComment(end, close)) {
            return edited(List.of(new Edit(open + 1, close - open - 1, "")));
        }
        int start = e.start();
        int lineStart = text.lastIndexOf('\n', start - 1) + 1;
        int eol = restOfLineBlank(end);
        boolean ownLines = text.substring(lineStart, start).isBlank() && eol >= 0;
        List<Edit> edits = new ArrayList<>();
        if (ownLines) {
            if (e.comma() < 0 && idx > 0) edits.add(new Edit(c.entries().get(idx - 1).comma(), 1, ""));
            int after = eol >= text.length() ? eol : text.startsWith("\r\n", eol) ? eol + 2 : eol + 1;
            edits.add(new Edit(lineStart, after - lineStart, ""));
        } else if (e.comma() < 0 && idx > 0) {
            int prevComma = c.entries().get(idx - 1).comma();
            edits.add(new Edit(prevComma, end - prevComma, ""));
        } else {
            while (end < close && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) end++;
            edits.add(new Edit(start, end - start, ""));
        }
        return edited(edits);
    }

    // ---------------------------------------------------------------- edits

    private record Edit(int offset, int length, String content) {}

    private JsoncDocument edited(List<Edit> edits) {
        StringBuilder b = new StringBuilder(text);
        // From the end backwards; of two insertions at one offset, the one listed first ends up first.
        List<Edit> order = new ArrayList<>(edits.reversed());
        order.sort(Comparator.comparingInt(Edit::offset).reversed());
        order.forEach(ed -> b.replace(ed.offset(), ed.offset() + ed.length(), ed.content()));
        try {
            return new JsoncDocument(b.toString(), JsoncParser.parse(b.toString()), style);
        } catch (JsoncException e) {
            throw new IllegalStateException("an edit produced invalid JSON (" + e.getMessage() + "); this is a huddle bug", e);
        }
    }

    private Edit replace(JsoncNode node, Object value, String indent, boolean compact) {
        return new Edit(node.start(), node.end() - node.start(), style.render(value, indent, compact));
    }

    private List<Edit> insert(Container c, String key, Object value) {
        int open = c.start();
        int close = c.end() - 1;
        String outer = lineIndent(open);
        List<Entry> es = c.entries();
        if (es.isEmpty()) {
            String ci = outer + style.unit();
            String el = element(key, value, ci, false);
            if (text.substring(open + 1, close).isBlank()) {
                return List.of(new Edit(open + 1, close - open - 1, style.eol() + ci + el + style.eol() + outer));
            }
            int lineStart = text.lastIndexOf('\n', close - 1) + 1;
            if (text.substring(lineStart, close).isBlank()) return List.of(new Edit(lineStart, 0, ci + el + style.eol()));
            return List.of(new Edit(close, 0, style.eol() + ci + el + style.eol() + outer));
        }
        Entry last = es.getLast();
        if (singleLine(c)) {
            String el = element(key, value, outer, true);
            if (last.comma() >= 0) return List.of(new Edit(last.comma() + 1, 0, " " + el + ","));
            return List.of(new Edit(last.value().end(), 0, ", " + el));
        }
        String ci = lineIndent(es.getFirst().start());
        String el = element(key, value, ci, false);
        int anchor = last.comma() >= 0 ? last.comma() + 1 : last.value().end();
        int eol = restOfLineBlank(anchor);
        int pos = eol >= 0 ? eol : anchor;
        if (last.comma() >= 0) return List.of(new Edit(pos, 0, style.eol() + ci + el + ","));
        return List.of(new Edit(last.value().end(), 0, ","), new Edit(pos, 0, style.eol() + ci + el));
    }

    private String element(String key, Object value, String indent, boolean compact) {
        return (key == null ? "" : JsonStyle.quote(key) + ": ") + style.render(value, indent, compact);
    }

    // ---------------------------------------------------------------- text helpers

    /** A container written on one line: nothing but spaces between its opening bracket and its first entry. */
    private boolean singleLine(Container c) {
        int first = c.entries().isEmpty() ? c.end() - 1 : c.entries().getFirst().start();
        return !text.substring(c.start(), first).contains("\n");
    }

    /** The whitespace that starts the line containing {@code offset}. */
    private String lineIndent(int offset) {
        int k = text.lastIndexOf('\n', offset - 1) + 1;
        int j = k;
        while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) j++;
        return text.substring(k, j);
    }

    /**
     * If the rest of the line from {@code from} holds only blanks and comments, where the line break is (or the
     * end of the text); -1 otherwise.
     */
    private int restOfLineBlank(int from) {
        int q = from;
        int n = text.length();
        while (q < n) {
            char ch = text.charAt(q);
            if (ch == ' ' || ch == '\t') {
                q++;
            } else if (ch == '\n' || (ch == '\r' && text.startsWith("\r\n", q))) {
                return q;
            } else if (text.startsWith("//", q)) {
                int nl = text.indexOf('\n', q);
                if (nl < 0) return n;
                return nl > 0 && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            } else if (text.startsWith("/*", q)) {
                int end = text.indexOf("*/", q + 2);
                if (end < 0 || text.substring(q, end).contains("\n")) return -1;
                q = end + 2;
            } else {
                return -1;
            }
        }
        return n;
    }

    private boolean hasComment(int from, int to) {
        return from < to && text.substring(from, to).contains("/");
    }

    private static Entry entry(Container c, Object seg) {
        if (seg instanceof String key) return c.object() ? c.member(key) : null;
        if (seg instanceof Integer idx) return !c.object() && idx >= 0 && idx < c.entries().size() ? c.entries().get(idx) : null;
        throw new IllegalArgumentException("path segments are String or Integer, not " + seg);
    }

    private static Object wrap(List<?> path, int from, Object value) {
        Object v = value;
        for (int k = path.size() - 1; k >= from; k--) {
            Object seg = path.get(k);
            if (seg instanceof String key) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put(key, v);
                v = m;
            } else if (Integer.valueOf(0).equals(seg)) {
                List<Object> l = new ArrayList<>();
                l.add(v);
                v = l;
            } else {
                throw new IllegalArgumentException("cannot create index " + seg + " of a new array");
            }
        }
        return v;
    }

    private static ConfigProblem shape(List<?> path, int k, JsoncNode found, Object seg) {
        String what = switch (found) {
            case Container c -> c.object() ? "an object" : "an array";
            case Scalar s when s.value() == null -> "null";
            case Scalar s -> s.value() instanceof String ? "a string" : s.value() instanceof Boolean ? "a boolean" : "a number";
        };
        String expected = seg instanceof String ? "an object" : "an array";
        String where = k == 0 ? "the top level" : "\"" + describe(path.subList(0, k)) + "\"";
        return new ConfigProblem(where + " is " + what + " where " + expected + " is expected");
    }

    /** {@code hooks.PreToolUse[0].hooks} */
    static String describe(List<?> path) {
        StringBuilder b = new StringBuilder();
        for (Object seg : path) {
            if (seg instanceof Integer i) b.append('[').append(i).append(']');
            else b.append(b.isEmpty() ? "" : ".").append(seg);
        }
        return b.toString();
    }
}
