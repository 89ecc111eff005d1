package dev.huddle.core.identity;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the project of a directory: the root of its git repository. Worktrees of one repository share the
 * main worktree's root (through the {@code commondir} of their git dir); a nested independent repository or a
 * submodule is its own project; outside git the directory itself is the project. A {@code .git} directory counts
 * only when it holds {@code HEAD}, as for git itself: sandboxes leave empty {@code .git} directories behind (Codex's
 * bubblewrap mounts one over {@code /tmp/.git}), and such a leftover must not turn every scratch directory below it
 * into one project. Pure: file access goes through {@link FileProbe}.
 */
public final class ProjectLocator {

    /** The few file-system questions the locator asks. */
    public interface FileProbe {
        boolean isDirectory(Path p);

        boolean isFile(Path p);

        /** The first line of a small text file, or empty when unreadable. */
        Optional<String> firstLine(Path p);

        /** A small text file (at most {@code maxBytes}), or empty when unreadable or larger. */
        Optional<String> text(Path p, int maxBytes);
    }

    /** A git config larger than this is not a repository's own. */
    private static final int MAX_GIT_CONFIG = 1 << 20;

    private final FileProbe fs;

    public ProjectLocator(FileProbe fs) {
        this.fs = fs;
    }

    /** @param dir an absolute, normalised (ideally real) path */
    public Path projectRoot(Path dir) {
        return repositoryRoot(dir).orElse(dir);
    }

    /**
     * The key that names the project of {@code dir} in rows and requests. On a machine's own store it is the
     * project's root path; on a store shared by several machines ({@code shared}) it is the repository's
     * {@link #sharedName name across machines}, since the clones live at different paths, and the root path only for
     * a project that has no such name (outside git, no {@code origin} remote, no {@code huddle.project}).
     */
    public String projectKey(Path dir, boolean shared) {
        if (shared) {
            Optional<ProjectIdentity.Name> name = sharedName(dir);
            if (name.isPresent()) return name.get().value();
        }
        return projectRoot(dir).toString();
    }

    /** Whether a project key is a local path (every key on a machine's own store) rather than a name across machines. */
    public static boolean isPathKey(String key) {
        return key != null && key.startsWith("/");
    }

    /** The root of the git repository holding {@code dir}, or empty outside git. */
    public Optional<Path> repositoryRoot(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            Path dotGit = d.resolve(".git");
            if (fs.isDirectory(dotGit) && fs.isFile(dotGit.resolve("HEAD"))) return Optional.of(d);
            if (fs.isFile(dotGit)) return Optional.of(rootFromGitFile(d, dotGit));
        }
        return Optional.empty();
    }

    /** The name of the repository holding {@code dir} across machines ({@link ProjectIdentity}); empty outside git. */
    public Optional<ProjectIdentity.Name> sharedName(Path dir) {
        return repositoryRoot(dir).flatMap(root -> {
            Path dotGit = root.resolve(".git");
            Path config;
            if (fs.isDirectory(dotGit)) {
                config = dotGit.resolve("config");
            } else if (fs.isFile(dotGit)) { // a submodule: the config is in its git dir
                Optional<String> line = fs.firstLine(dotGit);
                if (line.isEmpty() || !line.get().startsWith("gitdir:")) return Optional.empty();
                config = root.resolve(line.get().substring("gitdir:".length()).strip()).normalize().resolve("config");
            } else {
                config = root.resolve("config"); // a bare repository with linked worktrees
            }
            return fs.text(config, MAX_GIT_CONFIG).flatMap(ProjectIdentity::fromGitConfig);
        });
    }

    private Path rootFromGitFile(Path worktree, Path dotGit) {
        Optional<String> line = fs.firstLine(dotGit);
        if (line.isEmpty() || !line.get().startsWith("gitdir:")) return worktree;
        Path gitDir = worktree.resolve(line.get().substring("gitdir:".length()).strip()).normalize();
        Optional<String> common = fs.firstLine(gitDir.resolve("commondir"));
        if (common.isEmpty()) return worktree; // a submodule (or a plain gitdir link): its own repository
        Path commonDir = gitDir.resolve(common.get().strip()).normalize();
        Path name = commonDir.getFileName();
        if (name != null && name.toString().equals(".git") && commonDir.getParent() != null) return commonDir.getParent();
        return commonDir; // bare repository with linked worktrees: the repository directory names the project
    }
}
