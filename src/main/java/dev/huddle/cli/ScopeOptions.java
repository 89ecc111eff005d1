package dev.huddle.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --project PATH} or {@code -a/--all}: the project a view shows, or every project (a picocli mixin). */
public final class ScopeOptions {
    @Mixin
    ProjectOption project = new ProjectOption();

    @Option(names = {"-a", "--all"}, description = "Every project.")
    boolean all;

    /** The project's directory, or null (the current directory's, or every project with {@link #all()}). */
    public String project() {
        return project.path();
    }

    public boolean all() {
        return all;
    }

    /** Refuses both at once, through {@code command}'s usage error. */
    void check(BaseCommand command) {
        if (all && project.given()) throw command.usage("use either --all or --project, not both");
    }
}
