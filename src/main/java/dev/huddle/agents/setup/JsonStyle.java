package dev.huddle.agents.setup;

import java.util.List;
import java.util.Map;

/**
 * How a file is formatted (indent unit, line ending), detected from its text, and values rendered in that style
 * so inserted text looks as if the file's author had written it.
 */
public record JsonStyle(String unit, String eol) {
    static final JsonStyle DEFAULT = new JsonStyle("  ", "\n");

    static JsonStyle detect(String text) {
        String eol = text.contains("\r\n") ? "\r\n" : "\n";
        int minSpaces = Integer.MAX_VALUE;
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) continue;
            if (line.charAt(0) == '\t') return new JsonStyle("\t", eol);
            int k = 0;
            while (k < line.length() && line.charAt(k) == ' ') k++;
            if (k > 0 && k < minSpaces) minSpaces = k;
        }
        return new JsonStyle(minSpaces == Integer.MAX_VALUE || minSpaces > 8 ? "  " : " ".repeat(minSpaces), eol);
    }

    /** {@code value} as JSON; multi-line objects indented from {@code indent} unless {@code compact}. */
    String render(Object value, String indent, boolean compact) {
        StringBuilder b = new StringBuilder();
        render(value, indent, compact, b);
        return b.toString();
    }

    private void render(Object value, String indent, boolean compact, StringBuilder b) {
        switch (value) {
            case null -> b.append("null");
            case String s -> b.append(quote(s));
            case Map<?, ?> m when m.isEmpty() -> b.append("{}");
            case Map<?, ?> m -> {
                String inner = indent + unit;
                b.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    b.append(first ? "" : ",").append(compact ? (first ? "" : " ") : eol + inner);
                    b.append(quote(String.valueOf(e.getKey()))).append(": ");
                    render(e.getValue(), inner, compact, b);
                    first = false;
                }
                b.append(compact ? "" : eol + indent).append('}');
            }
            case List<?> l when l.isEmpty() -> b.append("[]");
            case List<?> l -> {
                boolean inline = compact || l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
                String inner = indent + unit;
                b.append('[');
                for (int k = 0; k < l.size(); k++) {
                    b.append(k == 0 ? "" : ",").append(inline ? (k == 0 ? "" : " ") : eol + inner);
                    render(l.get(k), inner, compact, b);
                }
                b.append(inline ? "" : eol + indent).append(']');
            }
            default -> b.append(value);
        }
    }

    /** {@code s} as a JSON string literal, escaped as serde_json and JSON.stringify do (only controls, quote, backslash). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
