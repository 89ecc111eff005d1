package dev.huddle.core.messaging;

import java.time.Instant;

/**
 * One message to one recipient. {@code seq} orders delivery; {@code id} (16 hex characters) is stable forever,
 * so a reader that sees a message twice (at-least-once across crashes) can recognise it.
 */
public record Message(
        long seq,
        String id,
        String projectRoot,
        String senderId,
        Origin origin,
        String recipientId,
        String body,
        String requestId,
        String replyTo,
        String sourceMessageId,
        boolean actionRequired,
        String wake,
        Instant createdAt,
        Instant deliveredAt,
        DeliveryVia deliveredVia,
        ObligationState obligation,
        Instant obligationClosedAt,
        String outcomeMessageId) {

    public enum Origin {
        PEER("peer"), OPERATOR("operator"),
        /** A notice from huddle itself (a claimed file changed by a shell command, a claim released by the human): no sender to answer. */
        HUDDLE("huddle");

        private final String wireName;

        Origin(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Origin fromWireName(String s) {
            return "operator".equals(s) ? OPERATOR : "huddle".equals(s) ? HUDDLE : PEER;
        }
    }

    /** How a message reached the model. */
    public enum DeliveryVia {
        HOOK("hook"), TOOL("tool"), ASK_REPLY("ask_reply");

        private final String wireName;

        DeliveryVia(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static DeliveryVia fromWireName(String s) {
            for (DeliveryVia v : values()) if (v.wireName.equals(s)) return v;
            return null;
        }
    }

    /** The recipient's duty for an {@code action_required} message. */
    public enum ObligationState {
        OPEN("open"), DONE("done"), BLOCKED("blocked");

        private final String wireName;

        ObligationState(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static ObligationState fromWireName(String s) {
            for (ObligationState o : values()) if (o.wireName.equals(s)) return o;
            return null;
        }
    }

    public boolean delivered() {
        return deliveredAt != null;
    }

    public int bodyBytes() {
        return MessageRules.utf8Length(body);
    }
}
