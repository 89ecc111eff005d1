package dev.huddle.store;

import java.util.function.Supplier;

/** Runs work atomically: all of it commits, or none of it does. Nested calls join the outer transaction. */
public interface Transactor {
    <T> T inTransaction(Supplier<T> work);

    /**
     * As {@link #inTransaction(Supplier)}, but may return before the commit, so that the caller can let go of its own
     * locks first: the returned supplier waits for the commit and throws if it failed (a store with group commit
     * batches concurrent transactions into one). Inside a transaction it joins it, like {@code inTransaction}.
     * Nothing the work did may be acknowledged before {@code get()} returned.
     */
    default <T> Supplier<T> inTransactionLater(Supplier<T> work) {
        T committed = inTransaction(work);
        return () -> committed;
    }

    default void inTransaction(Runnable work) {
        inTransaction(() -> {
            work.run();
            return null;
        });
    }
}
