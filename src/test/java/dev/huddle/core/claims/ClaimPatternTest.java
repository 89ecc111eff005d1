package dev.huddle.core.claims;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimPatternTest {
    static boolean matches(String pattern, String path) {
        return ClaimPattern.compile(pattern).matches(path);
    }

    static boolean overlaps(String a, String b) {
        boolean ab = ClaimPattern.compile(a).overlaps(ClaimPattern.compile(b));
        assertThat(ClaimPattern.compile(b).overlaps(ClaimPattern.compile(a))).as("symmetric: %s / %s", a, b).isEqualTo(ab);
        return ab;
    }

    @Test
    void plainPathsCoverThemselvesAndWhatIsBelow() {
        assertThat(matches("src/Main.java", "src/Main.java")).isTrue();
        assertThat(matches("src/api", "src/api/Server.java")).isTrue();
        assertThat(matches("src/api", "src/api/v1/x.json")).isTrue();
        assertThat(matches("src/api", "src/apiary/x")).isFalse();
        assertThat(matches("src/api", "src")).isFalse();
        assertThat(matches("src/Main.java", "src/Main.javax")).isFalse();
    }

    @Test
    void globsMatchWithinAndAcrossSegments() {
        assertThat(matches("src/*.java", "src/Main.java")).isTrue();
        assertThat(matches("src/*.java", "src/a/Main.java")).isFalse();
        assertThat(matches("src/**/*.java", "src/Main.java")).isTrue();
        assertThat(matches("src/**/*.java", "src/a/b/c/Main.java")).isTrue();
        assertThat(matches("src/**/*.java", "src/a/b/c/Main.kt")).isFalse();
        assertThat(matches("src/**", "src/a/b")).isTrue();
        assertThat(matches("**/pom.xml", "pom.xml")).isTrue();
        assertThat(matches("**/pom.xml", "a/b/pom.xml")).isTrue();
        assertThat(matches("docs/v?.md", "docs/v1.md")).isTrue();
        assertThat(matches("docs/v?.md", "docs/v10.md")).isFalse();
        assertThat(matches("a.(b)+[c]", "a.(b)+[c]")).as("regex characters are literal").isTrue();
        assertThat(matches("a*", "a/b")).isFalse();
    }

    @Test
    void overlapBetweenPatterns() {
        assertThat(overlaps("src/api", "src/api/Server.java")).isTrue();
        assertThat(overlaps("src/api", "src")).isTrue();
        assertThat(overlaps("src/api", "src/web")).isFalse();
        assertThat(overlaps("src/**/*.java", "src/a/Main.java")).isTrue();
        assertThat(overlaps("src/**/*.java", "src/**/*.kt")).isFalse();
        assertThat(overlaps("src/**/*.java", "src/a/Main.kt")).as("a plain path covers what may lie below it").isTrue();
        assertThat(overlaps("src/*.java", "src/a/Main.kt")).isFalse();
        assertThat(overlaps("src/**/*.java", "**/Main.*")).isTrue();
        assertThat(overlaps("*.md", "docs/a.md")).isFalse();
        assertThat(overlaps("*.md", "README.md")).isTrue();
        assertThat(overlaps("*.md", "*.txt")).isFalse();
        assertThat(overlaps("a*", "ab*")).isTrue();
        assertThat(overlaps("docs/**", "src/**")).isFalse();
        assertThat(overlaps("**/x.sql", "db")).isTrue();
    }

    @Test
    void onlyWildcardPatternsAreFlagged() {
        assertThat(ClaimPattern.compile("**").onlyWildcards()).isTrue();
        assertThat(ClaimPattern.compile("*/**").onlyWildcards()).isTrue();
        assertThat(ClaimPattern.compile("*.md").onlyWildcards()).isFalse();
        assertThat(ClaimPattern.compile("src").onlyWildcards()).isFalse();
    }

    @Test
    void conflictsFollowModesHoldersAndExpiry() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        Instant later = now.plusSeconds(600);
        ClaimIndex index = new ClaimIndex(List.of(
                new PathClaim("/r", "bob", "src/api", ClaimMode.EXCLUSIVE, "refactor", now, later),
                new PathClaim("/r", "carol", "docs/**/*.md", ClaimMode.SHARED, null, now, later),
                new PathClaim("/r", "dave", "old", ClaimMode.EXCLUSIVE, null, now.minusSeconds(100), now)));
        assertThat(index.conflictsForPath("src/api/S.java", "alice", ClaimMode.EXCLUSIVE, now)).extracting(PathClaim::holderId).containsExactly("bob");
        assertThat(index.conflictsForPath("src/api/S.java", "alice", ClaimMode.SHARED, now)).extracting(PathClaim::holderId).containsExactly("bob");
        assertThat(index.conflictsForPath("src/api/S.java", "bob", ClaimMode.EXCLUSIVE, now)).as("my own claim").isEmpty();
        assertThat(index.conflictsForPath("docs/a/b.md", "alice", ClaimMode.SHARED, now)).as("shared with shared").isEmpty();
        assertThat(index.conflictsForPath("docs/a/b.md", "alice", ClaimMode.EXCLUSIVE, now)).extracting(PathClaim::holderId).containsExactly("carol");
        assertThat(index.conflictsForPath("old/x", "alice", ClaimMode.EXCLUSIVE, now)).as("expired").isEmpty();
        assertThat(index.conflictsForPattern(ClaimPattern.compile("src/**"), "alice", ClaimMode.SHARED, now))
                .extracting(PathClaim::holderId).containsExactly("bob");
        assertThat(index.conflictsForPattern(ClaimPattern.compile("docs/x.md"), "alice", ClaimMode.SHARED, now)).isEmpty();
    }

    /** The budget: ≤ 1 ms for one check against 1,000 active claims with globs (docs/BENCHMARKS.md has the JMH figure). */
    @Test
    void aCheckAgainstAThousandClaimsStaysUnderAMillisecond() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        ClaimIndex index = new ClaimIndex(ClaimPatternTest.thousandClaims(now));
        for (int i = 0; i < 2000; i++) index.conflictsForPath("src/module" + (i % 300) + "/deep/a/b/File" + i + ".java", "me", ClaimMode.EXCLUSIVE, now);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 20; round++) {
            long t = System.nanoTime();
            for (int i = 0; i < 100; i++) index.conflictsForPath("src/module" + i + "/deep/a/b/File.java", "me", ClaimMode.EXCLUSIVE, now);
            best = Math.min(best, (System.nanoTime() - t) / 100);
        }
        assertThat(Duration.ofNanos(best)).isLessThan(Duration.ofMillis(1));
    }

    /** 1,000 claims by 20 holders: 500 files, 250 directories, 250 globs of several shapes. */
    public static List<PathClaim> thousandClaims(Instant now) {
        List<PathClaim> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String pattern = switch (i % 4) {
                case 0, 1 -> "src/module" + i + "/File" + i + ".java";
                case 2 -> "lib/dir" + i;
                default -> switch (i % 3) {
                    case 0 -> "src/module" + i + "/**/*.java";
                    case 1 -> "**/gen" + i + "/*.json";
                    default -> "docs/**/chapter" + i + "-*.md";
                };
            };
            out.add(new PathClaim("/r", "agent" + (i % 20), pattern, i % 5 == 0 ? ClaimMode.SHARED : ClaimMode.EXCLUSIVE, null,
                    now, now.plusSeconds(1800)));
        }
        return out;
    }
}
