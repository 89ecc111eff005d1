package dev.huddle.core.messaging;

import java.time.Instant;

/** An {@code ask_peer} request. It stays pending after its waiter gives up, so a late reply still counts. */
public record Ask(String requestId, String messageId, String requesterId, String targetId, Instant createdAt,
                  State state, String replyMessageId, Instant answeredAt) {

    public enum State {
        PENDING("pending"), ANSWERED("answered");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static State fromWireName(String s) {
            return "answered".equals(s) ? ANSWERED : PENDING;
        }
    }
}
