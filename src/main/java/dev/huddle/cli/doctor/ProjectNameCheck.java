package dev.huddle.cli.doctor;

import dev.huddle.agents.doctor.Check;
import dev.huddle.core.identity.ProjectIdentity;
import dev.huddle.core.identity.ProjectLocator;
import dev.huddle.hub.identity.NioFileProbe;

import java.nio.file.Path;
import java.util.Optional;

/**
 * On a store shared by several machines, the project of the working directory is named by what its clones share
 * ({@link ProjectLocator#projectKey}, the same mapping the hub uses); a project without such a name is known by its
 * path, which other machines' clones rarely share: doctor says so and how to name it.
 */
final class ProjectNameCheck {
    private ProjectNameCheck() {}

    static Optional<Check> of(Path cwd) {
        if (cwd == null) return Optional.empty();
        ProjectLocator locator = new ProjectLocator(new NioFileProbe());
        Path dir = cwd.toAbsolutePath().normalize();
        Optional<ProjectIdentity.Name> name = locator.sharedName(dir);
        if (name.isPresent()) {
            String from = name.get().source() == ProjectIdentity.Source.CONFIGURED ? "git config huddle.project" : "the origin remote";
            return Optional.of(Check.ok("project", name.get().value() + " (from " + from + "), the same on every machine of the team"));
        }
        Path root = locator.projectRoot(dir);
        return Optional.of(Check.warn("project", root + " has no name shared across machines (no origin remote, no huddle.project):"
                        + " it is known by its path, so only machines with it at this same path share it",
                "Name it for the team: git -C " + root + " config huddle.project <id> (the same id on every machine)."));
    }
}
