package dev.huddle.agents.setup;

import dev.huddle.agents.setup.TomlStatements.Kind;
import dev.huddle.agents.setup.TomlStatements.Statement;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.toml.TomlMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A TOML file (Codex's {@code config.toml}) edited one table at a time: keys of a {@code [a.b]} table are replaced
 * in place or appended to it, a missing table is appended at the end, and a table is cut out with its
 * {@code [a.b.*]} subtables. Every other byte stays. The text is parsed by a real TOML parser before (a broken
 * file is refused) and after each edit, and the edit must leave everything outside the table unchanged.
 */
public final class TomlDocument {
    private static final TomlMapper TOML = TomlMapper.builder().build();
    private static final Pattern BARE_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private final String text;
    private final ObjectNode tree;
    private final String eol;

    private TomlDocument(String text, ObjectNode tree) {
        this.text = text;
        this.tree = tree;
        this.eol = text.contains("\r\n") ? "\r\n" : "\n";
    }

    /** Parses {@code text}; {@link ConfigProblem} says where and what when it is not valid TOML. */
    public static TomlDocument parse(String text) throws ConfigProblem {
        return new TomlDocument(text, read(text));
    }

    private static ObjectNode read(String text) throws ConfigProblem {
        try {
            JsonNode n = text.isBlank() ? TOML.createObjectNode() : TOML.readTree(text);
            return n instanceof ObjectNode o ? o : TOML.createObjectNode();
        } catch (JacksonException e) {
            String where = e.getLocation() != null && e.getLocation().getLineNr() > 0
                    ? "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " : "";
            throw new ConfigProblem(where + "not valid TOML (" + e.getOriginalMessage().lines().findFirst().orElse("?") + ")");
        }
    }

    public String text() {
        return text;
    }

    /** The parsed content, as JSON nodes. */
    public ObjectNode tree() {
        return tree;
    }

    public JsonNode at(List<String> path) {
        JsonNode n = tree;
        for (String p : path) n = n.path(p);
        return n;
    }

    /**
     * Why the table at {@code path} cannot be edited as a {@code [table]}: it (or a parent) is written as an
     * inline table or with dotted keys, or as an array of tables. Null when it is editable (or absent).
     */
    public String definedOtherwise(List<String> path) {
        for (Statement st : TomlStatements.scan(text)) {
            List<String> full = st.path();
            boolean under = startsWith(full, path) && !startsWith(st.table(), path) && st.kind() == Kind.KEY_VALUE;
            boolean above = st.kind() == Kind.KEY_VALUE && startsWith(path, full) && full.size() < path.size();
            if (under || above) {
                return "line " + line(st.start()) + " defines " + String.join(".", full) + " with "
                        + (above ? "an inline table" : "dotted keys or an inline table") + ", not as a [" + String.join(".", path) + "] table";
            }
            if (st.kind() == Kind.ARRAY_TABLE && startsWith(full, path)) {
                return "line " + line(st.start()) + " makes " + String.join(".", full) + " an array of tables ([[...]])";
            }
        }
        return null;
    }

    /** Whether a {@code [path]} header exists. */
    public boolean hasTable(List<String> path) {
        return TomlStatements.scan(text).stream().anyMatch(st -> st.kind() == Kind.TABLE && st.table().equals(path));
    }

    /** Sets {@code values} (in this order) in the table at {@code path}, replacing those present and appending the rest. */
    public TomlDocument setKeys(List<String> path, Map<String, Object> values) throws ConfigProblem {
        List<Statement> all = TomlStatements.scan(text);
        Statement header = all.stream().filter(st -> st.kind() == Kind.TABLE && st.table().equals(path)).findFirst().orElse(null);
        StringBuilder b = new StringBuilder(text);
        if (header == null) {
            StringBuilder t = new StringBuilder();
            if (!text.isEmpty() && !text.endsWith("\n")) t.append(eol);
            if (!text.isBlank()) t.append(eol);
            t.append('[').append(dotted(path)).append(']').append(eol);
            values.forEach((k, v) -> t.append(key(k)).append(" = ").append(render(v)).append(eol));
            b.append(t);
        } else {
            List<Statement> section = section(all, header);
            record Edit(int start, int end, String text) {}
            List<Edit> edits = new ArrayList<>();
            StringBuilder appended = new StringBuilder();
            for (var e : values.entrySet()) {
                String line = key(e.getKey()) + " = " + render(e.getValue());
                Statement st = section.stream().filter(x -> x.key().equals(List.of(e.getKey()))).findFirst().orElse(null);
                if (st == null) appended.append(eol).append(line);
                else if (!text.substring(st.start(), st.end()).equals(line)) edits.add(new Edit(st.start(), st.end(), line));
            }
            Statement last = section.isEmpty() ? header : section.getLast();
            if (!appended.isEmpty()) edits.add(new Edit(last.lineEnd(), last.lineEnd(), appended.toString()));
            edits.sort(Comparator.comparingInt(Edit::start).reversed());
            for (Edit ed : edits) b.replace(ed.start(), ed.end(), ed.text());
        }
        return checked(b.toString(), path);
    }

    /** Removes the table at {@code path} and its subtables; unchanged when there is none. */
    public TomlDocument removeTable(List<String> path) throws ConfigProblem {
        List<Statement> all = TomlStatements.scan(text);
        List<int[]> cuts = new ArrayList<>();
        for (Statement st : all) {
            if (!st.header() || !startsWith(st.table(), path)) continue;
            List<Statement> section = section(all, st);
            Statement last = section.isEmpty() ? st : section.getLast();
            int from = text.lastIndexOf('\n', st.start() - 1) + 1;
            int to = last.lineEnd() >= text.length() ? text.length() : last.lineEnd() + (text.startsWith("\r\n", last.lineEnd()) ? 2 : 1);
            // one blank line before the table goes with it, so uninstalling leaves no growing gap
            if (from >= 2 && text.charAt(from - 1) == '\n' && blankLineBefore(from - 1)) from = text.lastIndexOf('\n', from - 2) + 1;
            cuts.add(new int[] {from, to});
        }
        if (cuts.isEmpty()) return this;
        cuts.sort(Comparator.comparingInt((int[] c) -> c[0]).reversed());
        StringBuilder b = new StringBuilder(text);
        for (int[] c : cuts) b.delete(c[0], c[1]);
        return checked(b.toString(), path);
    }

    /** Whether the line ending at the break {@code nl} is blank. */
    private boolean blankLineBefore(int nl) {
        int start = text.lastIndexOf('\n', nl - 1) + 1;
        return text.substring(start, nl).isBlank();
    }

    /** The key/values after {@code header} up to the next header. */
    private static List<Statement> section(List<Statement> all, Statement header) {
        List<Statement> out = new ArrayList<>();
        for (int k = all.indexOf(header) + 1; k < all.size() && !all.get(k).header(); k++) out.add(all.get(k));
        return out;
    }

    /** Re-parses an edit and makes sure nothing outside {@code path} changed. */
    private TomlDocument checked(String edited, List<String> path) throws ConfigProblem {
        ObjectNode after;
        try {
            after = read(edited);
        } catch (ConfigProblem e) {
            throw new ConfigProblem("editing [" + dotted(path) + "] would make the file invalid (" + e.getMessage()
                    + "); huddle setup left it unchanged. Please report this with the file.");
        }
        if (!without(tree, path).equals(without(after, path))) {
            throw new ConfigProblem("editing [" + dotted(path) + "] would change other settings; huddle setup left the file"
                    + " unchanged. Please report this with the file.");
        }
        return new TomlDocument(edited, after);
    }

    /** The tree without {@code path}, and without the parents that leaves empty (they exist only for it). */
    private static JsonNode without(ObjectNode root, List<String> path) {
        ObjectNode copy = root.deepCopy();
        List<ObjectNode> chain = new ArrayList<>(List.of(copy));
        for (int k = 0; k < path.size() - 1; k++) {
            if (!(chain.getLast().get(path.get(k)) instanceof ObjectNode child)) return copy;
            chain.add(child);
        }
        chain.getLast().remove(path.getLast());
        for (int k = chain.size() - 1; k > 0 && chain.get(k).isEmpty(); k--) chain.get(k - 1).remove(path.get(k - 1));
        return copy;
    }

    private int line(int offset) {
        int l = 1;
        for (int k = 0; k < offset; k++) if (text.charAt(k) == '\n') l++;
        return l;
    }

    private static boolean startsWith(List<String> list, List<String> prefix) {
        return list.size() >= prefix.size() && list.subList(0, prefix.size()).equals(prefix);
    }

    // ---------------------------------------------------------------- rendering

    static String dotted(List<String> path) {
        return String.join(".", path.stream().map(TomlDocument::key).toList());
    }

    static String key(String k) {
        return BARE_KEY.matcher(k).matches() ? k : string(k);
    }

    /** Strings, integers, booleans, lists and maps (as inline tables). */
    static String render(Object v) {
        return switch (v) {
            case String s -> string(s);
            case List<?> l -> "[" + String.join(", ", l.stream().map(TomlDocument::render).toList()) + "]";
            case Map<?, ?> m when m.isEmpty() -> "{}";
            case Map<?, ?> m -> "{ " + String.join(", ", m.entrySet().stream()
                    .map(e -> key(String.valueOf(e.getKey())) + " = " + render(e.getValue())).toList()) + " }";
            case Number n -> String.valueOf(n.longValue());
            case Boolean bool -> bool.toString();
            default -> throw new IllegalArgumentException("no TOML form for " + v);
        };
    }

    static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format("\\u%04X", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
