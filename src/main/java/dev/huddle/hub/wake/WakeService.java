package dev.huddle.hub.wake;

import dev.huddle.protocol.Settings;
import dev.huddle.hub.identity.AgentRegistry;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.agents.WakeRoute;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.wake.WakeDecision;
import dev.huddle.core.wake.WakeHistory;
import dev.huddle.core.wake.WakeKind;
import dev.huddle.core.wake.WakePolicy;
import dev.huddle.core.wake.WakeRequest;
import dev.huddle.core.wake.WakeSettings;
import dev.huddle.core.wake.WakeStatus;
import dev.huddle.store.Transactor;
import dev.huddle.store.WakeRecord;
import dev.huddle.store.WakeStore;
import dev.huddle.terminal.Composer;
import dev.huddle.terminal.TerminalTarget;
import dev.huddle.terminal.TerminalWaker;
import dev.huddle.terminal.WakeAttempt;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Wakes idle recipients: asks {@link WakePolicy} (pure, in core) whether a committed message should wake its
 * recipient, records the decision, and when it fires runs the best route on a virtual thread: the keystroke-free
 * routes the recipient's client offers, in its order ({@link AgentClient#wakeRoutes()}: an armed idle-wait hook, which
 * the hub answers itself, or a command of the client's own), else the terminal the process tree proves hosts the
 * agent (tmux, then WezTerm, kitty, screen). Every decision and outcome is a row in the wake store: what tool results,
 * message_status and huddle diagnose show.
 */
public final class WakeService {
    private static final Logger LOG = Logger.getLogger(WakeService.class.getName());
    /** How long the rewake route waits to learn whether its answer reached the hook. */
    private static final long REWAKE_WRITE_WAIT_MS = 2_000;
    /** The route name of an answered idle-wait hook in wake records. */
    public static final String IDLE_WAIT_ROUTE = "async_rewake";

    /** What a tool result says about the wake. */
    public record Outcome(String status, String reason) {
        public static final Outcome NONE = new Outcome(null, null);
    }

    private final AgentClients clients;
    private final AgentRegistry registry;
    private final WakeStore store;
    private final Transactor tx;
    private final RewakeWaiters rewake;
    private final TerminalWaker terminals;
    private final WakeSettings settings;
    private final boolean terminalRoute;
    private final Clock clock;
    private final Listener listener;

    /** Told of each decision and route outcome: the hub's {@link WakeTimers}, which schedule their next look by them. */
    public interface Listener {
        void decided(WakeRequest request, WakeDecision decision, Instant at);

        void routed(int attempt, Instant at);
    }

    /** @param listener told of each decision and route outcome ({@link WakeListeners}, which the timers join) */
    public WakeService(AgentClients clients, AgentRegistry registry, WakeStore store, Transactor tx, RewakeWaiters rewake,
                       TerminalWaker terminals, WakeSettings settings, boolean terminalRoute, Clock clock, Listener listener) {
        this.clients = clients;
        this.registry = registry;
        this.store = store;
        this.tx = tx;
        this.rewake = rewake;
        this.terminals = terminals;
        this.settings = settings;
        this.terminalRoute = terminalRoute;
        this.clock = clock;
        this.listener = listener;
    }

    /** A message's own wake (attempt 1); see {@link #afterCommit(String, Agent, WakeRequest, int)}. */
    public Outcome afterCommit(String messageId, Agent target, WakeRequest request) {
        return afterCommit(messageId, target, request, 1);
    }

    /**
     * Decides for one committed message (or a timer's request) and, if it fires, starts the route. Returns the
     * decision for the tool result; the route's outcome is recorded when it is known. {@code attempt} is 1 for a
     * message's own wake; the retry timer's attempts at the same wake count on (re-pokes count theirs).
     */
    public Outcome afterCommit(String messageId, Agent target, WakeRequest request, int attempt) {
        return start(decide(messageId, target, request, attempt));
    }

    /** A decision recorded, not started yet: {@link #start} runs it once the transaction that recorded it committed. */
    public record Decision(String messageId, Agent target, WakeRequest request, int attempt, WakeDecision decision, Instant at) {}

    /**
     * Decides and records the decision in the caller's transaction (one of its own when there is none): messaging
     * records a message's wake with the message, one commit per send. The policy's reading of past wakes and the
     * record share that transaction, and the database runs one at a time, so two sends at once cannot both pass
     * the debounce.
     */
    public Decision decide(String messageId, Agent target, WakeRequest request, int attempt) {
        Instant now = clock.instant();
        WakeDecision d = tx.inTransaction(() -> {
            WakeDecision decided = WakePolicy.decide(request, settings, history(), now);
            store.record(new WakeRecord(0, messageId, target.agentId(), request.replyTo(), target.clientType().wireName(), null,
                    decided.status().wireName(), decided.reason(), attempt, now, null, request.kind().wireName()));
            return decided;
        });
        return new Decision(messageId, target, request, attempt, d, now);
    }

    /**
     * A recorded decision, after its commit: the timers hear of it, and a firing wake starts its route. The route of
     * another machine's agent is that machine's hub's ({@link OwnedWakes}, which takes the decision from the shared
     * store): this hub never runs a route for it, never types into a pane for it.
     */
    public Outcome start(Decision x) {
        listener.decided(x.request(), x.decision(), x.at());
        String reason = x.decision().reason();
        if (x.decision().fire()) {
            Optional<String> owner = registry.otherMachine(x.target().agentId());
            if (owner.isPresent()) {
                reason = (reason == null ? "" : reason + "; ") + "carried out by the hub of its machine, " + owner.get();
            } else {
                Thread.startVirtualThread(() -> fire(x.messageId(), x.target(), x.request().replyTo(), x.attempt(), x.request().kind()));
            }
        }
        return new Outcome(x.decision().status().wireName(), reason);
    }

    /**
     * Carries out a wake another machine's hub decided for {@code target}, an agent of this machine, once this hub took
     * the decision ({@link WakeStore#take}): this hub's routes (its rewake waiter, the pane its process tree proves),
     * the outcome recorded as for a wake decided here, so its timers retry it alike. What only this machine knows may
     * make a wake needless ({@link OwnedWakes}): then {@code instead} (with {@code why}) is recorded and nothing is typed.
     */
    void carryOut(WakeRecord decision, Agent target, WakeStatus instead, String why) {
        WakeKind kind = WakeKind.fromWireName(decision.kind());
        if (instead != null) {
            tx.inTransaction(() -> store.record(new WakeRecord(0, decision.messageId(), target.agentId(), decision.replyTo(),
                    target.clientType().wireName(), null, instead.wireName(), why, decision.attempt(), clock.instant(), null, decision.kind())));
            return;
        }
        Thread.startVirtualThread(() -> fire(decision.messageId(), target, decision.replyTo(), decision.attempt(),
                kind == null ? WakeKind.SEND : kind));
    }

    /** The policy's view of past wakes, answered from the store (decision rows only). */
    private WakeHistory history() {
        return new WakeHistory() {
            @Override
            public Instant lastWake(String targetId) {
                return store.lastFiredAt(targetId).orElse(null);
            }

            @Override
            public int wakesAfter(String targetId, Instant after) {
                return store.firedSince(targetId, after.plusMillis(1));
            }

            @Override
            public boolean wokenFor(String targetId, String replyTo) {
                return replyTo != null && store.firedForReply(targetId, replyTo);
            }
        };
    }

    private void fire(String messageId, Agent target, String replyTo, int attempt, WakeKind kind) {
        long t0 = System.nanoTime();
        String route;
        String status;
        String reason;
        try {
            Optional<AgentClient> client = clients.of(target.clientType());
            WakeAttempt a = wake(target, client, client.map(AgentClient::wakeRoutes).orElse(List.of()), 0);
            route = a.route();
            status = a.status().wireName();
            reason = a.reason();
        } catch (RuntimeException e) {
            route = null;
            status = WakeStatus.FAILED.wireName();
            reason = "the wake failed: " + e;
            LOG.warning("wake of " + target.handle() + " failed: " + e);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String r = route, s = status, why = reason;
        Instant at = clock.instant();
        try {
            tx.inTransaction(() -> store.record(new WakeRecord(0, messageId, target.agentId(), replyTo, target.clientType().wireName(),
                    "none".equals(r) ? null : r, s, why, attempt, at, ms, kind.wireName())));
        } catch (RuntimeException e) {
            LOG.warning("could not record the wake of " + target.handle() + ": " + e);
        }
        listener.routed(attempt, at);
    }

    /**
     * A session's rewake waiter (its idle-wait hook) just armed. Its turn-end hook marks it idle a moment before the
     * waiter connects: a message committed in between was decided {@code will_fire} but found no route
     * ({@code skipped_no_route}). If such a message is still unread, it wakes the session now, through this waiter.
     */
    public void waiterArmed(String agentId) {
        Instant since = clock.instant().minus(settings.freshIdle());
        store.missedForNoRoute(agentId, since).ifPresent(w -> registry.find(agentId).ifPresent(target -> {
            WakeKind kind = WakeKind.fromWireName(w.kind());
            Thread.startVirtualThread(() -> fire(w.messageId(), target, w.replyTo(), w.attempt(), kind == null ? WakeKind.SEND : kind));
        }));
    }

    /** The client's routes from the {@code i}th on, each tried only when the ones before it did not fire; then the terminal. */
    private WakeAttempt wake(Agent target, Optional<AgentClient> client, List<WakeRoute> routes, int i) {
        if (i == routes.size()) return terminal(target, client.map(AgentClient::composer).orElse(Composer.UNKNOWN));
        return switch (routes.get(i)) {
            case WakeRoute.IdleWaitHook hook -> idleWaitHook(target, client.orElseThrow(), () -> wake(target, client, routes, i + 1));
            case WakeRoute.Command command -> command.wake(new WakeRoute.Recipient(target.process(), target.sessionId(), frontEnv(target)),
                    wakeText()).orElse(() -> wake(target, client, routes, i + 1));
        };
    }

    /** The agent's armed idle-wait hook takes the mail and exits 2: the client starts a turn, no keystrokes. */
    private WakeAttempt idleWaitHook(Agent target, AgentClient client, Supplier<WakeAttempt> next) {
        long startedAt = System.currentTimeMillis();
        RewakeWaiters.Waiter w = rewake.fire(target.agentId());
        if (w != null && Boolean.TRUE.equals(w.written.completeOnTimeout(false, REWAKE_WRITE_WAIT_MS, TimeUnit.MILLISECONDS).join())) {
            return new WakeAttempt(WakeStatus.FIRED, IDLE_WAIT_ROUTE, null, client.displayName()
                    + "'s rewake hook got the mail and exits 2: the session starts a turn, no keystrokes", 0, startedAt,
                    System.currentTimeMillis() - startedAt, Map.of());
        }
        WakeAttempt a = next.get();
        String why = w != null ? "the rewake hook did not take the mail; " : "no rewake hook is armed for this agent; ";
        return new WakeAttempt(a.status(), a.route(), a.pane(), why + a.reason(), a.enterPresses(), a.startedAtMillis(),
                a.durationMillis(), a.phaseMillis());
    }

    /** Keystrokes into the terminal the process tree proves hosts the agent, unless the user switched them off. */
    private WakeAttempt terminal(Agent target, Composer composer) {
        if (!terminalRoute) {
            return WakeAttempt.noRoute("none", "keystroke wakes are switched off (\"" + Settings.WAKE_TERMINAL.key()
                    + "\": false in config.json or " + Settings.WAKE_TERMINAL.env() + "=off)");
        }
        return terminals.wake(new TerminalTarget(target.process(), composer, target.terminal(), frontEnv(target)), wakeText());
    }

    /**
     * The environment the agent's front reported in its hello (terminal variables, the client's own); with no front
     * connected (a hub that just started: fronts reconnect on their next line), what was kept of it (which tmux server).
     */
    private Map<String, String> frontEnv(Agent target) {
        return registry.fronts().stream()
                .filter(f -> !f.closed() && target.agentId().equals(f.fallbackAgentId()))
                .map(f -> f.hello().env()).findFirst().orElseGet(() -> registry.keptEnv(target.agentId()));
    }

    /** What is typed: a pointer, never a peer's text (bodies reach the model through tools and hooks only). */
    static String wakeText() {
        return "huddle: new messages from peer agents are waiting for you. Call read_my_messages, then act on them.";
    }
}
