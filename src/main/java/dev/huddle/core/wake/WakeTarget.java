package dev.huddle.core.wake;

import dev.huddle.core.identity.Activity;
import dev.huddle.core.identity.Agent;
import dev.huddle.core.identity.ClientType;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The agent a wake would go to, as the policy needs to see it.
 *
 * @param agentId    the hub's agent id (the history key)
 * @param online     whether its processes are alive; an offline agent is never woken
 * @param bound      whether it has a session id (bound by env, hook, Codex meta or claim)
 * @param client     its client; routes use it, the policy does not (every rule rests on the activity signal)
 * @param hasHooks   whether its hooks report (so busy/idle is an observed signal, and hooks deliver messages)
 * @param activity   what the hooks last reported ({@link Activity#UNKNOWN} without hooks)
 * @param activityAt when that was reported (null when never)
 * @param inAskPeer  whether it is blocked in an {@code ask_peer} call right now (mid-turn, whatever the hooks say)
 */
public record WakeTarget(String agentId, boolean online, boolean bound, ClientType client, boolean hasHooks,
                         Activity activity, Instant activityAt, boolean inAskPeer) {

    public WakeTarget {
        Objects.requireNonNull(agentId, "agentId");
        client = client == null ? ClientType.UNKNOWN : client;
        activity = activity == null ? Activity.UNKNOWN : activity;
    }

    /**
     * The policy's view of a hub agent row. An agent shown offline only because its machine's hub is silent
     * ({@link Agent#offlineReason}) is decided on as its row says: the decision is recorded for that hub, which carries
     * it out when it is back (a wake owed is not dropped), or its timers give it up as any unconfirmed wake.
     */
    public static WakeTarget of(Agent a, boolean inAskPeer) {
        return new WakeTarget(a.agentId(), a.online() || a.offlineReason() != null, a.bound(), a.clientType(), a.hasHooks(), a.activity(),
                a.activityAt(), inAskPeer);
    }

    /**
     * How long ago the activity was reported, or null when it never was. A report dated in the future (the clock
     * stepped back) counts as just now: a future busy mark keeps the agent busy rather than exposing it.
     */
    public Duration activityAge(Instant now) {
        if (activityAt == null) return null;
        Duration age = Duration.between(activityAt, now);
        return age.isNegative() ? Duration.ZERO : age;
    }
}
