package dev.huddle.core.identity;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectLocatorTest {
    /** An in-memory file system: directories, and files with a first line. */
    static final class FakeFs implements ProjectLocator.FileProbe {
        final Set<Path> dirs = new HashSet<>();
        final Map<Path, String> files = new HashMap<>();

        FakeFs dir(String p) {
            dirs.add(Path.of(p));
            return this;
        }

        /** A git directory as git makes it: a directory with a HEAD. */
        FakeFs gitDir(String p) {
            return dir(p).file(p + "/HEAD", "ref: refs/heads/main");
        }

        FakeFs file(String p, String firstLine) {
            files.put(Path.of(p), firstLine);
            return this;
        }

        @Override
        public boolean isDirectory(Path p) {
            return dirs.contains(p);
        }

        @Override
        public boolean isFile(Path p) {
            return files.containsKey(p);
        }

        @Override
        public Optional<String> firstLine(Path p) {
            return Optional.ofNullable(files.get(p)).map(t -> t.lines().findFirst().orElse(""));
        }

        @Override
        public Optional<String> text(Path p, int maxBytes) {
            return Optional.ofNullable(files.get(p)).filter(t -> t.length() <= maxBytes);
        }
    }

    @Test
    void aWorktreeAndTheMainCheckoutShareTheOriginsNameAndASubmoduleHasItsOwn() {
        var fs = new FakeFs().gitDir("/repo/.git")
                .file("/repo/.git/config", "[remote \"origin\"]\n\turl = git@github.com:acme/payments.git\n")
                .file("/wt/feature/.git", "gitdir: /repo/.git/worktrees/feature")
                .file("/repo/.git/worktrees/feature/commondir", "../..")
                .file("/repo/lib/.git", "gitdir: ../.git/modules/lib")
                .file("/repo/.git/modules/lib/config", "[remote \"origin\"]\n\turl = https://github.com/acme/lib\n");
        var locator = new ProjectLocator(fs);
        assertThat(locator.sharedName(Path.of("/repo/src")).map(ProjectIdentity.Name::value)).contains("github.com/acme/payments");
        assertThat(locator.sharedName(Path.of("/wt/feature/src")).map(ProjectIdentity.Name::value)).contains("github.com/acme/payments");
        assertThat(locator.sharedName(Path.of("/repo/lib/src")).map(ProjectIdentity.Name::value)).contains("github.com/acme/lib");
        assertThat(locator.sharedName(Path.of("/elsewhere"))).isEmpty();
    }

    @Test
    void aDirectoryInsideARepositoryBelongsToItsRoot() {
        var fs = new FakeFs().gitDir("/repo/.git");
        assertThat(new ProjectLocator(fs).projectRoot(Path.of("/repo/src/main"))).isEqualTo(Path.of("/repo"));
        assertThat(new ProjectLocator(fs).projectRoot(Path.of("/repo"))).isEqualTo(Path.of("/repo"));
    }

    @Test
    void worktreesShareTheMainRepositoryRoot() {
        var fs = new FakeFs().gitDir("/repo/.git")
                .file("/wt/feature/.git", "gitdir: /repo/.git/worktrees/feature")
                .file("/repo/.git/worktrees/feature/commondir", "../..");
        assertThat(new ProjectLocator(fs).projectRoot(Path.of("/wt/feature/lib"))).isEqualTo(Path.of("/repo"));
    }

    @Test
    void relativeGitdirPathsAreResolvedAgainstTheWorktree() {
        var fs = new FakeFs().gitDir("/repo/.git")
                .file("/repo/wt/.git", "gitdir: ../.git/worktrees/wt")
                .file("/repo/.git/worktrees/wt/commondir", "../..");
        assertThat(new ProjectLocator(fs).projectRoot(Path.of("/repo/wt"))).isEqualTo(Path.of("/repo"));
    }

    @Test
    void aNestedIndependentRepositoryIsItsOwnProject() {
        var fs = new FakeFs().gitDir("/outer/.git").gitDir("/outer/vendor/inner/.git");
        assertThat(new ProjectLocator(fs).projectRoot(Path.of("/outer/vendor/inner/x"))).isEqualTo(Path.of("/outer/vendor/inner"));
        assertThat(new ProjectLocator(fs).projectRoot(Path.of("/outer/vendor"))).isEqualTo(Path.of("/outer"));
    }

    @Test
    void aSubmoduleIsItsOwnProject() {
        var fs = new FakeFs().gitDir("/super/.git").file("/super/lib/.git", "gitdir: ../.git/modules/lib");
        assertThat(new ProjectLocator(fs).projectRoot(Path.of("/super/lib/src"))).isEqualTo(Path.of("/super/lib"));
    }

    @Test
    void anEmptyDotGitDirectoryIsNoRepository() {
        // What a sandbox leaves behind (bubblewrap mounts an empty /tmp/.git): not a repository, so no project.
        var fs = new FakeFs().dir("/tmp/.git").gitDir("/tmp/work/repo/.git");
        var locator = new ProjectLocator(fs);
        assertThat(locator.projectRoot(Path.of("/tmp/scratch"))).isEqualTo(Path.of("/tmp/scratch"));
        assertThat(locator.repositoryRoot(Path.of("/tmp/scratch"))).isEmpty();
        assertThat(locator.projectRoot(Path.of("/tmp/work/repo/src"))).isEqualTo(Path.of("/tmp/work/repo"));
    }

    @Test
    void outsideGitTheDirectoryItselfIsTheProject() {
        assertThat(new ProjectLocator(new FakeFs()).projectRoot(Path.of("/tmp/scratch"))).isEqualTo(Path.of("/tmp/scratch"));
    }

    @Test
    void aBrokenGitFileFallsBackToItsDirectory() {
        var fs = new FakeFs().file("/w/.git", "garbage");
        assertThat(new ProjectLocator(fs).projectRoot(Path.of("/w/a"))).isEqualTo(Path.of("/w"));
    }

    @Test
    void worktreesOfABareRepositoryAreNamedByTheRepository() {
        var fs = new FakeFs().file("/wt/a/.git", "gitdir: /srv/repo.git/worktrees/a")
                .file("/srv/repo.git/worktrees/a/commondir", "../..");
        assertThat(new ProjectLocator(fs).projectRoot(Path.of("/wt/a"))).isEqualTo(Path.of("/srv/repo.git"));
    }

    @Test
    void theProjectKeyIsTheRootPathOnALocalStoreAndTheSharedNameOnASharedOne() {
        var fs = new FakeFs().gitDir("/home/me/payments/.git")
                .file("/home/me/payments/.git/config", "[remote \"origin\"]\n\turl = git@github.com:acme/payments.git\n")
                .dir("/home/me/payments/src")
                .gitDir("/home/me/scratch/.git")
                .file("/home/me/scratch/.git/config", "[core]\n\tbare = false\n")
                .gitDir("/srv/pay/.git")
                .file("/srv/pay/.git/config", "[remote \"origin\"]\n\turl = https://github.com/acme/payments\n[huddle]\n\tproject = acme-pay\n");
        var locator = new ProjectLocator(fs);
        Path src = Path.of("/home/me/payments/src");
        assertThat(locator.projectKey(src, false)).as("a machine's own store: nothing changes").isEqualTo("/home/me/payments");
        assertThat(locator.projectKey(src, true)).isEqualTo("github.com/acme/payments");
        assertThat(locator.projectKey(Path.of("/srv/pay"), true)).as("the team's chosen id wins").isEqualTo("acme-pay");
        assertThat(locator.projectKey(Path.of("/home/me/scratch"), true)).as("no origin: its path").isEqualTo("/home/me/scratch");
        assertThat(locator.projectKey(Path.of("/tmp/loose"), true)).as("outside git: the directory").isEqualTo("/tmp/loose");

        assertThat(ProjectLocator.isPathKey("/home/me/payments")).isTrue();
        assertThat(ProjectLocator.isPathKey("github.com/acme/payments")).isFalse();
        assertThat(ProjectLocator.isPathKey("acme-pay")).isFalse();
        assertThat(ProjectLocator.isPathKey(null)).isFalse();
    }
}
