package dev.huddle.core.claims;

import dev.huddle.core.HuddleError;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaimPathsTest {
    static final Path ROOT = Path.of("/work/repo");
    /** A fake file system: /work/repo/out links to /etc, /work/repo/in links to /work/repo/src. */
    static final Map<Path, Path> LINKS = Map.of(ROOT.resolve("out"), Path.of("/etc"), ROOT.resolve("in"), ROOT.resolve("src"));
    final ClaimPaths paths = new ClaimPaths(p -> {
        for (var e : LINKS.entrySet()) if (p.startsWith(e.getKey())) return e.getValue().resolve(e.getKey().relativize(p));
        return p;
    });

    private String norm(String raw) {
        return paths.normalise(raw, ROOT, ROOT).pattern();
    }

    private static String code(Runnable r) {
        try {
            r.run();
        } catch (HuddleError e) {
            assertThat(e.hint()).isNotBlank();
            return e.code();
        }
        throw new AssertionError("no error");
    }

    @Test
    void relativeAndAbsolutePathsBecomeRepositoryRelative() {
        assertThat(norm("src/Main.java")).isEqualTo("src/Main.java");
        assertThat(norm("./src//Main.java")).isEqualTo("src/Main.java");
        assertThat(norm("/work/repo/src/Main.java")).isEqualTo("src/Main.java");
        assertThat(norm("src/api/")).isEqualTo("src/api");
        assertThat(norm("src/../lib/x")).isEqualTo("lib/x");
        assertThat(norm("  src/**/*.sql ")).isEqualTo("src/**/*.sql");
        assertThat(paths.normalise("src/**/*.sql", ROOT, ROOT).glob()).isTrue();
        assertThat(paths.normalise("src", ROOT, ROOT).glob()).isFalse();
    }

    @Test
    void relativePathsFollowTheCallersWorkingDirectory() {
        assertThat(paths.normalise("Main.java", ROOT, ROOT.resolve("src")).pattern()).isEqualTo("src/Main.java");
        assertThat(paths.normalise("../docs/a.md", ROOT, ROOT.resolve("src")).pattern()).isEqualTo("docs/a.md");
        // A working directory outside the repository is ignored: the root is the base.
        assertThat(paths.normalise("a.md", ROOT, Path.of("/tmp")).pattern()).isEqualTo("a.md");
    }

    @Test
    void pathsOutsideTheRepositoryAreRefused() {
        assertThat(code(() -> norm("../other/x"))).isEqualTo("path-outside-repository");
        assertThat(code(() -> norm("src/../../other"))).isEqualTo("path-outside-repository");
        assertThat(code(() -> norm("src/../../repo2/x"))).isEqualTo("path-outside-repository");
        assertThat(code(() -> norm("/work/other-project/src/Main.java"))).isEqualTo("path-outside-repository");
        assertThat(code(() -> norm("/work/repository/x"))).as("a sibling sharing the root's prefix").isEqualTo("path-outside-repository");
        assertThat(code(() -> norm("/etc/passwd"))).isEqualTo("path-outside-repository");
        assertThat(code(() -> paths.normalise("../../x", ROOT, ROOT.resolve("src")))).isEqualTo("path-outside-repository");
    }

    @Test
    void symbolicLinksOutOfTheRepositoryAreRefused() {
        assertThat(code(() -> norm("out/passwd"))).isEqualTo("path-escapes-repository");
        assertThat(code(() -> norm("out"))).isEqualTo("path-escapes-repository");
        assertThat(code(() -> norm("out/**"))).isEqualTo("path-escapes-repository");
        assertThat(norm("in/Main.java")).as("a link inside the repository is fine").isEqualTo("in/Main.java");
    }

    @Test
    void patternsClaimingTheWholeRepositoryAreRefused() {
        for (String all : new String[]{"**", "*", "**/*", "*/**", "./**", ".", "/work/repo", "src/..", "**/**", "?*"}) {
            assertThat(code(() -> norm(all))).as(all).isEqualTo("claim-too-broad");
        }
        assertThat(norm("*.md")).isEqualTo("*.md");
        assertThat(norm("src/**")).isEqualTo("src/**");
    }

    @Test
    void malformedInputIsRefused() {
        for (String bad : new String[]{"", "   ", "a\nb", "a\u0000b", "src\\Main.java", "x".repeat(1025), "a/**/b/**/c/**/d/**/e/**/f"}) {
            assertThat(code(() -> norm(bad))).as(bad).isEqualTo("invalid-path");
        }
        assertThat(code(() -> paths.normalise(null, ROOT, ROOT))).isEqualTo("invalid-path");
    }

    @Test
    void ttlIsClampedAndTheClampReported() {
        assertThat(ClaimTtl.of(null).ttl()).isEqualTo(ClaimTtl.DEFAULT);
        assertThat(ClaimTtl.of(null).clampNote()).isNull();
        assertThat(ClaimTtl.of(600L).ttl().toSeconds()).isEqualTo(600);
        assertThat(ClaimTtl.of(600L).clampNote()).isNull();
        assertThat(ClaimTtl.of(0L).ttl()).isEqualTo(ClaimTtl.MIN);
        assertThat(ClaimTtl.of(0L).clampNote()).contains("clamped to 60 s");
        assertThat(ClaimTtl.of(-5L).ttl()).isEqualTo(ClaimTtl.MIN);
        assertThat(ClaimTtl.of(3L * 365 * 86400).ttl()).isEqualTo(ClaimTtl.MAX);
        assertThat(ClaimTtl.of(3L * 365 * 86400).clampNote()).contains("86400");
        assertThat(ClaimTtl.of(60L).clampNote()).isNull();
        assertThat(ClaimTtl.of(86400L).clampNote()).isNull();
    }

    @Test
    void modesParseAndConflict() {
        assertThat(ClaimMode.parse(null)).isEqualTo(ClaimMode.EXCLUSIVE);
        assertThat(ClaimMode.parse("Shared")).isEqualTo(ClaimMode.SHARED);
        assertThat(code(() -> ClaimMode.parse("mine"))).isEqualTo("invalid-argument");
        assertThat(ClaimMode.SHARED.conflictsWith(ClaimMode.SHARED)).isFalse();
        assertThat(ClaimMode.SHARED.conflictsWith(ClaimMode.EXCLUSIVE)).isTrue();
        assertThat(ClaimMode.EXCLUSIVE.conflictsWith(ClaimMode.SHARED)).isTrue();
        assertThat(ClaimMode.EXCLUSIVE.conflictsWith(ClaimMode.EXCLUSIVE)).isTrue();
    }
}
