package dev.huddle.agents.transcript;

import java.time.Instant;
import java.util.List;

/**
 * One message of a session as a peer sees it: what the user wrote, what the assistant answered (with its tool
 * calls, compactly, when asked for), or the summary a compaction left.
 *
 * @param role      {@code user}, {@code assistant}, {@code summary}, or {@code huddle} (what a huddle hook put in front
 *                  of the model: peer messages inside huddle's frame)
 * @param text      the message's text ("" for an assistant turn that only called tools)
 * @param timestamp when the client recorded it, if it says
 * @param toolCalls the assistant's tool calls with their results (empty unless tools were asked for)
 */
public record TranscriptMessage(String role, String text, Instant timestamp, List<ToolCall> toolCalls) {
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    public static final String SUMMARY = "summary";
    public static final String HUDDLE = "huddle";

    public TranscriptMessage {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    /** Nothing to show: no text and no tool call. */
    public boolean empty() {
        return text.isBlank() && toolCalls.isEmpty();
    }

    /** What the message costs against a byte budget: its text and its tool calls, in UTF-8. */
    public int bytes() {
        int n = Utf8.length(text);
        for (ToolCall c : toolCalls) n += c.bytes();
        return n;
    }

    public TranscriptMessage withText(String newText) {
        return new TranscriptMessage(role, newText, timestamp, toolCalls);
    }
}
