package dev.huddle.hub.identity;

import dev.huddle.core.identity.Agent;

/**
 * What a hook event did to the registry.
 *
 * @param agent            the agent the hook speaks for, after the event
 * @param movedFromAgentId set when the agent process moved to this session from another one (/clear, resume)
 */
public record HookSeen(Agent agent, String movedFromAgentId) {}
