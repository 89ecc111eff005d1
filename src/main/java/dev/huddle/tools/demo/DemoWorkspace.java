package dev.huddle.tools.demo;

import dev.huddle.protocol.HubPaths;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo's temporary world: a private {@code HUDDLE_HOME} (short, under /tmp, mode 0700) and a directory with
 * two git repositories: the project {@code app} (with a subdirectory {@code src}) and an unrelated {@code other}.
 */
record DemoWorkspace(Path home, Path root, Path project, Path subdir, Path otherProject, boolean gitUsed) {

    static DemoWorkspace create() throws IOException {
        var rwx = PosixFilePermissions.asFileAttribute(HubPaths.DIR_MODE);
        Path home = Files.createTempDirectory(Path.of("/tmp"), "hd-demo-", rwx).toRealPath();
        Path root;
        try {
            root = Files.createTempDirectory(Path.of("/tmp"), "huddle-demo-", rwx).toRealPath();
        } catch (IOException e) {
            delete(home);
            throw e;
        }
        Path project = Files.createDirectory(root.resolve("app"));
        Path subdir = Files.createDirectory(project.resolve("src"));
        Path other = Files.createDirectory(root.resolve("other"));
        boolean git = gitInit(project) & gitInit(other);
        return new DemoWorkspace(home, root, project, subdir, other, git);
    }

    /** {@code git init}; without git, an empty {@code .git} directory marks the project just as well. */
    private static boolean gitInit(Path dir) throws IOException {
        try {
            ProcessBuilder pb = new ProcessBuilder("git", "init", "-q", dir.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().keySet().removeIf(k -> k.startsWith("GIT_")); // e.g. GIT_DIR from a surrounding hook
            Process p = pb.start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isDirectory(dir.resolve(".git"))) {
                return true;
            }
            p.destroyForcibly();
        } catch (IOException noGit) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // No git here: a .git directory with a HEAD is what makes a repository root for the project locator.
        Files.writeString(Files.createDirectories(dir.resolve(".git")).resolve("HEAD"), "ref: refs/heads/main\n");
        return false;
    }

    void deleteAll() {
        delete(root);
        delete(home);
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        for (int attempt = 0; attempt < 2; attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
                for (Path p : all) Files.deleteIfExists(p);
                return;
            } catch (IOException | UncheckedIOException racing) {
                // a file vanished (or appeared) while we walked: one more pass
            }
        }
    }
}
