package dev.huddle.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionAndPathsTest {

    @Test
    void versionsCompareNumericallyAndByBuild() {
        assertThat(Version.compareVersions("0.10.0", "0.9.9")).isPositive();
        assertThat(Version.compareVersions("1.0.0", "1.0.0-rc1")).isPositive();
        assertThat(Version.compareVersions("1.0", "1.0.0")).isNegative();
        assertThat(new Version("0.1.0", "2026-11-21T10:00:00Z").isNewerThan(new Version("0.1.0", "2026-11-21T09:00:00Z"))).isTrue();
        assertThat(new Version("0.1.0", "b").isNewerThan(new Version("0.1.0", "b"))).isFalse();
        assertThat(Version.CURRENT.version()).isNotBlank();
    }

    @Test
    void shortHomesKeepTheirSockets() {
        HubPaths p = HubPaths.forHome(Path.of("/home/u/.huddle"), null);
        assertThat(p.runtimeFallback()).isFalse();
        assertThat(p.mcpSocket()).isEqualTo(Path.of("/home/u/.huddle/hub.sock"));
    }

    @Test
    void longHomesMoveSocketsToAShortPrivateDirectoryPerHome() {
        Path deep = Path.of("/home/u/" + "very-long-directory-name/".repeat(5) + ".huddle");
        HubPaths p = HubPaths.forHome(deep, null);
        assertThat(p.runtimeFallback()).isTrue();
        assertThat(p.httpSocket().toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(HubPaths.MAX_SOCKET_PATH_BYTES);
        assertThat(p.database()).isEqualTo(deep.resolve("huddle.db"));
        assertThat(HubPaths.forHome(deep.resolveSibling("other"), null).runtimeDir()).isNotEqualTo(p.runtimeDir());
        assertThat(HubPaths.forHome(deep, "/run/user/1000").runtimeDir().toString()).startsWith("/run/user/1000/huddle-");
    }

    @Test
    void environmentSelectsTheHome() {
        assertThat(HubPaths.fromEnvironment(Map.of("HUDDLE_HOME", "/tmp/x/../h")).home()).isEqualTo(Path.of("/tmp/h"));
        assertThat(HubPaths.fromEnvironment(Map.of()).home()).isEqualTo(Path.of(System.getProperty("user.home"), ".huddle"));
    }

    @Test
    void privateDirectoriesAreCreated0700AndTightened(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("h");
        HubPaths paths = HubPaths.forHome(home, null);
        paths.ensurePrivateDirectories();
        assertThat(Files.getPosixFilePermissions(home)).isEqualTo(HubPaths.DIR_MODE);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        paths.ensurePrivateDirectories();
        assertThat(Files.getPosixFilePermissions(home)).isEqualTo(HubPaths.DIR_MODE);
        Path f = home.resolve("f");
        HubPaths.ensurePrivateFile(f);
        assertThat(Files.getPosixFilePermissions(f)).isEqualTo(HubPaths.FILE_MODE);
    }

    @Test
    void aSymlinkOrFileInPlaceOfTheHomeIsRefused(@TempDir Path tmp) throws Exception {
        Path target = Files.createDirectory(tmp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("home"), target);
        assertThatThrownBy(() -> HubPaths.ensurePrivateDirectory(link)).hasMessageContaining("symlink");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> HubPaths.ensurePrivateDirectory(file)).hasMessageContaining("not a directory");
    }
}
