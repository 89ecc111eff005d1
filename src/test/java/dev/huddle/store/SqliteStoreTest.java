package dev.huddle.store;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.AgentProcess;
import dev.huddle.core.identity.BindingSource;
import dev.huddle.core.identity.ClientType;
import dev.huddle.store.sqlite.SqliteAgentStore;
import dev.huddle.store.sqlite.SqliteDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteStoreTest {
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    static Agent agent(String id, String project, String name) {
        return Agent.create(id, id.startsWith("p-") ? null : id, id.startsWith("p-") ? BindingSource.UNBOUND : BindingSource.ENV,
                ClientType.CLAUDE_CODE, project, project, new AgentProcess(10, 1), T0).withState("p", name, T0);
    }

    @Test
    void migratesAFreshDatabaseAndReopensIt(@TempDir Path tmp) {
        Path file = tmp.resolve("h.db");
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertThat(db.schemaVersion()).isEqualTo(SqliteDatabase.latestSchemaVersion());
            assertThat(db.quickCheck()).isEqualTo("ok");
            new SqliteAgentStore(db).save(agent("s1", "/r", "a"));
        }
        try (SqliteDatabase db = SqliteDatabase.open(file)) {
            assertThat(new SqliteAgentStore(db).find("s1")).isPresent();
        }
    }

    @Test
    void aCorruptFileIsRefusedAndLeftUntouched(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("h.db");
        byte[] garbage = "this is not a database, it is a text file that happens to be here\n".repeat(100).getBytes();
        Files.write(file, garbage);
        assertThatThrownBy(() -> SqliteDatabase.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("corrupt").hasMessageContaining("huddle hub recover");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    @Test
    void aDatabaseFromANewerHuddleIsRefused(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("h.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + file); var st = c.createStatement()) {
            st.execute("PRAGMA user_version = 999");
        }
        assertThatThrownBy(() -> SqliteDatabase.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("newer huddle");
    }

    @Test
    void anUnreadableFileIsRefused(@TempDir Path tmp) throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            // root reads everything; permissions cannot make a file unreadable for it
            return;
        }
        Path file = tmp.resolve("h.db");
        SqliteDatabase.open(file).close();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> SqliteDatabase.open(file)).isInstanceOf(StoreException.class).hasMessageContaining("not readable");
    }
}
