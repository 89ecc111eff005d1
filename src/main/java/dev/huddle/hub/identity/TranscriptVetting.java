package dev.huddle.hub.identity;

import dev.huddle.core.identity.Agent;

/**
 * Whether a transcript path a hook reported may be recorded for the agent the hook was found to act for: the path
 * itself, or null to keep what the agent had. Asked only when the path differs from the one recorded, so a hook in
 * the usual case looks nothing up for it.
 */
@FunctionalInterface
public interface TranscriptVetting {
    TranscriptVetting NONE = (agent, path) -> null;

    String vetted(Agent agent, String path);
}
