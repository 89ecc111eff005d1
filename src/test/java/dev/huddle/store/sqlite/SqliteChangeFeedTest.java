package dev.huddle.store.sqlite;

import dev.huddle.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The database tells its listener, once per commit and after it, which tables the commit wrote; reads and rollbacks say nothing. */
class SqliteChangeFeedTest {
    @TempDir
    Path tmp;
    private SqliteDatabase db;
    private final List<Set<String>> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        db = SqliteDatabase.open(tmp.resolve("h.db"));
        db.onChange(heard::add);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void insertWake(String id) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO hub_meta_test (k) VALUES (?)")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    @Test
    void anAutocommitWriteIsAnnouncedWithItsTable() {
        db.query(c -> c.createStatement().executeUpdate("CREATE TABLE hub_meta_test (k TEXT)"));
        heard.clear(); // DDL writes sqlite_master, which the update hook does not report anyway
        insertWake("a");
        assertThat(heard).containsExactly(Set.of("hub_meta_test"));
    }

    @Test
    void aTransactionIsAnnouncedOnceAfterItsCommitWithEveryTable() {
        db.query(c -> c.createStatement().executeUpdate("CREATE TABLE hub_meta_test (k TEXT)"));
        db.query(c -> c.createStatement().executeUpdate("CREATE TABLE other_test (k TEXT)"));
        heard.clear();
        db.inTransaction(() -> {
            insertWake("a");
            db.inTransaction(() -> insertWake("b")); // nested: joins the outer one
            db.query(c -> c.createStatement().executeUpdate("INSERT INTO other_test VALUES ('x')"));
            assertThat(heard).as("nothing is announced before the commit").isEmpty();
        });
        assertThat(heard).containsExactly(Set.of("hub_meta_test", "other_test"));
    }

    @Test
    void readsAndRollbacksAreNotNews() {
        db.query(c -> c.createStatement().executeUpdate("CREATE TABLE hub_meta_test (k TEXT)"));
        heard.clear();
        db.query(c -> c.createStatement().executeQuery("SELECT count(*) FROM hub_meta_test").next());
        assertThatThrownBy(() -> db.inTransaction(() -> {
            insertWake("a");
            throw new StoreException("changed my mind");
        })).isInstanceOf(StoreException.class);
        assertThat(heard).isEmpty();
        insertWake("b"); // the rolled-back table name is not carried into the next commit's news
        assertThat(heard).containsExactly(Set.of("hub_meta_test"));
    }

    @Test
    void aFailingListenerDoesNotFailTheWriter() {
        db.query(c -> c.createStatement().executeUpdate("CREATE TABLE hub_meta_test (k TEXT)"));
        db.onChange(t -> { throw new IllegalStateException("listener bug"); });
        insertWake("a");
        int rows = db.query(c -> {
            var rs = c.createStatement().executeQuery("SELECT count(*) FROM hub_meta_test");
            rs.next();
            return rs.getInt(1);
        });
        assertThat(rows).isEqualTo(1);
    }
}
