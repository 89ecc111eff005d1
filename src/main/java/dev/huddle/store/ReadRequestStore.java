package dev.huddle.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * read_session of another machine's agent, through a shared store: the reading hub writes a request, the agent's own
 * hub (its {@code owner} machine) answers it, the reading hub takes the answer and deletes the row.
 */
public interface ReadRequestStore {
    /** The longest response a hub writes: a read that does not fit is answered with an error instead. */
    int MAX_RESPONSE_CHARS = 256 * 1024;

    /**
     * One request and, once answered, its response.
     *
     * @param requesterId the reading agent, null for its machine's user ({@code huddle read})
     * @param owner       the machine whose hub answers: the target agent's
     * @param params      what to read, as JSON
     * @param status      {@code pending}, then {@code answered} (response: the read) or {@code failed} (response: the error)
     */
    record ReadRequest(long id, String requesterId, String targetId, String owner, String params, String status, String response,
                       Instant createdAt, Instant answeredAt, Instant expiresAt) {
        public boolean pending() {
            return PENDING.equals(status);
        }
    }

    String PENDING = "pending";
    String ANSWERED = "answered";
    String FAILED = "failed";

    /** Writes a pending request; returns its id. */
    long ask(String requesterId, String targetId, String owner, String params, Instant now, Instant expiresAt);

    Optional<ReadRequest> find(long id);

    /**
     * The pending requests {@code owner} answers, not expired at {@code now}, oldest first. On a shared store "now" in
     * this and the calls below is the database server's clock (the rows' times are the server's), not {@code now}.
     */
    List<ReadRequest> pendingFor(String owner, Instant now);

    /** Answers a pending request; false when it was answered, deleted or had expired already. */
    boolean answer(long id, String status, String response, Instant at);

    void delete(long id);

    /** Deletes the requests expired before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
