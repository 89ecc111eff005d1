package dev.huddle.core.wake;

/**
 * The outcome of one wake, as {@code wake_status} in send/ask/reply results and in the stored wake record. Wire
 * names are stable. {@link WakePolicy} sets {@link #WILL_FIRE} or one of the policy skips; the hub's routes then
 * replace {@code will_fire} with what actually happened ({@link #setByRoute()}).
 */
public enum WakeStatus {
    // ---- set by WakePolicy ----
    /** Every gate passed: the hub should wake the agent now. */
    WILL_FIRE("will_fire", false),
    /** The sender passed {@code wake:"off"}. */
    SKIPPED_OFF("skipped_off", false),
    /** Wakes are switched off entirely ({@code HUDDLE_WAKE=off} or the config kill switch). */
    SKIPPED_KILL_SWITCH("skipped_kill_switch", false),
    /** The wake strategy is {@code off}: automatic (default) wakes are not sent; explicit ones still are. */
    SKIPPED_STRATEGY_OFF("skipped_strategy_off", false),
    /** The agent is busy (fresh busy signal, or blocked in ask_peer): it reads its messages at its next turn. */
    SKIPPED_BUSY("skipped_busy", false),
    /** The agent is offline: nothing to wake; the message waits in its inbox. */
    SKIPPED_OFFLINE("skipped_offline", false),
    /** The agent was woken moments ago (per-target debounce). */
    SKIPPED_DEBOUNCED("skipped_debounced", false),
    /** The agent has had its per-target quota of wakes in the rate window. */
    SKIPPED_RATE_LIMITED("skipped_rate_limited", false),
    /** A default reply wake needs the requester to be freshly idle, and it is not. */
    SKIPPED_NO_FRESH_IDLE("skipped_no_fresh_idle", false),
    /** This agent was already woken for this {@code reply_to}: one wake per (target, reply_to). */
    SKIPPED_ALREADY_WOKEN("skipped_already_woken", false),
    /** Nothing asked for a wake (for example a plain send to an agent whose hooks deliver it). */
    SKIPPED_NOT_REQUESTED("skipped_not_requested", false),

    // ---- set by the hub's routes after will_fire ----
    /** A route delivered the wake and the client's acknowledgement shows it (for example the rewake hook took it). */
    FIRED("fired", true),
    /** Keystrokes or a queue command went out but nothing yet proves the agent started a turn. */
    FIRED_UNCONFIRMED("fired_unconfirmed", true),
    /** The hub's retry timer saw a fired wake followed by the agent starting a turn (delivered, a tool call, a busy report). */
    CONFIRMED("confirmed", true),
    /** The hub's retry timer stopped retrying: no attempt of this wake was confirmed (the reason says how many were made). */
    GAVE_UP("gave_up", true),
    /** No route reaches this agent (no rewake hook, no codex queue, no verified terminal pane). */
    SKIPPED_NO_ROUTE("skipped_no_route", true),
    /** The agent's input line holds a human's draft: typing would corrupt it, so the wake is deferred. */
    SKIPPED_HUMAN_TYPING("skipped_human_typing", true),
    /** The pane the registry knew no longer hosts this agent process (pane reused, agent gone, pid reused). */
    SKIPPED_WRONG_PANE("skipped_wrong_pane", true),
    /**
     * The agent does not own its terminal's keyboard (suspended, in the background, detached, or a pager, editor,
     * other job or the shell has the foreground): nothing was typed.
     */
    SKIPPED_NOT_FOREGROUND("skipped_not_foreground", true),
    /** The route tried and failed (command error, timeout, pane vanished). */
    FAILED("failed", true);

    private final String wireName;
    private final boolean setByRoute;

    WakeStatus(String wireName, boolean setByRoute) {
        this.wireName = wireName;
        this.setByRoute = setByRoute;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the hub's routes set this status (rather than {@link WakePolicy}). */
    public boolean setByRoute() {
        return setByRoute;
    }

    /** Whether a wake actually went out (or will): the statuses that count as fires. */
    public boolean fired() {
        return this == WILL_FIRE || this == FIRED || this == FIRED_UNCONFIRMED || this == CONFIRMED;
    }

    /** The status with this wire name, or null when there is none (an unknown value in a stored row). */
    public static WakeStatus fromWireName(String s) {
        for (WakeStatus w : values()) if (w.wireName.equals(s)) return w;
        return null;
    }
}
