package dev.huddle.core.wake;

/**
 * Why a wake was wanted at all: the rule of {@link WakePolicy} that asked for it. Stable wire names, stored with
 * each wake so {@code huddle diagnose} can summarise by basis. Explicit bases survive {@code strategy=off};
 * automatic ones do not.
 */
public enum WakeBasis {
    /** The sender passed {@code wake:"auto"}. */
    EXPLICIT("explicit", false),
    /** {@code ask_peer}: the asker is waiting on the answer. */
    ASK_PEER("ask_peer", false),
    /** Retry of a wake that already passed the policy. */
    RETRY("retry", false),
    /** A wake the debounce or rate limit refused, decided again when they allow it (it had passed the gates before them). */
    DEFERRED("deferred", false),
    /** {@code action_required} defaults to auto. */
    ACTION_REQUIRED("action_required", true),
    /** {@code complete_work}/{@code block_work} default to auto: the requester is waiting for the outcome. */
    OUTCOME("outcome", true),
    /** Messages from the human operator default to auto. */
    OPERATOR("operator", true),
    /** A bound agent with no activity signal (no hooks) cannot be told to read at its next turn: wake it. */
    HOOKLESS_DEFAULT("hookless_default", true),
    /** A reply to a freshly idle requester (the strict reply default). */
    REPLY_DEFAULT("reply_default", true),
    /** A reply to the requester's pending, timed-out ask (lenient). */
    LATE_REPLY("late_reply_to_pending", true),
    /** Hub timer: re-poke a silent delegate. */
    REPOKE("repoke", true),
    /** Hub timer: pull back a requester whose timed-out ask was answered. */
    PULL_BACK("pull_back", true);

    private final String wireName;
    private final boolean automatic;

    WakeBasis(String wireName, boolean automatic) {
        this.wireName = wireName;
        this.automatic = automatic;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether huddle decided to wake on its own (so {@code strategy=off} suppresses it). */
    public boolean automatic() {
        return automatic;
    }
}
