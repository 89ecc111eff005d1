package dev.huddle.hub.claims;

/**
 * A file a hook names, resolved: {@code rel} relative to the repository root, lexically; {@code realRel} where it
 * really lives (symbolic links resolved), when that differs and is still in the repository.
 */
record EditTarget(String rel, String realRel) {}
