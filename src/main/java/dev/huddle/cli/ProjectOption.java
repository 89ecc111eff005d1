package dev.huddle.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --project PATH}: a directory of the project a command is about (a picocli mixin). */
public final class ProjectOption {
    @Option(names = "--project", paramLabel = "PATH", description = "A directory of the project (default: the current directory).")
    String project;

    /** The directory, absolute and normalised, or null for the current directory's project (the hub resolves it). */
    public String path() {
        return project == null ? null : Path.of(project).toAbsolutePath().normalize().toString();
    }

    public boolean given() {
        return project != null;
    }
}
