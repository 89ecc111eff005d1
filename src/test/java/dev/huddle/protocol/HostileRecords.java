package dev.huddle.protocol;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Protocol records with every field filled, every text an attack on the terminal that shows it: escape sequences
 * (clear screen, window title, clipboard, hyperlink), a C1 CSI, bidi overrides and isolates, BEL, CR and a line
 * separator. Renderers fed these must print none of it raw.
 */
public final class HostileRecords {
    /** One text holding every attack; each text field gets it, with the field's name so a leak says where. */
    public static final String ATTACK = "\u001b[2J\u001b]0;owned\u0007\u001b]52;c;cm0gLXJmIH4=\u0007"
            + "\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\\u009b31m\u202eevil\u202c\u2066x\u2069\r\u2028\u0085end";

    private final Map<Class<?>, Object> overrides = new LinkedHashMap<>();

    /** Records of {@code type} take {@code value} instead of a generated one (say, a mode a renderer switches on). */
    public HostileRecords with(Class<?> type, Object value) {
        overrides.put(type, value);
        return this;
    }

    public <T> T of(Class<T> type) {
        return type.cast(value(type, "", 0));
    }

    private Object value(Type type, String name, int depth) {
        if (type instanceof ParameterizedType p) {
            Type raw = p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < (depth > 4 ? 0 : 2); i++) l.add(value(args[0], name, depth + 1));
                return List.copyOf(l);
            }
            if (raw == Map.class) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(ATTACK + name, value(args[1], name, depth + 1));
                return m;
            }
            throw new IllegalArgumentException("no generator for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (overrides.containsKey(c)) return overrides.get(c);
        if (c == String.class) return name + ATTACK;
        if (c == boolean.class || c == Boolean.class) return depth % 2 == 0;
        if (c == int.class || c == Integer.class) return 3;
        if (c == long.class || c == Long.class) return 42L;
        if (c == double.class || c == Double.class) return 1.5;
        if (c == Instant.class) return Instant.parse("2026-11-21T08:51:31Z");
        if (c == Object.class) return name + ATTACK;
        if (c.isEnum()) return c.getEnumConstants()[0];
        if (c.isRecord()) return record(c, depth);
        throw new IllegalArgumentException("no generator for " + c);
    }

    private Object record(Class<?> c, int depth) {
        RecordComponent[] components = c.getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = value(components[i].getGenericType(), components[i].getName() + ":", depth + 1);
        }
        return RecordsByReflection.construct(c, values);
    }

    /** The first character of {@code printed} that would act on a terminal (newlines apart), or -1. */
    public static int firstUnsafe(String printed) {
        for (int i = 0; i < printed.length(); ) {
            int cp = printed.codePointAt(i);
            if (cp != '\n' && Printable.isUnsafe(cp)) return i;
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** Fails naming where a raw control or bidi character got through. */
    public static void assertPrintable(String what, String printed) {
        int at = firstUnsafe(printed);
        if (at >= 0) {
            int from = Math.max(0, at - 60);
            throw new AssertionError(what + " printed U+" + String.format("%04X", printed.codePointAt(at)) + " raw near: "
                    + Printable.line(printed.substring(from, Math.min(printed.length(), at + 20))));
        }
    }
}
