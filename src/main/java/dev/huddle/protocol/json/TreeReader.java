package dev.huddle.protocol.json;

import java.lang.invoke.MethodType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed JSON tree ({@link dev.huddle.protocol.MiniJson}'s maps, lists, strings, numbers and booleans) into
 * typed values, leniently: unknown fields are ignored, a missing or mistyped field becomes null (zero or false for a
 * primitive), numbers convert between Long and Double, so a newer peer that adds fields never breaks an older one.
 */
final class TreeReader {
    private TreeReader() {}

    static Object convert(Object tree, Type type) {
        if (type instanceof ParameterizedType p) return parameterized(tree, p);
        if (type instanceof WildcardType w) return convert(tree, w.getUpperBounds()[0]);
        if (!(type instanceof Class<?> c)) return tree;
        if (c.isPrimitive()) return primitive(tree, c);
        if (tree == null) return null;
        if (c == Object.class) return tree;
        if (c == String.class) return tree instanceof Map || tree instanceof List ? null : String.valueOf(tree);
        if (c == Boolean.class) return tree instanceof Boolean ? tree : null;
        if (Number.class.isAssignableFrom(c)) return tree instanceof Number n ? number(n, c) : null;
        if (c == Instant.class) return instant(tree);
        if (c.isEnum()) return enumValue(tree, c);
        if (c.isRecord()) return tree instanceof Map<?, ?> m ? record(m, c) : null;
        if (c == List.class) return list(tree, Object.class);
        if (c == Map.class) return map(tree, Object.class);
        throw new IllegalArgumentException("cannot read JSON into " + c.getName());
    }

    private static Object parameterized(Object tree, ParameterizedType p) {
        Type raw = p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (raw == List.class) return list(tree, args[0]);
        if (raw == Map.class) return map(tree, args[1]);
        return convert(tree, raw);
    }

    private static List<Object> list(Object tree, Type element) {
        if (!(tree instanceof List<?> l)) return null;
        List<Object> out = new ArrayList<>(l.size());
        for (Object o : l) {
            Object v = convert(o, element);
            if (v != null) out.add(v);
        }
        return List.copyOf(out);
    }

    private static Map<String, Object> map(Object tree, Type value) {
        if (!(tree instanceof Map<?, ?> m)) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) out.put(String.valueOf(e.getKey()), convert(e.getValue(), value));
        return out;
    }

    static Object record(Map<?, ?> m, Class<?> type) {
        RecordShape shape = RecordShape.cached(type);
        List<RecordShape.Field> fields = shape.fields();
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            RecordShape.Field f = fields.get(i);
            values[i] = convert(f.inline() ? m : m.get(f.name()), f.type());
        }
        return shape.construct(values);
    }

    private static Object primitive(Object tree, Class<?> c) {
        if (c == boolean.class) return tree instanceof Boolean b && b;
        return number(tree instanceof Number n ? n : 0L, MethodType.methodType(c).wrap().returnType());
    }

    private static Object number(Number n, Class<?> c) {
        if (c == Long.class) return n.longValue();
        if (c == Integer.class) return n.intValue();
        if (c == Double.class) return n.doubleValue();
        if (c == Float.class) return n.floatValue();
        if (c == Short.class) return n.shortValue();
        if (c == Byte.class) return n.byteValue();
        return n; // Number itself
    }

    private static Instant instant(Object tree) {
        if (!(tree instanceof String s)) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Object enumValue(Object tree, Class<?> c) {
        if (!(tree instanceof String s)) return null;
        for (Object constant : c.getEnumConstants()) {
            Enum<?> e = (Enum<?>) constant;
            if (JsonWriter.wireName(e).equals(s) || e.name().equals(s)) return e;
        }
        return null;
    }
}
