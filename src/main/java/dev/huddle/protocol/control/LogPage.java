package dev.huddle.protocol.control;

import dev.huddle.protocol.json.KeepNull;

import java.time.Instant;
import java.util.List;

/**
 * The reply to {@code log}: messages oldest first, and the sequence number to ask after next.
 *
 * @param projectRoot the project, or null for every project
 */
public record LogPage(@KeepNull String projectRoot, List<Entry> messages, long lastSeq) {
    public LogPage {
        messages = messages == null ? List.of() : messages;
    }

    /**
     * One message.
     *
     * @param from       "name (handle)", the handle, or {@code operator}/{@code huddle} for messages without a sender
     * @param obligation action_required work: open, done or blocked; absent for other messages
     * @param delivered  how it was delivered (hook, tool, ask_reply), or null while pending
     */
    public record Entry(long seq, String id, Instant at, String projectRoot, String from, String to, String body,
                        String requestId, String replyTo, String obligation, @KeepNull String delivered) {}
}
