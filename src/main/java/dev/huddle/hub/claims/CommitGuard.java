package dev.huddle.hub.claims;

import dev.huddle.protocol.Settings;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.hub.identity.Caller;

import dev.huddle.core.identity.Agent;
import dev.huddle.core.claims.ClaimsMode;
import dev.huddle.core.claims.PathClaim;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The git pre-commit guard's question ({@code POST /v1/commit-check}, see {@code huddle setup --git-hook}): may this
 * commit go ahead? The body is the repository's top level, then the staged paths relative to it, each ended by NUL
 * ({@code git diff --cached --name-only -z}). The committer is the agent whose process is an ancestor of the hook's
 * git (an agent's shell tool), else the human. A staged file another live agent claims exclusively refuses the
 * commit (in claims_mode warn it only warns); files merely being edited by another agent (implicit claims) are
 * mentioned, never refused: a human committing an agent's fresh work is the normal case.
 *
 * <p>The answer is text: a first line {@code allow}, {@code warn} or {@code refuse}, then what to print.
 */
public final class CommitGuard {
    /** git, the shell that ran it, the agent's shell tool wrapper, the agent: a few levels up from the hook's parent. */
    private static final int ANCESTRY_DEPTH = 8;
    private static final int MAX_FILES = 5_000;

    private final Claims claims;
    private final AgentRegistry registry;
    private final ClaimsModes modes;
    private final Clock clock;

    public CommitGuard(Claims claims, AgentRegistry registry, ClaimsModes modes, Clock clock) {
        this.claims = claims;
        this.registry = registry;
        this.modes = modes;
        this.clock = clock;
    }

    public String check(byte[] body, Caller caller) {
        String[] parts = new String(body, StandardCharsets.UTF_8).split("\0");
        if (parts.length < 2 || !parts[0].strip().startsWith("/")) return "allow\n";
        String top = parts[0].strip();
        String project = registry.projectOf(top);
        List<String> files = new ArrayList<>();
        for (int i = 1; i < parts.length && files.size() < MAX_FILES; i++) if (!parts[i].isEmpty()) files.add(parts[i]);
        Optional<Agent> committer = registry.agentOf(caller, ANCESTRY_DEPTH).filter(a -> project.equals(a.projectRoot()));
        EditCheck check = claims.checkEdit(project, committer.map(Agent::agentId).orElse(""), claims.targets(registry.localRootOf(top).toString(), files, top));
        if (check.free()) return "allow\n";
        Instant now = clock.instant();
        List<String> held = new ArrayList<>();
        List<String> editing = new ArrayList<>();
        Set<String> holders = new LinkedHashSet<>();
        for (Map.Entry<String, List<PathClaim>> e : check.blocked().entrySet()) {
            for (PathClaim c : e.getValue()) {
                String line = "  " + e.getKey() + ": " + claims.texts().holderText(c, now);
                if (c.implicit()) {
                    editing.add(line);
                } else {
                    held.add(line);
                    holders.add(claims.texts().holderLabel(c).who());
                }
            }
        }
        boolean warnOnly = held.isEmpty() || modes.forProject(registry.localRootOf(top).toString()) == ClaimsMode.WARN;
        StringBuilder b = new StringBuilder(warnOnly ? "warn\n" : "refuse\n");
        String who = committer.map(a -> "agent " + (a.name() != null ? a.name() : a.handle())).orElse("the human");
        if (!held.isEmpty()) {
            b.append("huddle: this commit (by ").append(who).append(") touches ").append(held.size() == 1 ? "a file" : "files")
                    .append(" another agent holds exclusively").append(warnOnly ? " (" + Settings.CLAIMS_MODE.key() + " warn: committing anyway)" : "").append(":\n");
            held.forEach(l -> b.append(l).append('\n'));
        }
        if (!editing.isEmpty()) {
            b.append("huddle: ").append(editing.size() == 1 ? "a staged file is" : "staged files are").append(" being edited by another agent right now:\n");
            editing.forEach(l -> b.append(l).append('\n'));
        }
        if (!warnOnly) {
            String target = String.join(", ", holders);
            b.append("Ask ").append(target).append(" first (").append(committer.isPresent() ? "ask_peer, target: " + target : "huddle send " + holders.iterator().next() + " ...")
                    .append("), wait until the claim ends (huddle claims), release it as the human (huddle release <path>), or commit anyway:")
                    .append(" HUDDLE_ALLOW_CLAIMED=1 git commit ... (or git commit --no-verify).\n");
        }
        return b.toString();
    }
}
