package dev.huddle.hub;

import dev.huddle.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreChoiceTest {
    @Test
    void theLocalDatabaseUnlessTheConfigOrTheEnvironmentNamesASharedOne(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("config.json");
        assertThat(StoreChoice.load(config, Map.of()).target()).isNull();
        assertThat(StoreChoice.load(config, Map.of()).machine()).as("not looked up for the local store").isNull();
        Files.writeString(config, "{\"store_url\": \"\", \"wake\": true}");
        assertThat(StoreChoice.load(config, Map.of()).target()).as("empty: the local database").isNull();

        Files.writeString(config, "{\"store_url\": \"postgresql://huddle@db:5433/team?sslmode=verify-full\","
                + " \"store_password_file\": \"/etc/huddle/pw\"}");
        StoreChoice fromFile = StoreChoice.load(config, Map.of("HUDDLE_MACHINE", "laptop", "HOME", "/home/ann"));
        assertThat(fromFile.target().toString()).as("verify-full's CA file: libpq's default in the user's home")
                .isEqualTo("postgresql://huddle@db:5433/team?sslmode=verify-full&sslrootcert=/home/ann/.postgresql/root.crt");
        assertThat(fromFile.passwordFile()).isEqualTo(Path.of("/etc/huddle/pw"));
        assertThat(fromFile.machine()).isEqualTo("laptop");

        StoreChoice fromEnv = StoreChoice.load(config, Map.of("HUDDLE_STORE_URL", "postgresql://other@db2/t2"));
        assertThat(fromEnv.target().host()).as("the environment wins").isEqualTo("db2");
        assertThat(fromEnv.machine()).as("default: the host name").isNotBlank();

        Files.writeString(config, "{\"store_url\": \"postgresql://huddle:secret@db/team\"}");
        assertThatThrownBy(() -> StoreChoice.load(config, Map.of())).isInstanceOf(StoreException.class).hasMessageNotContaining("secret");
        Files.writeString(config, "{ not json");
        assertThat(StoreChoice.load(config, Map.of()).target()).as("HubConfig reports a malformed file").isNull();
    }
}
