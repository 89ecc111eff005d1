package dev.huddle.hub.hooks;

import dev.huddle.core.identity.Agent;
import dev.huddle.hub.claims.Claims;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Edits a client makes without a tool-done hook after them (Codex runs a shell {@code apply_patch <<'EOF'} itself
 * and fires no PostToolUse): the files its tool hook named, held there once the edit was let through, and recorded as
 * being edited at the agent's next event (a hook or a tool call), which shows the call went on.
 */
final class UnreportedEdits {
    private record Held(List<String> files, String cwd, String what) {}

    private final Map<String, List<Held>> held = new ConcurrentHashMap<>();

    /** The tool hook let an edit of {@code files} (as the hook named them, relative to {@code cwd}) through. */
    void hold(Agent me, List<String> files, String cwd, String tool) {
        if (files.isEmpty()) return;
        Held h = new Held(List.copyOf(files), cwd, "being edited (" + tool + ")");
        held.merge(me.agentId(), List.of(h), (a, b) -> {
            List<Held> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        });
    }

    /** The agent went on: what it held is recorded now. */
    void confirm(Agent me, Claims claims) {
        List<Held> hs = held.remove(me.agentId());
        if (hs != null) for (Held h : hs) claims.recordEdits(me, claims.targets(me, h.files(), h.cwd()), h.what());
    }
}
