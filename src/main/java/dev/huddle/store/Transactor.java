package dev.huddle.store;

import java.util.function.Supplier;

/** Runs work atomically: all of it commits, or none of it does. Nested calls join the outer transaction. */
public interface Transactor {
    <T> T inTransaction(Supplier<T> work);

    default void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
