package dev.huddle.store.sqlite;

import dev.huddle.store.StoreException;

import java.util.concurrent.CountDownLatch;

/** Transactions committed together by {@link SqliteDatabase} (group commit, see its {@code inTransactionLater}). */
final class Batch {
    final CountDownLatch done = new CountDownLatch(1);
    int members; // guarded by the database lock
    volatile StoreException failure;

    /** Throws (a copy, with this caller's stack) if the batch failed. */
    void check() {
        if (failure != null) throw new StoreException(failure.code(), failure.getMessage(), failure.hint(), failure);
    }
}
