package dev.huddle.terminal;

/** The outcome of one terminal wake, with the stable names huddle reports as {@code wake_status}. */
public enum WakeStatus {
    /** Keystrokes landed in the proven pane and the screen shows the text left the input line. */
    FIRED("fired"),
    /** Keystrokes were sent but the submission could not be verified (route without screen proof, or no change seen). */
    FIRED_UNCONFIRMED("fired_unconfirmed"),
    /** No terminal route: not in a known terminal, the terminal tool is missing, or no pane hosts the agent. */
    SKIPPED_NO_ROUTE("skipped_no_route"),
    /** The input line holds a draft the agent did not print (or the pane is in copy mode): nothing was typed. */
    SKIPPED_HUMAN_TYPING("skipped_human_typing"),
    /** The pane the registry knew no longer hosts this agent process (pane reused, agent gone, pid reused). */
    SKIPPED_WRONG_PANE("skipped_wrong_pane"),
    /**
     * The agent does not own its terminal's keyboard: it is suspended, in the background, detached from any
     * terminal, or a child program (a pager, an editor, another job, the shell) has the foreground: nothing was typed.
     */
    SKIPPED_NOT_FOREGROUND("skipped_not_foreground"),
    /** A terminal command failed or timed out midway. */
    FAILED("failed");

    private final String wireName;

    WakeStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether any keystrokes reached the terminal. */
    public boolean fired() {
        return this == FIRED || this == FIRED_UNCONFIRMED;
    }
}
