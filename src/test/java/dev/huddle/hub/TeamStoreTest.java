package dev.huddle.hub;

import dev.huddle.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** team join and leave write config.json: the user's other settings stay, the file stays the user's alone. */
class TeamStoreTest {
    @Test
    void joinWritesTheStoreKeepsTheRestAndLeaveRemovesOnlyTheUrl(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("home");
        Path config = home.resolve("config.json");
        Files.createDirectories(home);
        Files.writeString(config, "{\"claims_mode\": {\"default\": \"warn\"}, \"read_session\": false}");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        TeamStore.join(config, "postgresql://huddle_laptop@db.example.com/team_a?sslmode=verify-full", tmp.resolve("pw"), "laptop");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        StoreChoice c = StoreChoice.load(config, Map.of("HOME", "/home/ann"));
        assertThat(c.target().toString()).as("verify-full's default CA file, from the home ~/.pgpass is read from")
                .isEqualTo("postgresql://huddle_laptop@db.example.com:5432/team_a?sslmode=verify-full&sslrootcert=/home/ann/.postgresql/root.crt");
        assertThat(c.passwordFile()).isEqualTo(tmp.resolve("pw"));
        assertThat(c.machine()).isEqualTo("laptop");
        assertThat(c.machineNamed()).as("config.json names the machine").isTrue();
        assertThat(Files.readString(config)).contains("\"claims_mode\"").contains("\"warn\"").contains("\"read_session\" : false");

        assertThat(TeamStore.leave(config)).startsWith("postgresql://huddle_laptop@db.example.com");
        assertThat(StoreChoice.load(config, Map.of()).target()).isNull();
        assertThat(Files.readString(config)).doesNotContain("store_url").contains("claims_mode").contains("store_password_file");
        assertThat(TeamStore.leave(config)).as("nothing left to leave").isNull();
        assertThat(TeamStore.leave(tmp.resolve("none.json"))).isNull();
    }

    @Test
    void aMalformedUrlOrConfigIsRefusedAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("config.json");
        assertThatThrownBy(() -> TeamStore.join(config, "postgresql://u:pw@db/t", null, null)).isInstanceOf(StoreException.class)
                .hasMessageNotContaining(":pw@");
        assertThat(config).doesNotExist();
        Files.writeString(config, "{ not json");
        assertThatThrownBy(() -> TeamStore.join(config, "postgresql://u@db/t", null, null)).hasMessageContaining("not valid JSON");
        assertThat(Files.readString(config)).isEqualTo("{ not json");
    }

    @Test
    void theHostNameGivesWayToAMachinesRoleButANamedMachineDoesNot(@TempDir Path tmp) throws Exception {
        Path config = tmp.resolve("config.json");
        Files.writeString(config, "{\"store_url\": \"postgresql://u@db/t\"}");
        assertThat(StoreChoice.load(config, Map.of()).machineNamed()).isFalse();
        assertThat(StoreChoice.load(config, Map.of("HUDDLE_MACHINE", "devbox")).machineNamed()).isTrue();
        Files.writeString(config, "{\"store_url\": \"postgresql://u@db/t\", \"machine\": \"laptop\"}");
        assertThat(StoreChoice.load(config, Map.of("HUDDLE_MACHINE", "devbox")).machine()).as("the environment wins").isEqualTo("devbox");
    }
}
