package dev.huddle.agents.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.huddle.agents.HookClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWriterTest {
    @TempDir
    Path dir;

    private static FilePlan plan(Path path, String before, String after) {
        return new FilePlan(HookClient.CLAUDE, Scope.USER, path, before, after, List.of());
    }

    private List<Path> siblings() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void backsUpAndReplacesKeepingTheMode() throws Exception {
        Path f = dir.resolve("settings.json");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        ConfigWriter.Written w = ConfigWriter.write(plan(f, "old", "new"));
        assertThat(Files.readString(f)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        assertThat(w.backup().getFileName().toString()).matches("settings\\.json\\.huddle-backup-\\d{8}T\\d{6}Z");
        assertThat(Files.readString(w.backup())).isEqualTo("old");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(w.backup()))).isEqualTo("rw-------");
        ConfigWriter.Written again = ConfigWriter.write(plan(f, "new", "newer"));
        assertThat(again.backup()).isNotEqualTo(w.backup());
        assertThat(siblings()).hasSize(3); // no temporary file left
    }

    @Test
    void createsPrivateDirectoriesAndFilesInUserScope() throws Exception {
        Path f = dir.resolve("a/b/settings.json");
        ConfigWriter.Written w = ConfigWriter.write(plan(f, null, "{}\n"));
        assertThat(w.backup()).isNull();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void writesThroughASymlink() throws Exception {
        Path real = Files.writeString(dir.resolve("dotfiles-settings.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("settings.json"), real.getFileName());
        ConfigWriter.write(plan(link, "old", "new"));
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");
    }

    @Test
    void aFileChangedSinceItWasReadIsLeftAlone() throws Exception {
        Path f = Files.writeString(dir.resolve("settings.json"), "changed by the client");
        assertThatThrownBy(() -> ConfigWriter.write(plan(f, "what we read", "ours")))
                .hasMessageContaining("changed while huddle was editing it");
        assertThat(Files.readString(f)).isEqualTo("changed by the client");
        assertThat(siblings()).containsExactly(f);
    }

    @Test
    void readOnlyIsReportedFromTheModeBits() throws Exception {
        Path f = Files.writeString(dir.resolve("settings.json"), "{}");
        assertThat(ConfigWriter.whyNotWritable(f)).isNull();
        assertThat(ConfigWriter.whyNotWritable(dir.resolve("new/deeper/x.json"))).isNull();
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--------"));
        assertThat(ConfigWriter.whyNotWritable(f)).contains("is read-only (r--------)");
    }
}
