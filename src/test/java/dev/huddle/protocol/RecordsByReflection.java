package dev.huddle.protocol;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

/** Builds a record from one value per component (the test generators that fill every record share it). */
public final class RecordsByReflection {
    private RecordsByReflection() {}

    public static Object construct(Class<?> c, Object[] values) {
        RecordComponent[] components = c.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) types[i] = components[i].getType();
        try {
            Constructor<?> k = c.getDeclaredConstructor(types);
            k.setAccessible(true);
            return k.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
