package dev.huddle.agents.setup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed JSONC value and where it is in the text ({@code [start, end)} offsets), so edits can splice text. */
public sealed interface JsoncNode {
    int start();

    int end();

    /** A string, number, boolean or null ({@code value} is String, Long, Double, Boolean or null). */
    record Scalar(int start, int end, Object value) implements JsoncNode {}

    /** An object (entries have keys) or an array (keys are null); {@code end - 1} is the closing bracket. */
    record Container(boolean object, int start, int end, List<Entry> entries) implements JsoncNode {
        /** The last entry with this key (JSON's duplicate-key rule: the last one wins), or null. */
        public Entry member(String key) {
            for (int k = entries.size() - 1; k >= 0; k--) if (key.equals(entries.get(k).key())) return entries.get(k);
            return null;
        }

        public int indexOf(Entry e) {
            return entries.indexOf(e);
        }
    }

    /**
     * One member of an object or element of an array.
     *
     * @param key   the property name, null in arrays
     * @param start where the entry begins (the key's opening quote, or the value)
     * @param value the value
     * @param comma the offset of the comma after it, or -1
     */
    record Entry(String key, int start, JsoncNode value, int comma) {}

    /** The plain Java value: maps (insertion-ordered), lists and scalars. */
    static Object toJava(JsoncNode node) {
        return switch (node) {
            case null -> null;
            case Scalar s -> s.value();
            case Container c when c.object() -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Entry e : c.entries()) m.put(e.key(), toJava(e.value()));
                yield m;
            }
            case Container c -> {
                List<Object> l = new ArrayList<>();
                for (Entry e : c.entries()) l.add(toJava(e.value()));
                yield l;
            }
        };
    }
}
