package dev.huddle.store;

import dev.huddle.core.messaging.Ask;
import dev.huddle.core.messaging.Message;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Persistence of messages, asks and obligations. */
public interface MessageStore {
    void insert(Message m);

    Optional<Message> find(String id);

    /** Undelivered messages to {@code recipientId}, oldest first, leaving out the ids in {@code excludeIds} (offered elsewhere). */
    List<Message> undelivered(String recipientId, Set<String> excludeIds, int limit);

    int countUndelivered(String recipientId);

    /** Marks the messages delivered unless they already are; returns how many changed. */
    int markDelivered(Collection<String> ids, Instant at, Message.DeliveryVia via);

    List<Message> openObligations(String recipientId, int limit);

    int countOpenObligations(String recipientId);

    void closeObligation(String id, Message.ObligationState state, Instant at, String outcomeMessageId);

    /** The first message from {@code senderId} whose {@code reply_to} is {@code requestId}. */
    Optional<Message> replyFrom(String senderId, String requestId);

    void insertAsk(Ask ask);

    Optional<Ask> findAsk(String requestId);

    void markAskAnswered(String requestId, String replyMessageId, Instant at);

    /**
     * Open requests not yet delivered to their recipient, created at or after {@code since}, oldest first: asks
     * still pending and {@code action_required} messages whose obligation is open (the re-poke timer's candidates).
     */
    List<Message> undeliveredOpenRequests(Instant since);

    /** An answered ask and its reply. */
    record AnsweredAsk(Ask ask, Message reply) {}

    /**
     * Asks answered at or after {@code since} whose reply has not been delivered to the requester (the pull-back
     * timer's candidates), oldest first.
     */
    List<AnsweredAsk> answeredWithUnreadReply(Instant since);

    /** Messages of a project (or all projects when null), newest last, after {@code afterSeq}, optionally full-text filtered. */
    List<Message> history(String projectRoot, String match, long afterSeq, int limit);

    /** Pending asks of a project (every project when null), oldest first; the project is the ask message's. */
    List<Ask> pendingAsks(String projectRoot);

    /** Open obligations of a project (every project when null), oldest first. */
    List<Message> openObligationsIn(String projectRoot);

    /** How many messages wait unread for one recipient, and since when. */
    record Unread(String recipientId, int count, Instant oldest) {}

    /** Unread messages per recipient of a project (every project when null), by recipient id. */
    List<Unread> unreadByRecipient(String projectRoot);
}
