package dev.huddle.hub.wake;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.messaging.Message;
import dev.huddle.core.wake.WakeDecision;
import dev.huddle.core.wake.WakeKind;
import dev.huddle.core.wake.WakeRequest;
import dev.huddle.core.wake.WakeRetryPolicy;
import dev.huddle.core.wake.WakeSettings;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.core.wake.WakeTarget;
import dev.huddle.store.AgentStore;
import dev.huddle.store.MessageStore;
import dev.huddle.store.Transactor;
import dev.huddle.store.WakeRecord;
import dev.huddle.store.WakeStore;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The hub's reliability timers for waking, all on one scheduler thread that sleeps until the next look is due
 * (nothing runs while nothing is pending). A look acts on what is due, by the pure rules of
 * {@link WakeRetryPolicy}, and always through {@link dev.huddle.core.wake.WakePolicy} (via {@link WakeService}), so the
 * kill switch, offline, busy, debounce and rate limit apply to timers too:
 * <ol>
 * <li><b>Retry an unconfirmed wake.</b> A message's wake whose route typed or queued a pointer (any route but
 *     {@code async_rewake}, whose hook answer carries the mail itself and is settled by the delivery handshake, and a
 *     client's command route whose queued pointer the client keeps until it takes it, such as {@code codex_queue}) and
 *     said {@code fired} or {@code fired_unconfirmed}, or that was deferred ({@code skipped_human_typing}), is looked
 *     at again after the backoff delay. It is <i>confirmed</i> when the agent has the message (delivered), called a
 *     huddle tool, or its hooks reported a turn (busy) since the first attempt: then a {@code confirmed} row ends
 *     it. Otherwise the next attempt is recorded with its number ({@code kind} retry, attempt 2, 3, ...) until the
 *     rule gives up: a {@code gave_up} row says after how many. A retry the policy refuses ends it with that skip.</li>
 * <li><b>Re-poke a silent delegate</b> of a pending ask or an open obligation whose message it has not received
 *     ({@code kind} repoke, attempt = the poke's number; every decision counts against the cap, fired or not).</li>
 * <li><b>Pull back the requester</b> of an answered ask whose reply it has not picked up (its ask_peer had timed
 *     out), once ({@code kind} pull_back), unless the reply was sent with {@code wake: "off"}; while the requester
 *     is blocked in an ask_peer the pull-back waits.</li>
 * <li><b>Decide again a deferred wake.</b> A message's own wake that the debounce or the rate limit refused
 *     ({@code skipped_debounced}, {@code skipped_rate_limited}) is decided again when both would next allow a wake
 *     of its target ({@code kind} deferred, attempt = the refused one's + 1), by {@link WakeRetryPolicy#refusedWake}.
 *     One per target at a time, for its newest such message (a wake is a pointer to all its mail); nothing fires
 *     once that message is delivered or any wake of the target was decided after the refusal (its pointer covers
 *     it). Refused again by the same two rules, it is deferred again; any other skip (busy, offline, kill switch)
 *     ends it; a deferred wake that fires is retried like a message's own. It gives up, with a {@code gave_up} row,
 *     when the message is {@link WakeRetryPolicy#DEFERRED_MAX_AGE} (1 h) old.</li>
 * </ol>
 * Timer wakes (re-pokes, pull-backs) are not retried: a re-poke is itself the next try, a pull-back is once.
 *
 * <p>No state lives here: each look derives the pending work from the wakes, messages, asks and agents tables,
 * so a restarted hub carries on (work older than each timer's horizon is left alone). Decisions and route outcomes
 * ({@link WakeService.Listener}) bring the next look forward to when their follow-up is due.
 */
public final class WakeTimers implements WakeService.Listener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WakeTimers.class.getName());
    /** The least time between looks, so state that a look could not change never spins the thread. */
    static final Duration MIN_GAP = Duration.ofMillis(100);
    /** A look that failed (the database is busy or broken) is tried again after this. */
    static final Duration AFTER_FAILURE = Duration.ofSeconds(5);
    /** Slack added to each timer's horizon: how far back a look reads. */
    static final Duration HORIZON_SLACK = Duration.ofMinutes(1);

    /** What a timer's wake goes through: {@link WakeService#afterCommit(String, Agent, WakeRequest, int)} in the hub. */
    public interface Waker {
        WakeService.Outcome wake(String messageId, Agent target, WakeRequest request, int attempt);
    }

    private final AgentStore agents;
    private final MessageStore messages;
    private final WakeStore wakes;
    private final Transactor tx;
    private final WakeSettings settings;
    private final Clock clock;
    private final Waker waker;
    private final Predicate<String> inAskPeer;
    private final ScheduledExecutorService scheduler;
    private final Set<String> keptRoutes;
    private ScheduledFuture<?> next; // guarded by this
    private Instant nextAt; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param inAskPeer  whether an agent is blocked in an {@code ask_peer} call right now (mid-turn, whatever its hooks say)
     * @param scheduler  null: nothing is scheduled, {@link #look()} runs only when called (unit tests)
     * @param keptRoutes the routes whose fired wakes the client keeps until it takes them: not retried
     */
    public WakeTimers(AgentStore agents, MessageStore messages, WakeStore wakes, Transactor tx, WakeSettings settings, Clock clock,
                      Waker waker, Predicate<String> inAskPeer, ScheduledExecutorService scheduler, Set<String> keptRoutes) {
        this.agents = agents;
        this.messages = messages;
        this.wakes = wakes;
        this.tx = tx;
        this.settings = settings;
        this.clock = clock;
        this.waker = waker;
        this.inAskPeer = inAskPeer;
        this.scheduler = scheduler;
        this.keptRoutes = Set.copyOf(keptRoutes);
    }

    /** Takes up the pending work the database holds (a restarted hub carries on): a first look now. */
    public void start() {
        nudge(clock.instant());
    }

    // ---- scheduling ----

    /** How long after a refused decision the look that defers it runs: a burst's refusals share it. */
    static final Duration DEFERRED_LOOK_DELAY = Duration.ofMillis(250);

    @Override
    public void decided(WakeRequest request, WakeDecision decision, Instant at) {
        if (decision.fire()) nudge(at.plus(WakeChain.ROUTE_TIMEOUT)); // the route's outcome brings it forward (routed)
        if (request.kind() == WakeKind.ASK || request.kind() == WakeKind.ACTION_REQUIRED) nudge(at.plus(settings.repokeGrace()));
        if (request.replyTo() != null && request.kind() != WakeKind.PULL_BACK) nudge(at.plus(settings.pullBackGrace()));
        // A look works out when the policy allows it. It reads every refusal of the last while, so a burst of sends
        // shares one look a moment later instead of one each (issue 18: one look per send capped throughput).
        if (deferrable(request.kind(), decision.status())) nudge(at.plus(DEFERRED_LOOK_DELAY));
    }

    /** Whether a refusal of this kind of wake is decided again later (see the class comment). */
    static boolean deferrable(WakeKind kind, WakeStatus status) {
        return (status == WakeStatus.SKIPPED_DEBOUNCED || status == WakeStatus.SKIPPED_RATE_LIMITED)
                && kind != WakeKind.RETRY && kind != WakeKind.REPOKE && kind != WakeKind.PULL_BACK;
    }

    @Override
    public void routed(int attempt, Instant at) {
        nudge(at.plus(retryDelay(attempt)));
    }

    /** Makes sure a look runs no later than {@code at}. */
    synchronized void nudge(Instant at) {
        if (closed || scheduler == null) return;
        if (nextAt != null && !nextAt.isAfter(at) && next != null && !next.isDone()) return; // an earlier look is planned
        if (next != null) next.cancel(false);
        long ms = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        nextAt = at;
        next = scheduler.schedule(this::run, ms, TimeUnit.MILLISECONDS);
    }

    /** When the next look is planned (null: none). */
    synchronized Instant nextLookAt() {
        return next == null || next.isDone() ? null : nextAt;
    }

    private void run() {
        synchronized (this) {
            nextAt = null;
            next = null;
        }
        Instant due;
        try {
            due = look();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "wake timers: a look failed; trying again in " + AFTER_FAILURE.toSeconds() + " s", e);
            due = clock.instant().plus(AFTER_FAILURE);
        }
        if (due != null) {
            Instant soonest = clock.instant().plus(MIN_GAP);
            nudge(due.isBefore(soonest) ? soonest : due);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) next.cancel(false);
        if (scheduler != null) scheduler.shutdownNow();
    }

    // ---- one look ----

    /** The earliest time a timer wants to look again. */
    private static final class Due {
        Instant at;

        void add(Instant t) {
            if (t != null && (at == null || t.isBefore(at))) at = t;
        }
    }

    /**
     * Acts on everything due now and returns when the next look is due (null when nothing is pending). After an
     * act the next look follows at once: it finds what the act recorded and plans the act's follow-up.
     */
    Instant look() {
        Instant now = clock.instant();
        Due due = new Due();
        retries(now, due);
        repokes(now, due);
        pullBacks(now, due);
        deferred(now, due);
        return due.at;
    }

    /**
     * Whether this hub follows up the agent's wakes: on a shared store, only its own machine's agents (each hub's
     * timers would otherwise decide the same retry); a timer's wake of them is carried out by their own hub anyway.
     */
    private boolean ownedHere(String agentId) {
        return agents.otherMachine(agentId).isEmpty();
    }

    // ---- 1. retry an unconfirmed wake ----

    private void retries(Instant now, Due due) {
        Duration horizon = WakeChain.ROUTE_TIMEOUT.plus(retryDelay(settings.maxRetries() + 1)).plus(HORIZON_SLACK);
        for (String messageId : wakes.messagesWokenSince(now.minus(horizon))) {
            try {
                retry(messageId, now, due);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "wake timers: retry of the wake for " + messageId + " failed", e);
            }
        }
    }

    private void retry(String messageId, Instant now, Due due) {
        WakeChain c = WakeChain.of(wakes.forMessage(messageId));
        if (c == null || !c.open(keptRoutes) || !ownedHere(c.decision().targetId())) return;
        Instant look = c.lookAt(settings);
        if (look.isAfter(now)) {
            due.add(look);
            return;
        }
        Agent a = agents.find(c.decision().targetId()).orElse(null);
        if (a == null) return; // the agent row is gone (its wake rows with it, by the foreign key)
        String confirmed = confirmation(messages.find(messageId).orElse(null), a, c.firstAt());
        WakeRetryPolicy.Step step = WakeRetryPolicy.unconfirmedWake(c.attempt(), c.firstAt(), c.lastAt(), confirmed != null, settings, now);
        switch (step.action()) {
            case STOP -> end(c, a, confirmed != null ? WakeStatus.CONFIRMED : WakeStatus.GAVE_UP,
                    confirmed != null ? confirmed : step.reason(), now);
            case NOW -> {
                waker.wake(messageId, a, WakeRequest.retry(WakeTarget.of(a, inAskPeer.test(a.agentId()))), c.attempt() + 1);
                due.add(now);
            }
            case LATER -> due.add(step.at());
        }
    }

    private void end(WakeChain c, Agent a, WakeStatus status, String reason, Instant now) {
        WakeRecord d = c.decision();
        tx.inTransaction(() -> wakes.record(new WakeRecord(0, d.messageId(), d.targetId(), null, a.clientType().wireName(),
                c.route() == null ? null : c.route().route(), status.wireName(), reason, c.attempt(), now, null,
                WakeKind.RETRY.wireName())));
    }

    /**
     * Why the wake counts as confirmed, or null when nothing shows it: the agent has the message, called a huddle
     * tool, or its hooks reported a turn, after {@code since} (the first attempt).
     */
    static String confirmation(Message m, Agent a, Instant since) {
        if (m != null && m.delivered()) {
            return "confirmed: the agent has the message (delivered via " + (m.deliveredVia() == null ? "?" : m.deliveredVia().wireName())
                    + after(since, m.deliveredAt()) + ")";
        }
        if (a.lastToolCallAt() != null && a.lastToolCallAt().isAfter(since)) {
            return "confirmed: the agent called a huddle tool" + after(since, a.lastToolCallAt());
        }
        if (a.activity() == Activity.BUSY && a.activityAt() != null && a.activityAt().isAfter(since)) {
            return "confirmed: the agent's hooks report a turn" + after(since, a.activityAt());
        }
        return null;
    }

    private static String after(Instant since, Instant at) {
        if (at == null) return "";
        Duration d = Duration.between(since, at);
        return " " + BigDecimal.valueOf(Math.max(0, d.toMillis()), 3).stripTrailingZeros().toPlainString() + " s after the first attempt";
    }

    private Duration retryDelay(int n) {
        return WakeChain.retryDelay(settings, n);
    }

    // ---- 2. re-poke a silent delegate ----

    private void repokes(Instant now, Due due) {
        Duration horizon = settings.repokeGrace().plus(settings.repokeSpacing().multipliedBy(settings.repokeCap() + 1L)).plus(HORIZON_SLACK);
        for (Message m : messages.undeliveredOpenRequests(now.minus(horizon))) {
            try {
                repoke(m, now, due);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "wake timers: re-poke for " + m.id() + " failed", e);
            }
        }
    }

    private void repoke(Message m, Instant now, Due due) {
        if (!ownedHere(m.recipientId())) return;
        int pokes = 0;
        Instant last = null;
        for (WakeRecord r : wakes.forMessage(m.id())) {
            WakeStatus s = WakeStatus.fromWireName(r.status());
            if (!WakeKind.REPOKE.wireName().equals(r.kind()) || s == null || s.setByRoute()) continue;
            pokes++;
            if (last == null || r.at().isAfter(last)) last = r.at();
        }
        // The query returns only undelivered, open requests: delivered and closed are false here.
        WakeRetryPolicy.Step step = WakeRetryPolicy.silentDelegate(m.createdAt(), pokes, last, false, false, settings, now);
        switch (step.action()) {
            case STOP -> { }
            case LATER -> due.add(step.at());
            case NOW -> {
                Agent a = agents.find(m.recipientId()).orElse(null);
                if (a == null) return;
                waker.wake(m.id(), a, WakeRequest.repoke(WakeTarget.of(a, inAskPeer.test(a.agentId()))), pokes + 1);
                due.add(now);
            }
        }
    }

    // ---- 3. pull back the requester of an answered, timed-out ask ----

    private void pullBacks(Instant now, Due due) {
        for (MessageStore.AnsweredAsk aa : messages.answeredWithUnreadReply(now.minus(settings.pullBackMaxAge()))) {
            try {
                pullBack(aa, now, due);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "wake timers: pull-back for " + aa.ask().requestId() + " failed", e);
            }
        }
    }

    private void pullBack(MessageStore.AnsweredAsk aa, Instant now, Due due) {
        Message reply = aa.reply();
        if ("off".equals(reply.wake())) return; // the replier asked not to wake anyone for it
        if (!ownedHere(aa.ask().requesterId())) return;
        if (inAskPeer.test(aa.ask().requesterId())) {
            // Blocked in an ask_peer (this one, whose reply is on its way to it, or another): it can't act on a wake
            // now, and the pull-back is once; look again when it may be out of that call.
            due.add(now.plus(settings.pullBackGrace()));
            return;
        }
        boolean pulled = wakes.forMessage(reply.id()).stream().anyMatch(r -> WakeKind.PULL_BACK.wireName().equals(r.kind()));
        WakeRetryPolicy.Step step = WakeRetryPolicy.answeredAsk(aa.ask().answeredAt(), pulled, false, settings, now);
        switch (step.action()) {
            case STOP -> { }
            case LATER -> due.add(step.at());
            case NOW -> {
                Agent a = agents.find(aa.ask().requesterId()).orElse(null);
                if (a == null) return;
                waker.wake(reply.id(), a, WakeRequest.pullBack(WakeTarget.of(a, inAskPeer.test(a.agentId())), aa.ask().requestId()), 1);
                due.add(now);
            }
        }
    }

    // ---- 4. decide again a wake the debounce or rate limit refused ----

    private void deferred(Instant now, Due due) {
        for (WakeRecord r : wakes.deferrable(now.minus(WakeRetryPolicy.DEFERRED_MAX_AGE.plus(HORIZON_SLACK)))) {
            try {
                defer(r, now, due);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "wake timers: the deferred wake for " + r.messageId() + " failed", e);
            }
        }
    }

    private void defer(WakeRecord refused, Instant now, Due due) {
        if (!ownedHere(refused.targetId())) return;
        Message m = messages.find(refused.messageId()).orElse(null);
        if (m == null || m.delivered()) return;
        Duration memory = settings.rateWindow().compareTo(settings.debounce()) > 0 ? settings.rateWindow() : settings.debounce();
        List<Instant> recent = wakes.firedAtSince(refused.targetId(), now.minus(memory));
        WakeRetryPolicy.Step step = WakeRetryPolicy.refusedWake(m.createdAt(), recent, WakeRetryPolicy.DEFERRED_MAX_AGE, settings, now);
        switch (step.action()) {
            case STOP -> tx.inTransaction(() -> wakes.record(new WakeRecord(0, refused.messageId(), refused.targetId(),
                    refused.replyTo(), refused.clientType(), null, WakeStatus.GAVE_UP.wireName(), step.reason(), refused.attempt(), now,
                    null, WakeKind.DEFERRED.wireName())));
            case LATER -> due.add(step.at());
            case NOW -> {
                Agent a = agents.find(refused.targetId()).orElse(null);
                if (a == null) return;
                waker.wake(m.id(), a, WakeRequest.deferred(WakeTarget.of(a, inAskPeer.test(a.agentId())), refused.replyTo()),
                        refused.attempt() + 1);
                due.add(now);
            }
        }
    }
}
