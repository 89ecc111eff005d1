package dev.huddle.protocol.control;

import dev.huddle.protocol.tools.Views;

import java.util.List;

/** The reply to {@code send} and {@code nudge}: one entry per message sent (none when nobody was online for {@code all}). */
public record SendReceipt(String projectRoot, int count, List<Views.SentView> messages) {
    public SendReceipt {
        messages = messages == null ? List.of() : messages;
    }

    /** The first message's id, or "?". */
    public String firstMessageId() {
        return messages.isEmpty() ? "?" : String.valueOf(messages.getFirst().messageId());
    }
}
