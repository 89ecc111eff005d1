package dev.huddle.hub.identity;

import dev.huddle.core.identity.ProjectLocator;

import java.io.IOException;
import java.nio.file.Path;

/** The project (repository root) a directory belongs to, read from the file system. */
final class Projects {
    private final ProjectLocator locator;

    Projects(ProjectLocator locator) {
        this.locator = locator;
    }

    Path of(String dir) {
        Path p = Path.of(dir).toAbsolutePath().normalize();
        try {
            p = p.toRealPath();
        } catch (IOException | SecurityException ignored) {
            // a cwd that vanished still names its project by its last known path
        }
        return locator.projectRoot(p);
    }

    /** The project of a working directory that may be unknown ({@code /} then). */
    String ofCwd(String cwd) {
        return of(cwd == null ? "/" : cwd).toString();
    }
}
