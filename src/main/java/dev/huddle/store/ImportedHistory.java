package dev.huddle.store;

import java.util.Map;

/**
 * What {@code huddle team import} copied from a machine's local history into the shared store, or would copy on a dry
 * run: rows copied, and rows there already (same id).
 *
 * @param renamed  agents that arrived without their name (another agent holds it in the shared project)
 * @param projects each local project key (a repository path) and the shared key its rows arrived under
 */
public record ImportedHistory(int agents, int agentsThere, int messages, int messagesThere, int asks, int asksThere, int renamed,
                              Map<String, String> projects, boolean dryRun) {}
