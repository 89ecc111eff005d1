package dev.huddle.core.identity;

/** What an agent is doing, as far as huddle can tell (hooks report busy/idle; without hooks it is unknown). */
public enum Activity {
    BUSY("busy"),
    IDLE("idle"),
    UNKNOWN("unknown");

    private final String wireName;

    Activity(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Activity fromWireName(String s) {
        for (Activity a : values()) if (a.wireName.equals(s)) return a;
        return UNKNOWN;
    }
}
