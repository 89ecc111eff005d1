package dev.huddle.hub.hooks;

import dev.huddle.hub.claims.ClaimsModes;
import dev.huddle.hub.claims.Claims;
import dev.huddle.hub.claims.EditCheck;
import dev.huddle.hub.claims.ShellWrites;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.Caller;
import dev.huddle.hub.identity.HookSeen;
import dev.huddle.hub.messaging.Deliveries;
import dev.huddle.hub.messaging.Inbox;
import dev.huddle.hub.identity.TranscriptVetting;
import dev.huddle.hub.reading.TranscriptTrust;
import dev.huddle.hub.wake.RewakeWaiters;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.agents.HookEvent;
import dev.huddle.agents.HookPayload;
import dev.huddle.agents.HookReplies;
import dev.huddle.agents.HookSpec;
import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.HuddleError;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The hub side of every hook ({@code POST /hooks/<client>/<event>}): binds the session, records busy/idle, and
 * delivers waiting messages in the client's own output schema.
 *
 * <p>The delivery handshake: a hook answer's messages are reserved, and count as delivered (via hook) only when
 * (1) the answer was written to curl within {@link #ANSWER_DEADLINE_NANOS} of the request, well inside curl's
 * {@code --max-time}, so curl really read it, and (2) the same agent then made another hook or tool call, which
 * shows the client went on past that hook. An answer that could not be written goes back to the queue at once; one
 * the agent never went on from (its process ended, its session restarted, the hub restarted) is offered again:
 * at least once, never zero times.
 */
public final class HookService {
    private static final Logger LOG = Logger.getLogger(HookService.class.getName());
    /** Past this, an answer is not sent with messages: curl's --max-time (2 s) may already have run out. */
    static final long ANSWER_DEADLINE_NANOS = 1_000_000_000L;
    /**
     * Consecutive turn-end continuations for new mail while the client already continues for a stop hook. Clients stop
     * honouring stop hooks after a few in a row (agent-platforms.md §1.4); fewer keeps a chatty peer from holding an
     * agent in its turn.
     */
    static final int MAX_STOP_CONTINUATIONS = 3;

    /**
     * What the hook prints, and the offer to settle once the answer is written; {@code status} 503 asks a rewake
     * waiter to poll again, {@code waiter} is the rewake waiter whose wake this answer carries.
     */
    public record Answer(String body, Deliveries.HookOffer offer, int status, RewakeWaiters.Waiter waiter) {
        Answer(String body, Deliveries.HookOffer offer) {
            this(body, offer, 200, null);
        }

        static final Answer EMPTY = new Answer("", null);
    }

    /** A rewake waiter is answered "poll again" before curl's own limit for one poll (an hour). */
    public static final long REWAKE_HOLD_MS = 50 * 60 * 1000L;

    private final AgentClients clients;
    private final AgentRegistry registry;
    private final Claims claims;
    private final Inbox inbox;
    private final Deliveries deliveries;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Integer> stopContinuations = new ConcurrentHashMap<>();
    private final RewakeWaiters rewake;
    private final Consumer<String> waiterArmed;
    private final long rewakeHoldMs;
    private final ShellWrites shellWrites;
    private final ClaimsModes modes;
    private final TranscriptTrust transcripts;
    /**
     * A warn-mode warning given at a hook whose context does not reach the model (shown to the user there), added for
     * the model at the client's next hook that delivers.
     */
    private final Map<String, String> pendingWarnings = new ConcurrentHashMap<>();
    private final WakeNotices wakeNotices = new WakeNotices();
    private final UnreportedEdits unreportedEdits = new UnreportedEdits();

    public HookService(AgentClients clients, AgentRegistry registry, Claims claims, Inbox inbox, Deliveries deliveries,
                       RewakeWaiters rewake, long rewakeHoldMs, TranscriptTrust transcripts) {
        this(clients, registry, claims, inbox, deliveries, rewake, id -> { }, rewakeHoldMs, null, ClaimsModes.DEFAULT, transcripts);
    }

    /**
     * @param waiterArmed told of each rewake waiter once it is armed (the wake service catches up on mail that found no
     *                    route meanwhile)
     * @param transcripts which reported transcript paths are recorded
     */
    public HookService(AgentClients clients, AgentRegistry registry, Claims claims, Inbox inbox, Deliveries deliveries,
                       RewakeWaiters rewake, Consumer<String> waiterArmed, long rewakeHoldMs, ShellWrites shellWrites,
                       ClaimsModes modes, TranscriptTrust transcripts) {
        this.transcripts = transcripts;
        this.clients = clients;
        this.registry = registry;
        this.claims = claims;
        this.inbox = inbox;
        this.deliveries = deliveries;
        this.rewake = rewake;
        this.waiterArmed = waiterArmed;
        this.rewakeHoldMs = rewakeHoldMs;
        this.shellWrites = shellWrites;
        this.modes = modes;
    }

    /**
     * @param caller  who called, as the socket proves it
     * @param claimed the pid the hook names ({@code X-Huddle-Pid}: its {@code $PPID}, the agent); 0 or less for none.
     *                It must be the caller or one of its ancestors.
     */
    public Answer handle(String clientId, String event, byte[] body, Caller caller, long claimed, long receivedNanos) {
        AgentClient client = clients.byId(clientId).orElseThrow(() -> new HuddleError("unknown-client",
                "no hooks for client '" + clientId + "'", "Use " + clients.idsForPeople() + "."));
        HookSpec spec = client.hook(event).orElseThrow(() -> new HuddleError("unknown-event",
                client.id().id() + " has no huddle hook for the event '" + event + "'", "Run `huddle setup` to install the current hooks."));
        HookReplies replies = client.replies();
        HookPayload p = HookPayload.parse(body);
        HookEvent meaning = spec.meaning();
        // A rewake waiter whose agent process is gone (killed without SessionEnd, its loop orphaned and polling
        // again: the agent it names is no longer its ancestor) ends quietly; it must not mark the dead session online
        // or hold a waiter for it.
        if (meaning == HookEvent.IDLE_WAIT && claimed > 1
                && (caller.proven() ? !caller.lineage().contains(claimed) : !registry.processRuns(claimed))) return Answer.EMPTY;
        Caller agent = caller.narrowedTo(claimed);
        boolean ended = meaning == HookEvent.SESSION_END && !"clear".equals(p.source()) && !"resume".equals(p.source());
        HookSeen seen = registry.hookEvent(client, p.sessionId(), p.transcriptPath(), (a, path) -> transcripts.vetted(client, a, path), p.cwd(),
                agent, activityOf(meaning, p.source()), ended);
        Agent me = seen.agent();
        if (seen.movedFromAgentId() != null) deliveries.releaseHookOffers(seen.movedFromAgentId());
        if (meaning == HookEvent.IDLE_WAIT) return waitToRewake(me);
        unreportedEdits.confirm(me, claims);
        settleEarlierOffers(me, meaning, p);
        if (meaning != HookEvent.TURN_END) rewake.release(me.agentId()); // busy, or a new session: no waking needed
        String warning = null;
        if (meaning == HookEvent.TOOL || meaning == HookEvent.TOOL_DONE) {
            // Checked in subagents too: their edits land in the same tree.
            List<String> files = client.editedFiles(p);
            String cwd = p.cwd() != null ? p.cwd() : me.cwd();
            boolean shell = client.isShell(p.toolName()) && files.isEmpty();
            if (meaning == HookEvent.TOOL) {
                if (shell && shellWrites != null) shellWrites.started(me);
                if (!files.isEmpty()) {
                    EditCheck check = claims.checkEdit(me, claims.targets(me, files, cwd));
                    if (!check.free()) {
                        dev.huddle.core.claims.ClaimsMode mode = modes.forProject(claims.localRoot(me));
                        String why = claims.describe(me, check, mode);
                        // A refusal carries no mail: whether a client shows additionalContext next to a denied call is
                        // not verified, so the mail stays queued for the next hook rather than risk marking it delivered unseen.
                        switch (mode) {
                            case DENY -> { return new Answer(replies.deny(spec, why), null); }
                            case ASK -> { return new Answer(replies.ask(spec, why), null); }
                            case WARN -> warning = why;
                        }
                    }
                    if (!client.reportsToolDone(p)) unreportedEdits.hold(me, files, cwd, p.toolName());
                }
            } else if (!files.isEmpty()) {
                claims.recordEdits(me, claims.targets(me, files, cwd), "being edited (" + p.toolName() + ")");
            } else if (shell && shellWrites != null) {
                shellWrites.finished(me, p.durationMs());
            }
        }
        if (meaning == HookEvent.PROMPT && warning == null) {
            // A turn a rewake hook started: its prompt is the hook's output. Tell the human who woke the agent.
            String woken = wakeNotices.forPrompt(me.agentId(), p.promptHead());
            if (woken != null) return new Answer(HookReplies.notice(woken), null);
        }
        if (!spec.delivers() || p.inSubagent()) {
            if (warning == null) return new Answer(replies.nothing(spec), null);
            if (replies.contextReachesModel(spec)) return new Answer(replies.context(spec, warning), null);
            pendingWarnings.put(me.agentId(), warning); // no context for the model here: the next delivering hook carries it
            return new Answer(HookReplies.notice(warning), null);
        }
        if (warning == null && meaning == HookEvent.TOOL_DONE) warning = pendingWarnings.remove(me.agentId());

        boolean turnEnd = meaning == HookEvent.TURN_END;
        if (turnEnd && p.stopHookActive() && stopContinuations.getOrDefault(me.agentId(), 0) >= MAX_STOP_CONTINUATIONS) {
            return idle(client, agent, me, spec, p);
        }
        String ref = HexFormat.of().formatHex(bytes(3));
        int budget = HookReplies.TEXT_BUDGET_CHARS - (warning == null ? 0 : warning.length() + 2);
        Inbox.HookDelivery d = turnEnd
                ? inbox.forHookAtTurnEnd(me, ref, budget, () -> markIdle(client, agent, me, p))
                : inbox.forHook(me, ref, budget);
        if (d.text().isEmpty()) { // at a turn end, now idle
            return new Answer(warning == null ? replies.nothing(spec) : replies.context(spec, warning), null);
        }
        if (System.nanoTime() - receivedNanos > ANSWER_DEADLINE_NANOS) {
            if (d.offer() != null) deliveries.hookAnswerLost(d.offer());
            LOG.warning("hook " + client.id().id() + "/" + event + " for " + me.handle() + " took over 1 s; its messages stay queued");
            if (warning != null && !turnEnd) return new Answer(replies.context(spec, warning), null);
            return turnEnd ? idle(client, agent, me, spec, p) : new Answer(replies.nothing(spec), null);
        }
        if (turnEnd) {
            stopContinuations.merge(me.agentId(), 1, Integer::sum);
            rewake.release(me.agentId()); // the turn goes on: nothing to wake
            return new Answer(replies.continuation(spec, d.text()), d.offer());
        }
        return new Answer(replies.context(spec, warning == null ? d.text() : warning + "\n\n" + d.text()), d.offer());
    }

    /**
     * The processes a hook POSTed over TCP most likely comes from: the agent process of the session its payload names
     * (a Claude Code http hook is POSTed by that process itself). Only where the hub looks first; never a proof.
     */
    public List<Long> suspects(byte[] body) {
        try {
            return registry.processOfSession(HookPayload.parse(body).sessionId()).stream().boxed().toList();
        } catch (HuddleError e) {
            return List.of();
        }
    }

    /** The answer reached curl: the offer waits for the agent's next sign of life. */
    void written(Answer a) {
        if (a.offer() != null) deliveries.hookAnswerWritten(a.offer());
        if (a.waiter() != null) a.waiter().written.complete(true);
    }

    /** The answer did not reach curl: its messages go back to the queue. */
    void lost(Answer a) {
        if (a.offer() != null) deliveries.hookAnswerLost(a.offer());
        if (a.waiter() != null) a.waiter().written.complete(false);
    }

    /**
     * The rewake waiter: holds the request while the agent is idle. Fired (a wake decision for this agent), it
     * answers with the agent's mail as plain text, which the hook prints to stderr and exits 2; the client then
     * starts a turn and shows the text. Released, it answers empty and the hook ends. Past the hold time it asks
     * the hook to poll again (503), so one poll never reaches curl's own limit.
     */
    private Answer waitToRewake(Agent me) {
        RewakeWaiters.Waiter w = rewake.arm(me.agentId());
        try {
            waiterArmed.accept(me.agentId());
        } catch (RuntimeException e) {
            LOG.warning("catching up on " + me.agentId() + "'s wakes failed: " + e);
        }
        try {
            RewakeWaiters.Signal s;
            try {
                s = w.signal.get(rewakeHoldMs, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                s = RewakeWaiters.Signal.POLL_AGAIN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s = RewakeWaiters.Signal.POLL_AGAIN;
            } catch (java.util.concurrent.ExecutionException e) {
                s = RewakeWaiters.Signal.POLL_AGAIN;
            }
            if (s == RewakeWaiters.Signal.POLL_AGAIN) {
                w.written.complete(false);
                return new Answer("", null, 503, null);
            }
            if (s == RewakeWaiters.Signal.RELEASE) {
                w.written.complete(false);
                return Answer.EMPTY;
            }
            Agent now = registry.find(me.agentId()).orElse(me);
            String ref = HexFormat.of().formatHex(bytes(3));
            Inbox.HookDelivery d = inbox.forHook(now, ref, HookReplies.TEXT_BUDGET_CHARS);
            if (d.text().isEmpty()) {
                w.written.complete(false); // someone read it meanwhile: nothing to wake for
                return Answer.EMPTY;
            }
            wakeNotices.woke(me.agentId(), ref, d.headlines());
            return new Answer(d.text(), d.offer(), 200, w);
        } finally {
            rewake.done(w);
        }
    }

    /** A tool call from the agent ({@code me} as the call found it) also shows it went on past its earlier hooks. */
    public void toolCalled(Agent me) {
        unreportedEdits.confirm(me, claims);
        deliveries.confirmHookOffers(me.agentId());
    }

    private void settleEarlierOffers(Agent me, HookEvent meaning, HookPayload p) {
        switch (meaning) {
            // A new or resumed session may not have seen what an earlier hook of this agent carried; compaction keeps it.
            case SESSION_START -> {
                if ("compact".equals(p.source())) deliveries.confirmHookOffers(me.agentId());
                else deliveries.releaseHookOffers(me.agentId());
                stopContinuations.remove(me.agentId());
            }
            case SESSION_END -> {
                deliveries.confirmHookOffers(me.agentId());
                stopContinuations.remove(me.agentId());
                wakeNotices.forget(me.agentId());
            }
            case PROMPT -> {
                deliveries.confirmHookOffers(me.agentId());
                stopContinuations.remove(me.agentId());
            }
            default -> deliveries.confirmHookOffers(me.agentId());
        }
    }

    /** The turn really ends: the agent is idle until its next prompt. */
    private Answer idle(AgentClient client, Caller caller, Agent me, HookSpec spec, HookPayload p) {
        markIdle(client, caller, me, p);
        return new Answer(client.replies().nothing(spec), null);
    }

    private void markIdle(AgentClient client, Caller caller, Agent me, HookPayload p) {
        stopContinuations.remove(me.agentId());
        registry.hookEvent(client, p.sessionId(), null, TranscriptVetting.NONE, p.cwd(), caller, Activity.IDLE, false);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static Activity activityOf(HookEvent meaning, String source) {
        return switch (meaning) {
            // a started, resumed or cleared session waits for a prompt; compaction happens mid-turn
            case SESSION_START -> "compact".equals(source) ? null : Activity.IDLE;
            case PROMPT, TOOL, TOOL_DONE -> Activity.BUSY;
            case TURN_END, SESSION_END, IDLE_WAIT -> null; // a turn end is idle only if nothing keeps the agent going (idle())
        };
    }
}
