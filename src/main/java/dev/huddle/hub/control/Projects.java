package dev.huddle.hub.control;

import dev.huddle.hub.identity.AgentRegistry;

/** Which project a control request means: the one its {@code project} argument names, else the caller's own. */
final class Projects {
    private final AgentRegistry registry;

    Projects(AgentRegistry registry) {
        this.registry = registry;
    }

    /** The project of {@code project} when it is an absolute directory, else of the caller's working directory. */
    String of(String project, String cwd) {
        if (project != null && project.startsWith("/")) return ofDirectory(project);
        return ofDirectory(cwd == null ? "/" : cwd);
    }

    /** The project a directory belongs to (its git root), or the directory. */
    String ofDirectory(String directory) {
        return registry.projectOf(directory);
    }
}
