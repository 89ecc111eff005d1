package dev.huddle.it.support;

import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;

/** Small JSON helpers for assertions (Jackson, strict). */
public final class Json {
    private static final JsonMapper JSON = JsonMapper.shared();

    private Json() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(String text) {
        Object o = JSON.readValue(text, Object.class);
        if (!(o instanceof Map)) throw new IllegalArgumentException("not a JSON object: " + text);
        return (Map<String, Object>) o;
    }

    public static String write(Object o) {
        return JSON.writeValueAsString(o);
    }

    /** Follows a path of keys (and list indexes) into nested maps and lists; null when absent. */
    public static Object at(Object root, Object... path) {
        Object cur = root;
        for (Object key : path) {
            if (cur instanceof Map<?, ?> m) cur = m.get(key);
            else if (cur instanceof List<?> l && key instanceof Integer i) cur = i < l.size() ? l.get(i) : null;
            else return null;
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object root, Object... path) {
        return (Map<String, Object>) at(root, path);
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object root, Object... path) {
        return (List<Object>) at(root, path);
    }

    public static String str(Object root, Object... path) {
        Object o = at(root, path);
        return o == null ? null : String.valueOf(o);
    }

    public static int integer(Object root, Object... path) {
        return ((Number) at(root, path)).intValue();
    }
}
