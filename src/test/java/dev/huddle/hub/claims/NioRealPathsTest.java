package dev.huddle.hub.claims;

import dev.huddle.core.claims.ClaimPaths;
import dev.huddle.core.HuddleError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The normaliser on the real file system: symbolic links in, out and dangling. */
class NioRealPathsTest {
    @TempDir
    Path tmp;

    @Test
    void linksOutOfTheRepositoryAreRefusedOnDisk() throws Exception {
        Path root = Files.createDirectories(tmp.toRealPath().resolve("repo"));
        Path outside = Files.createDirectories(tmp.toRealPath().resolve("elsewhere"));
        Files.createDirectories(root.resolve("src"));
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("in"), root.resolve("src"));
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));
        Files.createSymbolicLink(root.resolve("src/file-link"), outside.resolve("secret.txt"));
        Files.writeString(outside.resolve("secret.txt"), "x");
        ClaimPaths paths = new ClaimPaths(new NioRealPaths());

        assertThat(paths.normalise("src/new/File.java", root, root).pattern()).as("files that do not exist yet").isEqualTo("src/new/File.java");
        assertThat(paths.normalise("in/x", root, root).pattern()).isEqualTo("in/x");
        for (String escaping : new String[]{"out/a.txt", "out", "dangling/x", "src/file-link", "out/**/*.java"}) {
            assertThatThrownBy(() -> paths.normalise(escaping, root, root)).as(escaping)
                    .isInstanceOfSatisfying(HuddleError.class, e -> assertThat(e.code()).isEqualTo("path-escapes-repository"));
        }
    }
}
