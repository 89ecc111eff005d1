package dev.huddle.tools.bench;

/** Knobs of one soak, and the bounds its report holds the hub to. */
record SoakSettings(int agents, double minutes, long busyMinMs, long busyMaxMs, double sendProbability, double plainReplyProbability,
                   long askTimeoutMs, long humanGapMinMs, long humanGapMaxMs, double humanPromptShare, long draftHoldMinMs,
                   long draftHoldMaxMs) {
    /** What the hub types (hub.WakeService.wakeText(); a test keeps the two equal). */
    static final String POINTER = "huddle: new messages from peer agents are waiting for you. Call read_my_messages, then act on them.";
    /** An idle recipient must have its message this soon after the commit. */
    static final long IDLE_BOUND_MS = 30_000;

    static SoakSettings of(int agents, double minutes, boolean quick) {
        // quick: every turn sends something, so even a 30-second run exchanges messages
        return new SoakSettings(agents, minutes, 2_000, 20_000, quick ? 1.0 : 0.4, 0.3, 20_000, 1_500, 5_000, 0.5, 2_000, 6_000);
    }
}
