package dev.huddle.hub.claims;

import dev.huddle.core.claims.ClaimsMode;

import java.util.Map;

/**
 * What an edit of another agent's file gets, per project: {@code claims_mode} in config.json, either one mode for
 * every project ({@code "warn"}) or an object of repository roots (absolute paths) to modes, with {@code "default"}
 * for the rest: {@code {"default": "deny", "/home/me/repo": "warn"}}.
 */
public record ClaimsModes(ClaimsMode fallback, Map<String, ClaimsMode> byProject) {
    public static final ClaimsModes DEFAULT = new ClaimsModes(ClaimsMode.DENY, Map.of());

    public ClaimsMode forProject(String projectRoot) {
        return projectRoot == null ? fallback : byProject.getOrDefault(projectRoot, fallback);
    }
}
