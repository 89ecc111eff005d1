package dev.huddle.agents.setup;

/** Where huddle is installed: for this user (all projects), or in one repository's committed config files. */
public enum Scope {
    USER, PROJECT;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
