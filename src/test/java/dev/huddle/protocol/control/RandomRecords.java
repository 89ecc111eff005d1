package dev.huddle.protocol.control;

import dev.huddle.protocol.RecordsByReflection;
import dev.huddle.protocol.json.Inline;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random instances of protocol records (every field filled or left null at random), for round-trip properties. */
final class RandomRecords {
    private static final String[] TEXTS = {"", "a", "reviewer (6f1c2a9e)", "/home/ana/src/payments", "quote \" back \\ slash",
            "line\nbreak\ttab", "é 😀 ☃", "\u2028\u2029\u0001", "{\"json\":[1]}"};

    private final Random random;

    RandomRecords(long seed) {
        this.random = new Random(seed);
    }

    Object of(Type type, int depth) {
        if (type instanceof ParameterizedType p) {
            Type raw = p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                List<Object> l = new ArrayList<>();
                int n = depth > 3 ? 0 : random.nextInt(4);
                for (int i = 0; i < n; i++) l.add(of(args[0], depth + 1));
                return List.copyOf(l);
            }
            if (raw == Map.class) {
                Map<String, Object> m = new LinkedHashMap<>();
                int n = depth > 3 ? 0 : random.nextInt(3);
                for (int i = 0; i < n; i++) m.put(text() + i, of(args[1], depth + 1));
                return m;
            }
            throw new IllegalArgumentException("no generator for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) return text();
        if (c == boolean.class || c == Boolean.class) return random.nextBoolean();
        if (c == int.class || c == Integer.class) return random.nextInt(-5, 100_000);
        if (c == long.class || c == Long.class) return random.nextLong(-5, 1L << 50);
        if (c == double.class || c == Double.class) return random.nextInt(1000) / 8.0;
        if (c == Instant.class) return Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)).plusNanos(random.nextInt(1000));
        if (c == Object.class) return random.nextBoolean() ? text() : (Object) random.nextLong(0, 1000);
        if (c.isEnum()) return c.getEnumConstants()[random.nextInt(c.getEnumConstants().length)];
        if (c.isRecord()) return record(c, depth);
        throw new IllegalArgumentException("no generator for " + c);
    }

    /** A record whose non-primitive fields are each null one time in four (inline ones never). */
    Object record(Class<?> c, int depth) {
        RecordComponent[] components = c.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            boolean nullable = !rc.getType().isPrimitive() && !rc.isAnnotationPresent(Inline.class);
            values[i] = nullable && random.nextInt(4) == 0 ? null : of(rc.getGenericType(), depth + 1);
        }
        return RecordsByReflection.construct(c, values);
    }

    private String text() {
        return TEXTS[random.nextInt(TEXTS.length)];
    }
}
