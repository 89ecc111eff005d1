package dev.huddle.agents.setup;

/**
 * One entry huddle manages in a config file and what setup or uninstall does to it.
 *
 * @param item   what, as the file names it ({@code mcpServers.huddle}, {@code hooks.PreToolUse})
 * @param action what happens to it
 * @param detail why or how (the keys that changed, "v0 → v1"), or empty
 */
public record Change(String item, Action action, String detail) {
    public enum Action {
        ADDED, UPDATED, UNCHANGED, REMOVED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Change of(String item, Action action) {
        return new Change(item, action, "");
    }
}
