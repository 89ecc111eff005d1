package dev.huddle.hub.reading;

import dev.huddle.core.HuddleError;
import dev.huddle.core.identity.Agent;
import dev.huddle.protocol.json.Json;
import dev.huddle.protocol.tools.Views;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.ReadRequestStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * read_session (and huddle read) of another machine's agent, on a shared store: this hub writes a request row, the
 * agent's own hub answers it ({@link ReadAnswers}), and this hub, woken by the answer's commit notification (no
 * polling), takes the answer and deletes the row. A hub that does not answer in time is named in the error.
 */
public final class RemoteReads {
    /** How long a reader waits for the owning hub's answer. */
    public static final Duration ANSWER_WAIT = Duration.ofSeconds(10);

    private final ReadRequestStore requests;
    private final ChangeSignal changes;
    private final Clock clock;
    private final Duration wait;

    public RemoteReads(ReadRequestStore requests, ChangeSignal changes, Clock clock, Duration wait) {
        this.requests = requests;
        this.changes = changes;
        this.clock = clock;
        this.wait = wait;
    }

    /**
     * Asks {@code owner}'s hub to read {@code peer} for {@code me} (null: this machine's user) as {@code params} say; its
     * answer, or its refusal as the error it names.
     */
    Views.ReadSessionResult read(Agent me, Agent peer, String owner, RemoteRead params) {
        Instant now = clock.instant();
        long seen = changes.generation(); // before the request: its answer's commit comes after
        long id = requests.ask(me == null ? null : me.agentId(), peer.agentId(), owner, Json.write(params), now,
                now.plus(wait).plus(wait)); // kept a while after the wait: a late answer finds it, any hub deletes it
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                Optional<ReadRequestStore.ReadRequest> r = requests.find(id);
                if (r.isEmpty()) throw silent(owner, peer, "its request was deleted");
                if (!r.get().pending()) return answer(r.get(), owner);
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) throw silent(owner, peer, null);
                seen = changes.awaitAfter(seen, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HuddleError("interrupted", "the read of " + peer.handle() + " was interrupted", "Try again.");
        } finally {
            try {
                requests.delete(id);
            } catch (RuntimeException ignored) {
                // an expired row is deleted by the next hub that answers or asks
            }
        }
    }

    private static Views.ReadSessionResult answer(ReadRequestStore.ReadRequest r, String owner) {
        if (ReadRequestStore.ANSWERED.equals(r.status())) {
            return RemoteRead.with(Json.read(r.response(), Views.ReadSessionResult.class), Map.of(), "read by the hub of machine " + owner);
        }
        RemoteRead.Failure f = r.response() == null ? null : Json.read(r.response(), RemoteRead.Failure.class);
        if (f == null || f.code() == null) {
            throw new HuddleError("remote-read-failed", "machine " + owner + "'s hub could not read the agent", "Ask it instead, with send_message or ask_peer.");
        }
        throw new HuddleError(f.code(), f.message(), f.hint());
    }

    private HuddleError silent(String owner, Agent peer, String why) {
        return new HuddleError("remote-read-timeout", "machine " + owner + "'s hub did not answer in " + wait.toSeconds() + " s"
                + (why == null ? "" : " (" + why + ")"), "Its hub may be stopped or cut off from the database: ask " + peer.handle()
                + " instead, with send_message or ask_peer (its hub delivers when it is back), or start huddle on " + owner + ".");
    }
}
