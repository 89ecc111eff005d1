package dev.huddle.jmh;

import dev.huddle.core.claims.ClaimIndex;
import dev.huddle.core.claims.ClaimMode;
import dev.huddle.core.claims.ClaimPattern;
import dev.huddle.core.claims.PathClaim;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The claim check inside the hub: one file (an edit) or one pattern (a new claim) against a project's active claims,
 * precompiled in a {@link ClaimIndex}. 1,000 claims by 20 holders: 500 files, 250 directories, 250 globs
 * ({@code src/moduleN/**}{@code /*.java}, {@code **}{@code /genN/*.json}, {@code docs/**}{@code /chapterN-*.md}).
 * Also the index build (compiling every pattern), which the hub does after a change.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClaimCheckBenchmark {
    @Param({"1000"})
    int claims;

    private final Instant now = Instant.parse("2026-11-21T10:00:00Z");
    private List<PathClaim> list;
    private ClaimIndex index;
    private ClaimPattern wanted;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        list = new ArrayList<>();
        for (int n = 0; n < claims; n++) {
            String pattern = switch (n % 4) {
                case 0, 1 -> "src/module" + n + "/File" + n + ".java";
                case 2 -> "lib/dir" + n;
                default -> switch (n % 3) {
                    case 0 -> "src/module" + n + "/**/*.java";
                    case 1 -> "**/gen" + n + "/*.json";
                    default -> "docs/**/chapter" + n + "-*.md";
                };
            };
            list.add(new PathClaim("/r", "agent" + (n % 20), pattern, n % 5 == 0 ? ClaimMode.SHARED : ClaimMode.EXCLUSIVE,
                    null, now, now.plusSeconds(1800)));
        }
        index = new ClaimIndex(list);
        wanted = ClaimPattern.compile("src/module7/**/*.java");
        if (index.conflictsForPath("src/module3/a/b/Deep.java", "me", ClaimMode.EXCLUSIVE, now).isEmpty()) {
            throw new IllegalStateException("the glob src/module3/**/*.java should match");
        }
    }

    /** An edit of a file 5 levels deep, checked against every claim (a different file each call). */
    @Benchmark
    public int checkPath() {
        i = (i + 1) % claims;
        return index.conflictsForPath("src/module" + i + "/a/b/c/File.java", "me", ClaimMode.EXCLUSIVE, now).size();
    }

    /** What an edit hook asks (issue 8): the editor's own claims and the others' exclusive ones covering the file. */
    @Benchmark
    public int checkEdit() {
        i = (i + 1) % claims;
        return index.forEdit("src/module" + i + "/a/b/c/File.java", "me", now).blocking().size();
    }

    /** A new claim's glob, checked for overlap with every claim. */
    @Benchmark
    public int checkGlob() {
        return index.conflictsForPattern(wanted, "me", ClaimMode.EXCLUSIVE, now).size();
    }

    /** Compiling the 1,000 patterns: what a rebuild after a change costs. */
    @Benchmark
    public int buildIndex() {
        return new ClaimIndex(list).size();
    }
}
