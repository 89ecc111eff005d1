package dev.huddle.agents.transcript;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Tool calls on one line: the argument that says what the call did, and the start of its result. */
public final class ToolText {
    private ToolText() {}

    static final int MAX_INPUT = 200;
    static final int MAX_RESULT = 300;
    /** The arguments that say what a call did, in the order they are looked for (Bash, Read/Edit, Grep, WebFetch, ...). */
    private static final List<String> MAIN_ARGUMENTS = List.of("command", "cmd", "file_path", "path", "absolute_path",
            "pattern", "query", "url", "prompt", "description", "subject");

    /** The main argument of a call, or its arguments as compact JSON. */
    public static String input(JsonNode args) {
        if (args == null || args.isNull() || args.isMissingNode()) return "";
        if (args.isString()) return input(args.stringValue());
        if (args.isObject()) {
            for (String key : MAIN_ARGUMENTS) {
                JsonNode v = args.get(key);
                if (v == null) continue;
                if (v.isString() && !v.stringValue().isBlank()) return oneLine(v.stringValue(), MAX_INPUT);
                if (v.isArray() && !v.isEmpty()) {
                    List<String> parts = new ArrayList<>();
                    for (JsonNode p : v) parts.add(p.isString() ? p.stringValue() : TranscriptJson.compact(p));
                    return oneLine(String.join(" ", parts), MAX_INPUT);
                }
            }
        }
        return oneLine(TranscriptJson.compact(args), MAX_INPUT);
    }

    /** Arguments that arrive as a JSON string (Codex {@code function_call.arguments}) or as free text. */
    public static String input(String raw) {
        if (raw == null) return "";
        String s = raw.strip();
        if (s.startsWith("{")) {
            JsonNode n = TranscriptJson.object(s);
            if (n != null) return input(n);
        }
        return oneLine(s, MAX_INPUT);
    }

    public static String result(String text) {
        return text == null ? null : oneLine(text, MAX_RESULT);
    }

    /** The text of a result that is a string, an array of text blocks, or an object with content/output/text. */
    public static String resultText(JsonNode r) {
        if (r == null || r.isNull() || r.isMissingNode()) return null;
        if (r.isString()) return r.stringValue();
        if (r.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode b : r) {
                String t = resultText(b);
                if (t != null && !t.isBlank()) parts.add(t);
            }
            return String.join("\n", parts);
        }
        if (r.isObject()) {
            for (String key : List.of("text", "output", "content", "stdout", "result")) {
                JsonNode v = r.get(key);
                if (v != null && !v.isNull()) {
                    String t = resultText(v);
                    if (t != null) return t;
                }
            }
            if ("image".equals(TranscriptJson.str(r, "type")) || r.has("inlineData")) return "[image]";
            return TranscriptJson.compact(r);
        }
        return r.asString();
    }

    /** Whitespace runs become one space; longer than {@code max} characters is cut with an ellipsis. */
    static String oneLine(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 16));
        boolean space = false;
        for (int i = 0; i < s.length() && b.length() <= max; i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = b.length() > 0;
            } else {
                if (space) b.append(' ');
                space = false;
                b.append(c);
            }
        }
        if (b.length() > max) {
            int cut = max;
            if (Character.isHighSurrogate(b.charAt(cut - 1))) cut--;
            b.setLength(cut);
            b.append('…');
        }
        return b.toString();
    }
}
