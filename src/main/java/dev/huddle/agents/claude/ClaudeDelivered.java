package dev.huddle.agents.claude;

import dev.huddle.agents.transcript.HuddleFrame;
import dev.huddle.agents.transcript.TranscriptJson;

import tools.jackson.databind.JsonNode;

/**
 * Finds what huddle's hooks delivered in Claude Code transcript records (verified on 2.1.329), so a reader shows it as
 * huddle's, not as the user's or not at all: the frame alone, without the client's labels and reminder tags.
 */
final class ClaudeDelivered {
    private static final String STOP_FEEDBACK = "Stop hook feedback:\n";
    private static final String REMINDER_END = "</system-reminder>";

    private ClaudeDelivered() {}

    /**
     * A Stop or PreToolUse hook's {@code additionalContext}: an {@code attachment} of type
     * {@code hook_additional_context} whose {@code content} lists the texts; null when none holds huddle's frame.
     */
    static String additionalContext(JsonNode attachment) {
        if (attachment == null || !"hook_additional_context".equals(TranscriptJson.str(attachment, "type"))) return null;
        JsonNode content = attachment.get("content");
        StringBuilder text = new StringBuilder();
        if (content != null && content.isArray()) {
            for (JsonNode c : content) {
                String d = c.isString() ? delivery(c.stringValue()) : null;
                if (d != null) appendLine(text, d);
            }
        } else if (content != null && content.isString()) {
            String d = delivery(content.stringValue());
            if (d != null) text.append(d);
        }
        return text.isEmpty() ? null : text.toString();
    }

    /**
     * The turn a rewake hook started: a {@code user} record of origin {@code task-notification}, its content
     * {@code <task-notification><summary>…</summary></task-notification><system-reminder>label frame</system-reminder>}.
     */
    static String notification(JsonNode content) {
        return delivery(joinedText(content));
    }

    /** The meta {@code user} record {@code Stop hook feedback:\n<reason>} of a Stop hook's {@code decision: "block"}. */
    static String stopFeedback(JsonNode content) {
        String raw = joinedText(content);
        return raw.startsWith(STOP_FEEDBACK) ? delivery(raw) : null;
    }

    /** huddle's frame in text the client wrapped around it (a label, a reminder), or null when there is none. */
    static String delivery(String raw) {
        int at = HuddleFrame.indexIn(raw);
        if (at < 0) return null;
        String t = raw.substring(at);
        int end = t.lastIndexOf(REMINDER_END); // the reminder the client put the hook's output in
        return (end >= 0 ? t.substring(0, end) : t).strip();
    }

    /** The text blocks of a message's content (a string, or blocks), joined. */
    private static String joinedText(JsonNode content) {
        if (content == null) return "";
        if (content.isString()) return content.stringValue();
        StringBuilder text = new StringBuilder();
        if (content.isArray()) {
            for (JsonNode b : content) {
                String t = "text".equals(TranscriptJson.str(b, "type")) ? TranscriptJson.str(b, "text") : null;
                if (t != null) appendLine(text, t);
            }
        }
        return text.toString();
    }

    private static void appendLine(StringBuilder b, String t) {
        if (!b.isEmpty()) b.append('\n');
        b.append(t);
    }
}
