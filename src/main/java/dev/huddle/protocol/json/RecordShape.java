package dev.huddle.protocol.json;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;

/**
 * What the codec needs of a record class, worked out once per class and cached: each component's wire name
 * (snake_case), accessor, generic type and flags, and the canonical constructor.
 */
record RecordShape(List<Field> fields, Constructor<?> constructor) {

    /** One record component as it appears on the wire. */
    record Field(String name, Method accessor, Type type, boolean keepNull, boolean inline) {
        Object valueOf(Object record) {
            try {
                return accessor.invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + accessor, e);
            }
        }
    }

    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return of(type);
        }
    };

    static RecordShape of(Class<?> type) {
        if (!type.isRecord()) throw new IllegalArgumentException(type + " is not a record");
        RecordComponent[] components = type.getRecordComponents();
        Field[] fields = new Field[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Method accessor = c.getAccessor();
            accessor.setAccessible(true); // records nested in non-public classes (tests) too
            fields[i] = new Field(snakeCase(c.getName()), accessor, c.getGenericType(),
                    c.isAnnotationPresent(KeepNull.class), c.isAnnotationPresent(Inline.class));
            types[i] = c.getType();
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return new RecordShape(List.of(fields), constructor);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    static RecordShape cached(Class<?> type) {
        return SHAPES.get(type);
    }

    Object construct(Object[] values) {
        try {
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalArgumentException(e.getCause());
        } catch (InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot construct " + constructor.getDeclaringClass(), e);
        }
    }

    /** {@code maxObligationAgeMs} → {@code max_obligation_age_ms}, as Jackson's SNAKE_CASE strategy does it. */
    static String snakeCase(String name) {
        StringBuilder b = new StringBuilder(name.length() + 4);
        boolean previousUpper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean upper = Character.isUpperCase(c);
            if (upper && !previousUpper && i > 0 && b.charAt(b.length() - 1) != '_') b.append('_');
            b.append(upper ? Character.toLowerCase(c) : c);
            previousUpper = upper;
        }
        return b.toString();
    }
}
