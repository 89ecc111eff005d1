package dev.huddle.hub.identity;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.ProjectLocator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The hub's one map from a directory to its project: the key agents, messages, claims and requests carry
 * ({@link ProjectLocator#projectKey}: the root path on a machine's own store, the repository's name across machines on
 * a shared one) and, apart, where the project lives on this machine (for files, transcripts and panes).
 */
public final class Projects {
    private static final Logger LOG = Logger.getLogger(Projects.class.getName());

    private final ProjectLocator locator;
    private final boolean shared;
    /** Projects already said to have no name across machines: the hub log says so once each. */
    private final Set<Path> unnamed = ConcurrentHashMap.newKeySet();

    Projects(ProjectLocator locator, boolean shared) {
        this.locator = locator;
        this.shared = shared;
    }

    /** The project key of a directory. */
    public String key(String dir) {
        Path p = real(dir);
        String key = locator.projectKey(p, shared);
        if (shared && ProjectLocator.isPathKey(key)) {
            Path root = Path.of(key);
            if (unnamed.add(root)) {
                LOG.warning("the project " + root + " has no name shared across machines (no origin remote, no huddle.project):"
                        + " it is known by its path, so only machines with it at this same path share it; name it with"
                        + " git -C " + root + " config huddle.project <id>");
            }
        }
        return key;
    }

    /** Where the project of a directory lives on this machine: its repository root, or the directory outside git. */
    public Path localRoot(String dir) {
        return locator.projectRoot(real(dir));
    }

    /** Where an agent's project lives on this machine: its key when that is a path, else found from its cwd. */
    public Path localRoot(Agent a) {
        if (ProjectLocator.isPathKey(a.projectRoot())) return Path.of(a.projectRoot());
        return localRoot(a.cwd() == null ? "/" : a.cwd());
    }

    /** The project of a working directory that may be unknown ({@code /} then). */
    String ofCwd(String cwd) {
        return key(cwd == null ? "/" : cwd);
    }

    private static Path real(String dir) {
        Path p = Path.of(dir).toAbsolutePath().normalize();
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException ignored) {
            return p; // a cwd that vanished still names its project by its last known path
        }
    }
}
