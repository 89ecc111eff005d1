package dev.huddle.protocol.json;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link dev.huddle.protocol.MiniJson}'s writer cannot write by itself, made into what it can: a record into the
 * map of its fields (snake_case names, in component order, nulls left out unless {@link KeepNull}, {@link Inline}
 * fields spliced in), an enum into its wire name, an instant into ISO-8601.
 */
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

    static Object adapt(Object v) {
        return switch (v) {
            case Record r -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields(r, fields);
                yield fields;
            }
            case Instant t -> t.toString();
            case Enum<?> e -> wireName(e);
            case null, default -> v;
        };
    }

    private static void fields(Record r, Map<String, Object> into) {
        for (RecordShape.Field f : RecordShape.cached(r.getClass()).fields()) {
            Object value = f.valueOf(r);
            if (f.inline()) {
                if (value instanceof Record inner) fields(inner, into);
            } else if (value != null || f.keepNull()) {
                into.put(f.name(), value);
            }
        }
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
