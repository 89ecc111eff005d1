package dev.huddle.hub.identity;

import dev.huddle.core.identity.Agent;

/** The outcome of a successful set_my_state; {@code readable}: whether peers may read the agent's session. */
public record StateChange(Agent agent, String tookNameFrom, boolean readable) {}
