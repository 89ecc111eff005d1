package dev.huddle.store.sqlite;

import dev.huddle.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 18: concurrent transactions share commits (group commit). Each caller returns only once its own work is
 * committed; a member that fails rolls back only its own work; what a caller was told committed is on disk.
 */
class GroupCommitTest {

    private static void sql(SqliteDatabase db, String sql) {
        db.query(c -> {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
            return null;
        });
    }

    private static int insert(SqliteDatabase db, String body) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(body) VALUES (?)")) {
                ps.setString(1, body);
                return ps.executeUpdate();
            }
        });
    }

    private static Set<String> bodies(Path file) {
        try (SqliteDatabase db = SqliteDatabase.open(file)) { // a fresh connection: only what was committed
            return db.query(c -> {
                Set<String> out = ConcurrentHashMap.newKeySet();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT body FROM t")) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            });
        }
    }

    @Test
    void concurrentTransactionsAreEachCommittedBeforeTheyReturnAndAFailingOneTakesOnlyItsOwnWork(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("huddle.db");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            sql(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)");
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int s = 0; s < 16; s++) {
                    int sender = s;
                    running.add(pool.submit(() -> {
                        go.await();
                        for (int n = 0; n < 200; n++) {
                            String body = "s" + sender + " n" + n;
                            boolean fail = n % 17 == 5; // writes, then fails: its row must not survive
                            try {
                                Supplier<String> committed = db.inTransactionLater(() -> {
                                    insert(db, body);
                                    if (fail) throw new IllegalStateException("refused after writing");
                                    return body;
                                });
                                acknowledged.add(committed.get());
                            } catch (IllegalStateException e) {
                                refused.add(body);
                            }
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : running) f.get(60, TimeUnit.SECONDS);
            }
            assertThat(acknowledged).hasSize(16 * 200 - refused.size());
            assertThat(refused).isNotEmpty();
        }
        Set<String> stored = bodies(file);
        assertThat(stored).containsAll(acknowledged);
        assertThat(stored).doesNotContainAnyElementsOf(refused);
        assertThat(stored).hasSize(acknowledged.size());
    }

    @Test
    void aReadBetweenMembersDoesNotWaitAndAWriteOutsideATransactionIsCommittedWhenItReturns(@TempDir Path tmp) {
        Path file = tmp.resolve("huddle.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            sql(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)");
            Supplier<Integer> pending = db.inTransactionLater(() -> insert(db, "in a batch"));
            // an autocommit write after it: when it returns, it and the batch before it are committed
            insert(db, "autocommit");
            assertThat(bodies(file)).contains("in a batch", "autocommit");
            assertThat(pending.get()).isEqualTo(1);
            // a constraint failure outside a transaction fails that statement only
            assertThatThrownBy(() -> insert(db, "autocommit")).isInstanceOf(StoreException.class);
            Supplier<Integer> next = db.inTransactionLater(() -> insert(db, "after the failure"));
            assertThat(next.get()).isEqualTo(1);
            // a transaction that wrote nothing does not wait for anything
            assertThat(db.inTransactionLater(() -> 7).get()).isEqualTo(7);
        }
        assertThat(bodies(file)).containsExactlyInAnyOrder("in a batch", "autocommit", "after the failure");
    }
}
