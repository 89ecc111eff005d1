package dev.huddle.protocol.json;

import dev.huddle.protocol.MiniJson;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Map;

/** Writes records (and the maps, lists, strings, numbers and booleans in them) as compact JSON text. */
final class JsonWriter {
    private JsonWriter() {}

    private static final ClassValue<Method> WIRE_NAMES = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method m = type.getMethod("wireName");
                if (m.getReturnType() != String.class) return null;
                m.trySetAccessible(); // a public method of an enum nested in a class that is not
                return m;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    static void write(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case String s -> MiniJson.quote(b, s);
            case Boolean bool -> b.append(bool);
            case Double d when d.isNaN() || d.isInfinite() -> b.append("null");
            case Float f when f.isNaN() || f.isInfinite() -> b.append("null");
            case Number n -> b.append(n);
            case Instant t -> MiniJson.quote(b, t.toString());
            case Enum<?> e -> MiniJson.quote(b, wireName(e));
            case Record r -> {
                b.append('{');
                fields(b, r, true);
                b.append('}');
            }
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    MiniJson.quote(b, String.valueOf(e.getKey()));
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            }
            case Iterable<?> it -> {
                b.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) b.append(',');
                    first = false;
                    write(b, o);
                }
                b.append(']');
            }
            default -> MiniJson.quote(b, v.toString());
        }
    }

    /** Writes the record's fields (no braces); returns whether nothing was written yet. */
    private static boolean fields(StringBuilder b, Record r, boolean first) {
        for (RecordShape.Field f : RecordShape.cached(r.getClass()).fields()) {
            Object value = f.valueOf(r);
            if (f.inline()) {
                if (value instanceof Record inner) first = fields(b, inner, first);
                continue;
            }
            if (value == null && !f.keepNull()) continue;
            if (!first) b.append(',');
            first = false;
            MiniJson.quote(b, f.name());
            b.append(':');
            write(b, value);
        }
        return first;
    }

    /** The enum's {@code wireName()} when it has one, else its name. */
    static String wireName(Enum<?> e) {
        Method m = WIRE_NAMES.get(e.getDeclaringClass());
        if (m == null) return e.name();
        try {
            return (String) m.invoke(e);
        } catch (ReflectiveOperationException ex) {
            return e.name();
        }
    }
}
