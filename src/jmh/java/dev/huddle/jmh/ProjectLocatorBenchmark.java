package dev.huddle.jmh;

import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.hub.identity.NioFileProbe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code ProjectLocator.projectRoot} on the real file system, as the hub runs it for every hello and for
 * {@code project_root} arguments: from a directory 6 levels below a repository root, from a linked worktree
 * (a {@code .git} file pointing at the main repository), and from a directory outside any repository.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProjectLocatorBenchmark {
    private final ProjectLocator locator = new ProjectLocator(new NioFileProbe());
    private Path root;
    private Path deep;
    private Path worktreeDeep;
    private Path outside;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = Files.createTempDirectory("huddle-jmh-").toRealPath();
        Path repo = root.resolve("repo");
        Files.createDirectories(repo.resolve(".git/worktrees/wt"));
        Files.writeString(repo.resolve(".git/worktrees/wt/commondir"), "../..\n");
        deep = Files.createDirectories(repo.resolve("a/b/c/d/e/f"));
        Path wt = Files.createDirectories(root.resolve("wt"));
        Files.writeString(wt.resolve(".git"), "gitdir: " + repo.resolve(".git/worktrees/wt") + "\n");
        worktreeDeep = Files.createDirectories(wt.resolve("src/main/java"));
        outside = Files.createDirectories(root.resolve("plain/x/y"));
        check(locator.projectRoot(deep).equals(repo), "deep");
        check(locator.projectRoot(worktreeDeep).equals(repo), "worktree");
        check(locator.projectRoot(outside).equals(outside), "outside");
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException("unexpected project root for " + what);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dev.huddle.tools.aot.ChildJava.deleteTree(root);
    }

    @Benchmark
    public Path deepInRepository() {
        return locator.projectRoot(deep);
    }

    @Benchmark
    public Path linkedWorktree() {
        return locator.projectRoot(worktreeDeep);
    }

    @Benchmark
    public Path outsideAnyRepository() {
        return locator.projectRoot(outside);
    }

    /** What the hub does per hello: resolve symlinks first, then locate. */
    @Benchmark
    public Path realPathThenLocate() throws IOException {
        return locator.projectRoot(deep.toRealPath());
    }
}
