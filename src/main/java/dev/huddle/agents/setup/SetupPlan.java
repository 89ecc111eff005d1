package dev.huddle.agents.setup;

import java.util.List;

/**
 * Everything setup or uninstall would do, computed without writing anything. With problems, nothing is written.
 *
 * @param files    per file, in the order the clients were named
 * @param problems files that cannot be edited: what is wrong and what to do
 */
public record SetupPlan(List<FilePlan> files, List<String> problems) {
    public boolean ok() {
        return problems.isEmpty();
    }

    public boolean changesAnything() {
        return files.stream().anyMatch(FilePlan::changed);
    }
}
