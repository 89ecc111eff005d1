package dev.huddle.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Where AOT caches are looked for and written: {@code $HUDDLE_AOT_DIR} alone when set, else the jar's {@code aot/}
 * (a distribution ships caches there) and then {@code $HUDDLE_HOME/aot} (written when the jar's folder is not
 * writable, as in a root-owned global npm prefix).
 */
class AotCacheTest {
    @TempDir
    Path tmp;

    private Path jar() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pkg"));
        return Files.writeString(dir.resolve("huddle.jar"), "not really a jar");
    }

    @Test
    void looksNextToTheJarThenInHuddleHome() throws IOException {
        Path jar = jar();
        Map<String, String> env = Map.of("HUDDLE_HOME", tmp.resolve("home").toString());
        assertThat(AotCache.directories(jar, env)).containsExactly(tmp.resolve("pkg/aot"), tmp.resolve("home/aot"));
        assertThat(AotCache.directory(jar, env)).isEqualTo(tmp.resolve("pkg/aot"));

        Path inHome = Files.createDirectories(tmp.resolve("home/aot")).resolve(AotCache.fileName(jar, "cli"));
        Files.writeString(inHome, "cache");
        assertThat(AotCache.existing(jar, env, "cli")).contains(inHome);
        assertThat(AotCache.existing(jar, env, "front")).isEmpty();

        Path shipped = Files.createDirectories(tmp.resolve("pkg/aot")).resolve(AotCache.fileName(jar, "cli"));
        Files.writeString(shipped, "cache");
        assertThat(AotCache.existing(jar, env, "cli")).as("the jar's folder comes first").contains(shipped);
    }

    @Test
    void anAotDirIsTheOnlyPlace() throws IOException {
        Path jar = jar();
        Map<String, String> env = Map.of("HUDDLE_AOT_DIR", tmp.resolve("elsewhere").toString(), "HUDDLE_HOME", tmp.resolve("home").toString());
        assertThat(AotCache.directories(jar, env)).containsExactly(tmp.resolve("elsewhere"));
        assertThat(AotCache.directory(jar, env)).isEqualTo(tmp.resolve("elsewhere"));
    }

    @Test
    void aReadOnlyJarFolderSendsTrainingToHuddleHome() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere (CI: .ci/dist-check.sh mounts the install read-only)");
        Path jar = jar();
        Map<String, String> env = Map.of("HUDDLE_HOME", tmp.resolve("home").toString());
        Files.setPosixFilePermissions(jar.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThat(AotCache.directory(jar, env)).isEqualTo(tmp.resolve("home/aot"));
        } finally {
            Files.setPosixFilePermissions(jar.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void cachesDisabledAreNeverFound() throws IOException {
        Path jar = jar();
        Path shipped = Files.createDirectories(tmp.resolve("pkg/aot")).resolve(AotCache.fileName(jar, "front"));
        Files.writeString(shipped, "cache");
        assertThat(AotCache.existing(jar, Map.of("HUDDLE_AOT", "off"), "front")).isEmpty();
    }
}
