package dev.huddle.store.postgres;

import dev.huddle.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresTargetTest {
    @Test
    void parsesTheStoreUrl() {
        PostgresTarget t = PostgresTarget.parse("postgresql://huddle@db.example.com:6543/team_a?sslmode=verify-full&sslrootcert=/etc/ca.pem");
        assertThat(t.host()).isEqualTo("db.example.com");
        assertThat(t.port()).isEqualTo(6543);
        assertThat(t.database()).isEqualTo("team_a");
        assertThat(t.user()).isEqualTo("huddle");
        assertThat(t.params()).containsEntry("sslmode", "verify-full").containsEntry("sslrootcert", "/etc/ca.pem");
        assertThat(t.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/team_a");
        PostgresTarget plain = PostgresTarget.parse("postgres://u@[::1]/d");
        assertThat(plain.host()).isEqualTo("::1");
        assertThat(plain.port()).isEqualTo(PostgresTarget.DEFAULT_PORT);
        assertThat(plain.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/d");
    }

    @Test
    void aPasswordInTheUrlIsRefusedAndNeverRepeated() {
        for (String url : new String[]{"postgresql://u:hunter2@h/d", "postgresql://u@h/d?password=hunter2",
                "postgresql://u@h/d?sslkey=/k.pk8&sslpassword=hunter2"}) {
            assertThatThrownBy(() -> PostgresTarget.parse(url)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("password").hasMessageNotContaining("hunter2");
        }
        assertThatThrownBy(() -> PostgresTarget.parse("mysql://u@h/d")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> PostgresTarget.parse("postgresql://u@h")).hasMessageContaining("no database");
        assertThatThrownBy(() -> PostgresTarget.parse("postgresql://u@h:x/d")).hasMessageContaining("port");
    }

    @Test
    void thePasswordComesFromTheFileThenPgpasswordThenPgpass(@TempDir Path tmp) throws Exception {
        PostgresTarget t = PostgresTarget.parse("postgresql://huddle@db:5432/team");
        Path pgpass = tmp.resolve(".pgpass");
        Files.writeString(pgpass, "# comment\nother:5432:team:huddle:nope\n*:5432:team:hud\\:dle:escaped\ndb:*:team:huddle:from-pgpass\n");
        assertThat(PgPassword.find(t, null, Map.of(), tmp)).isEqualTo("from-pgpass");
        assertThat(PgPassword.find(PostgresTarget.parse("postgresql://hud:dle@x/team".replace("hud:dle", "hud%3Adle")), null, Map.of(), tmp))
                .isEqualTo("escaped");
        assertThat(PgPassword.find(t, null, Map.of("PGPASSWORD", "from-env"), tmp)).isEqualTo("from-env");
        Path file = tmp.resolve("pw");
        Files.writeString(file, "from-file\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(PgPassword.find(t, file, Map.of("PGPASSWORD", "from-env"), tmp)).isEqualTo("from-file");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> PgPassword.find(t, file, Map.of(), tmp)).isInstanceOf(StoreException.class)
                .hasMessageContaining("readable by others").hasMessageNotContaining("from-file");
        assertThat(PgPassword.find(t, null, Map.of("PGPASSFILE", tmp.resolve("none").toString()), tmp)).isNull();
    }
}
