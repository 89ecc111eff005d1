package dev.huddle.hub.claims;

import dev.huddle.core.claims.PathClaim;

import java.util.List;
import java.util.Map;

/** The files of an edit that others hold, each with the claims in the way. Empty: the edit may go ahead. */
public record EditCheck(Map<String, List<PathClaim>> blocked) {
    public boolean free() {
        return blocked.isEmpty();
    }
}
