package dev.huddle.agents;

/**
 * Whether a client runs huddle's tools without asking its human first ({@link AgentClient#toolApproval}), for
 * {@code huddle doctor}: a client that asks cannot use them unattended, and Gemini CLI's headless mode ({@code -p})
 * does not even offer tools that would need a confirmation.
 *
 * @param unattended whether huddle's tools run without a confirmation
 * @param detail     what was found, and where
 * @param advice     what to do for unattended use, exactly (null when {@code unattended})
 */
public record ToolApproval(boolean unattended, String detail, String advice) {
}
