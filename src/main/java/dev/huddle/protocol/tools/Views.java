package dev.huddle.protocol.tools;

import java.util.List;
import java.util.Map;

/** The JSON shapes tools return (serialised with snake_case names; absent values are left out). */
public final class Views {
    private Views() {}

    /** {@code source}: "hooks" when the client's hooks report busy/idle, else "tool_calls" (only tool calls to go by). */
    public record ActivityView(String state, String since, Long ageS, String lastToolCallAt, String source, String lastHookAt) {}

    /**
     * Where an agent's terminal is; {@code past} (true, else absent) when the agent is offline: where it last ran,
     * never verified, labelled {@code was …}.
     */
    public record TerminalView(String kind, String session, String pane, String window, boolean verified, String label, Boolean past) {}

    public record SessionView(
            String sessionId,
            String handle,
            String name,
            String clientType,
            boolean bound,
            String binding,
            String cwd,
            String purpose,
            String stateUpdatedAt,
            ActivityView activity,
            boolean online,
            String offlineReason,
            String lastSeenAt,
            TerminalView terminal,
            String transcriptPath,
            boolean isMe) {}

    /** {@code frame}: peers' names and purposes are their own words, peer context (present when a peer set one). */
    public record ListSessionsResult(boolean ok, String frame, String projectRoot, boolean inferred, String me, int count,
                                     List<SessionView> sessions) {}

    /** {@code readable} is false when the agent opted out of read_session, else absent. */
    public record StateView(String purpose, String name, String updatedAt, Boolean readable) {}

    public record SetStateResult(boolean ok, StateView state, String tookNameFrom) {}

    public record BindingView(String source, String description) {}

    public record ProcessView(long pid, String startedAt) {}

    public record NextStep(String tool, String instruction, String bashCommand) {}

    public record MySessionResult(
            boolean ok,
            boolean bound,
            String sessionId,
            String handle,
            String name,
            String clientType,
            String clientName,
            BindingView binding,
            String projectRoot,
            String cwd,
            ProcessView agentProcess,
            TerminalView terminal,
            int connectedFronts,
            NextStep nextStep) {}

    public record ClaimResult(boolean ok, String sessionId, String previousSessionId, String binding, String note) {}

    public record ErrorBody(String code, String message, String hint, Map<String, Object> details) {}

    public record ErrorResult(boolean ok, ErrorBody error) {}

    // ---- messaging ----

    public record PeerRef(String sessionId, String handle, String name, String clientType) {}

    public record SentView(String messageId, String targetSessionId, String targetHandle, String targetName,
                           Boolean targetOnline, String requestId, String wakeStatus, String wakeReason) {}

    public record SendResult(boolean ok, String messageId, String targetSessionId, String targetHandle, String targetName,
                             boolean targetOnline, Boolean actionRequired, String wake, String correlation, String note,
                             String wakeStatus, String wakeReason) {}

    public record BroadcastResult(boolean ok, boolean broadcast, int count, List<SentView> messages, String note) {}

    public record InboxMessage(String id, String origin, PeerRef from, String body, String enqueuedAt, Integer bodyBytes,
                               String requestId, String replyTo, String sourceMessageId, Boolean actionRequired) {}

    public record ReadResult(boolean ok, String frame, int count, List<InboxMessage> messages, int deferredCount,
                             Integer openWorkCount, String hint) {}

    public record ReplyResult(boolean ok, String messageId, String inReplyToMessageId, String targetSessionId,
                              String targetHandle, String replyTo, String correlation, String wakeStatus, String wakeReason) {}

    /** {@code frame}: present with a reply, which is peer context. */
    public record AskResult(boolean ok, String frame, String messageId, String requestId, String targetSessionId, String targetHandle,
                            boolean timedOut, InboxMessage reply, long waitedMs, long timeoutMs, Long timeoutClampedFromMs,
                            String note, String wakeStatus, String wakeReason) {}

    public record StatusResult(boolean ok, String messageId, String status, String deliveredAt, String via,
                               String enqueuedAt, String recipientSessionId, String recipientHandle, String note,
                               String wakeStatus, String wakeReason, String wakeRoute) {}

    public record OpenWork(String messageId, PeerRef from, String origin, String requestId, String body, String enqueuedAt,
                           long ageS) {}

    /** {@code frame}: present with requests, which are peer context. */
    public record OpenWorkResult(boolean ok, String frame, int count, List<OpenWork> open, int deferredCount) {}

    public record WorkClosedResult(boolean ok, String messageId, String obligationState, String outcomeMessageId,
                                   String requesterSessionId, Boolean alreadyClosed, String wakeStatus, String wakeReason) {}

    // ---- read_session ----

    public record ReadPeerView(String sessionId, String handle, String name, String clientType, boolean online, String activity) {}

    /** {@code source}: {@code reported} (by the client's hooks) or {@code computed}. */
    public record TranscriptFileView(String path, String source, String format, long sizeBytes, String modifiedAt, Long ageS) {}

    public record ToolCallView(String name, String input, String result, Boolean isError) {}

    public record TranscriptMessageView(String role, String text, String timestamp, List<ToolCallView> toolCalls) {}

    public record PaneView(String tmuxSession, String pane, String window, int lines, int maxChars, String text, Integer truncatedChars) {}

    public record ClampedView(long requested, long used) {}

    public record ReadSessionResult(boolean ok, String frame, ReadPeerView peer, String mode, TranscriptFileView transcript,
                                    List<TranscriptMessageView> messages, Integer count, Integer totalMessages,
                                    Boolean totalMessagesExact, Boolean countTruncated, Boolean bytesTruncated,
                                    Integer skippedLines, PaneView pane, String fallbackReason,
                                    Map<String, ClampedView> clamped, String note) {}

    /** One claim as tools show it: the holder by session id (or handle while unbound) and name. */
    /** {@code implicit}: true for "being edited" (recorded from an edit, not claimed), with {@code last_edit}. */
    public record ClaimView(String path, String mode, String holder, String holderName, String holderHandle, boolean mine,
                            String reason, String since, String expires, Long expiresInS, Boolean implicit, String lastEdit) {}

    /** {@code normalised}: what each passed path became (only where it differs); {@code ttl_note}: a clamped TTL. */
    public record ClaimPathsResult(boolean ok, String mode, int count, List<ClaimView> claims, List<Map<String, String>> normalised,
                                   Long ttlS, String ttlNote) {}

    public record ReleasePathsResult(boolean ok, int count, List<String> released, List<String> notHeld) {}

    public record ListClaimsResult(boolean ok, String projectRoot, int count, List<ClaimView> claims) {}
}
