package dev.huddle.agents.setup;

import dev.huddle.agents.HookClient;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What setup or uninstall does to one file.
 *
 * @param before the file's text, or null when it does not exist
 * @param after  the text to write
 */
public record FilePlan(HookClient client, Scope scope, Path path, String before, String after, List<Change> changes) {
    public boolean changed() {
        return !Objects.equals(before, after);
    }

    public boolean created() {
        return before == null;
    }
}
