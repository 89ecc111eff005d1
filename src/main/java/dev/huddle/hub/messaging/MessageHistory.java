package dev.huddle.hub.messaging;

import dev.huddle.core.messaging.Message;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.MessageStore;
import dev.huddle.store.Transactor;

import java.util.List;

/** What the human reads about a project's messages: its history ({@code huddle log}, the cockpit) and its waits. */
public final class MessageHistory {
    /** The most rows one page holds. */
    private static final int MAX_PAGE = 1000;

    private final MessageStore messages;
    private final Transactor tx;
    private final ChangeSignal changes;

    /** @param changes the database's commit signal, which {@link #follow} waits on */
    MessageHistory(MessageStore messages, Transactor tx, ChangeSignal changes) {
        this.messages = messages;
        this.tx = tx;
        this.changes = changes;
    }

    /**
     * A project's messages after {@code afterSeq}, oldest first, at most {@code limit} (1 to 1000); {@code grep}
     * matches words of the body (null: all). {@code project} null: every project.
     */
    public List<Message> history(String project, String grep, long afterSeq, int limit) {
        String match = grep == null || grep.isBlank() ? null : "\"" + grep.replace("\"", "\"\"") + "\"";
        return messages.history(project, match, afterSeq, Math.max(1, Math.min(limit, MAX_PAGE)));
    }

    /**
     * {@code huddle log --follow}: {@link #history}, and when it is empty, waits up to {@code waitMs} for a commit
     * that adds to it (no polling: the thread sleeps on the database's commit signal). Returns what is there when
     * rows arrive, the wait ends, or the thread is interrupted.
     */
    public List<Message> follow(String project, String grep, long afterSeq, int limit, long waitMs) {
        long deadline = System.currentTimeMillis() + waitMs;
        long seen = changes.generation(); // before the query: a commit in between is not missed
        List<Message> rows = history(project, grep, afterSeq, limit);
        long left;
        while (rows.isEmpty() && (left = deadline - System.currentTimeMillis()) > 0) {
            try {
                seen = changes.awaitAfter(seen, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            rows = history(project, grep, afterSeq, limit); // any commit wakes us: most add nothing to this page
        }
        return rows;
    }

    /** What {@code project}'s agents wait for (null: every project). */
    public OpenWaits openWaits(String project) {
        return tx.inTransaction(() -> new OpenWaits(messages.pendingAsks(project), messages.openObligationsIn(project),
                messages.unreadByRecipient(project)));
    }
}
