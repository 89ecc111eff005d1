package dev.huddle.core.wake;

/** What prompted a wake: the kind of message (or hub timer) behind a {@link WakeRequest}. */
public enum WakeKind {
    /** A plain {@code send_message} (no reply_to, not action_required). */
    SEND("send"),
    /** A reply: {@code reply_to_message}, or {@code send_message} with {@code reply_to}. Target = the requester. */
    REPLY("reply"),
    /** {@code ask_peer}: the asker is waiting for the answer. */
    ASK("ask"),
    /** A {@code send_message} with {@code action_required}: the recipient owes an outcome. */
    ACTION_REQUIRED("action_required"),
    /** {@code complete_work} / {@code block_work}: the outcome goes back to the requester. */
    OUTCOME("outcome"),
    /** A message from the human operator ({@code huddle message}). */
    OPERATOR("operator"),
    /** Hub timer: re-poke the silent delegate of an open ask or obligation. */
    REPOKE("repoke"),
    /** Hub timer: pull a requester back when its timed-out ask has been answered. */
    PULL_BACK("pull_back"),
    /** Hub timer: retry an unconfirmed wake (the same wake again, not a new one). */
    RETRY("retry"),
    /**
     * Hub timer: decide again a message's wake that the debounce or the rate limit refused, once they would allow
     * it (one per target at a time, for its newest unread such message).
     */
    DEFERRED("deferred");

    private final String wireName;

    WakeKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The kind with this wire name, or null. */
    public static WakeKind fromWireName(String name) {
        for (WakeKind k : values()) if (k.wireName.equals(name)) return k;
        return null;
    }
}
