package dev.huddle.protocol.cockpit;

import java.time.Instant;

/**
 * One message of the cockpit's feed.
 *
 * @param kind      message, ask, reply, work, operator (from the human) or notice (from huddle itself)
 * @param delivered how it was delivered (hook, tool, ask_reply), absent while pending
 * @param body      the start of the body
 */
public record FeedItem(long seq, String id, Instant at, String from, String to, String kind, String obligation,
                       String delivered, String body) {}
