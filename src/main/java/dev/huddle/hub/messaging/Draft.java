package dev.huddle.hub.messaging;

import dev.huddle.core.messaging.MessageRules;

/** What a send asks for, validated. */
public record Draft(String body, String wake, String replyTo, String sourceMessageId, boolean actionRequired) {
    public static Draft of(String body, String wake, String replyTo, String sourceMessageId, Boolean actionRequired) {
        return new Draft(MessageRules.body(body), MessageRules.wake(wake),
                replyTo == null ? null : MessageRules.messageId(replyTo, "reply_to"),
                sourceMessageId == null ? null : MessageRules.messageId(sourceMessageId, "source_message_id"),
                Boolean.TRUE.equals(actionRequired));
    }

    /** A message with nothing but a body: no wake override, no reply target, no obligation. */
    static Draft plain(String body) {
        return of(body, null, null, null, false);
    }
}
