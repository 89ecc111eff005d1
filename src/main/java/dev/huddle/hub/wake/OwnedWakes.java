package dev.huddle.hub.wake;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.store.ChangeSignal;
import dev.huddle.store.CommitWatcher;
import dev.huddle.store.WakeRecord;
import dev.huddle.store.WakeStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * On a shared store, the wakes other machines' hubs decided for this machine's agents: the sending hub decides (the
 * policy's rows are shared, under the lock every hub's writes take) and records the decision; this hub, woken by the
 * commit's notification, takes each such decision once ({@link WakeStore#take}, a conditional update) and carries it
 * out with its own routes ({@link WakeService#carryOut}). At start it takes up what was decided while it was away, up
 * to {@link #HORIZON} back: an older decision is its wake timers' (an unconfirmed wake, retried or given up as any).
 */
public final class OwnedWakes implements AutoCloseable {
    /**
     * How far back a decision is still carried out as it is. Well inside {@link WakeChain#ROUTE_TIMEOUT}, after which
     * the timers look at a decision with no route outcome as unconfirmed: the two never both act on one decision.
     */
    static final Duration HORIZON = WakeChain.ROUTE_TIMEOUT.dividedBy(2);

    private final WakeStore wakes;
    private final AgentRegistry registry;
    private final WakeService service;
    private final Clock clock;
    private final Predicate<String> inAskPeer;
    private final BiPredicate<String, String> hasIt;
    private final CommitWatcher watcher;

    /**
     * What only this machine's hub knows, which the deciding hub could not see:
     *
     * @param inAskPeer whether an agent of this machine is blocked in an {@code ask_peer} call here
     * @param hasIt     whether the agent has the message already (agent id, message id): its ask_peer took the reply
     *                  (handed over or delivered), or it read it
     */
    public OwnedWakes(WakeStore wakes, AgentRegistry registry, WakeService service, ChangeSignal changes, Clock clock,
                      Predicate<String> inAskPeer, BiPredicate<String, String> hasIt) {
        this.wakes = wakes;
        this.registry = registry;
        this.service = service;
        this.clock = clock;
        this.inAskPeer = inAskPeer;
        this.hasIt = hasIt;
        this.watcher = new CommitWatcher("owned-wakes", changes, java.util.Set.of("wakes"), this::look,
                "taking up the wakes other machines decided for this machine's agents");
    }

    /** Starts looking: at once (what was owed while this hub was away), then at every commit. */
    public OwnedWakes start() {
        watcher.start();
        return this;
    }

    /** Takes and carries out every decision owed to this machine's agents. */
    void look() {
        Instant now = clock.instant();
        for (WakeRecord d : wakes.owedHere(now.minus(HORIZON))) {
            Optional<Agent> target = registry.find(d.targetId());
            if (target.isEmpty() || !wakes.take(d.id(), now)) continue; // gone, or taken already (by an earlier look)
            carryOut(d, target.get());
        }
    }

    /**
     * Types nothing into the pane of an agent blocked in an ask_peer (it reads the message when the call returns), or
     * that has the message. In that order: an ask hands its reply over (reserved) before it stops waiting.
     */
    private void carryOut(WakeRecord d, Agent target) {
        if (inAskPeer.test(d.targetId())) {
            service.carryOut(d, target, WakeStatus.SKIPPED_BUSY, "blocked in an ask_peer call on its machine (mid-turn); it reads"
                    + " the message when the call returns");
        } else if (hasIt.test(d.targetId(), d.messageId())) {
            service.carryOut(d, target, WakeStatus.CONFIRMED, "confirmed: the agent has the message already, on its machine");
        } else {
            service.carryOut(d, target, null, null);
        }
    }

    @Override
    public void close() {
        watcher.close();
    }
}
