package dev.huddle.hub.claims;

import dev.huddle.protocol.Settings;
import dev.huddle.core.HuddleError;
import dev.huddle.core.Validation;
import dev.huddle.core.claims.ClaimsMode;
import dev.huddle.core.claims.PathClaim;
import dev.huddle.core.identity.Agent;
import dev.huddle.hub.identity.AgentRegistry;
import dev.huddle.protocol.tools.Views;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What claims say in words: a claim as tools show it, who holds a file and how, why an edit, a claim or a commit
 * meets other agents' claims, and whom to ask. Holders are named as peers address them (name, else session id or
 * handle).
 */
public final class ClaimTexts {
    private final AgentRegistry registry;
    private final Clock clock;

    ClaimTexts(AgentRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Why an edit of these files meets other agents' claims, for the model (deny, warn) or the human (ask): per file
     * who holds it, how (claim and reason, or being edited since when), until when, and how to ask them.
     */
    public String describe(EditCheck check, ClaimsMode mode) {
        Instant now = clock.instant();
        StringBuilder why = new StringBuilder("huddle: ");
        LinkedHashSet<String> targets = new LinkedHashSet<>();
        List<String> files = new ArrayList<>(check.blocked().keySet());
        boolean anyExplicit = check.blocked().values().stream().flatMap(List::stream).anyMatch(c -> !c.implicit());
        why.append(String.join(", ", files.subList(0, Math.min(5, files.size()))))
                .append(files.size() > 5 ? " and " + (files.size() - 5) + " more" : "")
                .append(files.size() == 1 ? " is " : " are ")
                .append(anyExplicit ? "claimed exclusively by another agent" : "being edited by another agent");
        why.append(switch (mode) {
            case DENY -> ", so this edit was refused. ";
            case ASK -> ": allow this edit anyway? ";
            case WARN -> ". The edit goes ahead (this project's " + Settings.CLAIMS_MODE.key() + " is warn), but coordinate before you change it"
                    + " further. ";
        });
        for (var e : check.blocked().entrySet()) {
            for (PathClaim c : e.getValue()) {
                targets.add(holderLabel(c).who());
                why.append(holderText(c, now)).append(' ');
            }
        }
        why.append(mode == ClaimsMode.WARN ? "Tell the holder with send_message or ask_peer (target: " : "Do not work around this with another tool. Ask the holder with ask_peer (target: ")
                .append(String.join(", ", targets)).append(") to release it or to make the change, work on other files meanwhile, "
                        + "or wait until the claim ends (list_claims shows it).");
        return Validation.truncate(why.toString(), 2000);
    }

    /** One holder's hold on a file, in a sentence: explicit claims with pattern, since, reason, expiry; implicit with the last edit. */
    String holderText(PathClaim c, Instant now) {
        Views.ClaimView v = view(c, null, now);
        HolderLabel h = holderLabel(c);
        StringBuilder b = new StringBuilder();
        if (c.implicit()) {
            long ago = Math.max(0, Duration.between(c.lastEditAt(), now).toSeconds());
            b.append(h.who()).append(h.session() == null ? "" : " (session " + h.session() + ")").append(" edited ").append(c.pattern())
                    .append(" at ").append(v.lastEdit()).append(" (").append(ago).append(" s ago) without claiming it; huddle counts a file as")
                    .append(" theirs for ").append(c.ttlS()).append(" s after each edit (until ").append(v.expires()).append(").");
        } else {
            b.append("Held by ").append(h.who()).append(h.session() == null ? "" : " (session " + h.session() + ")")
                    .append(" through the claim ").append(c.pattern()).append(" since ").append(v.since())
                    .append(c.reason() == null ? ", no reason given" : ", reason: " + c.reason())
                    .append("; it expires ").append(v.expires()).append(" unless renewed.");
        }
        return b.toString();
    }

    record HolderLabel(String who, String session) {}

    /** The agent with this id, or null. */
    Agent agent(String id) {
        return registry.find(id).orElse(null);
    }

    /** The name peers use for the holder (its name, else its session id or handle), and its session when named. */
    HolderLabel holderLabel(PathClaim c) {
        Optional<Agent> holder = registry.find(c.holderId());
        String id = holder.map(a -> a.bound() ? a.sessionId() : a.handle()).orElse(c.holderId());
        String name = holder.map(Agent::name).orElse(null);
        return name != null ? new HolderLabel(name, id) : new HolderLabel(id, null);
    }

    HuddleError conflictError(Agent me, Map<String, List<PathClaim>> conflicts, Instant now) {
        List<Map<String, Object>> details = new ArrayList<>();
        StringBuilder msg = new StringBuilder("nothing was claimed: ");
        LinkedHashSet<String> holders = new LinkedHashSet<>();
        boolean first = true;
        for (var e : conflicts.entrySet()) {
            for (PathClaim c : e.getValue()) {
                Views.ClaimView v = view(c, me.agentId(), now);
                String who = v.holderName() != null ? v.holderName() : v.holder();
                holders.add(who);
                if (!first) msg.append("; ");
                first = false;
                if (c.implicit()) {
                    msg.append(e.getKey()).append(" overlaps ").append(c.pattern()).append(", being edited by ").append(who)
                            .append(" (last edit ").append(v.lastEdit()).append(", theirs until ").append(v.expires()).append(')');
                } else {
                    msg.append(e.getKey()).append(" overlaps ").append(c.pattern()).append(", held ").append(v.mode())
                            .append(" by ").append(who).append(" since ").append(v.since())
                            .append(c.reason() == null ? "" : " (" + c.reason() + ")");
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("path", e.getKey());
                d.put("held_path", c.pattern());
                d.put("mode", v.mode());
                d.put("holder", v.holder());
                if (v.holderName() != null) d.put("holder_name", v.holderName());
                d.put("since", v.since());
                d.put("expires", v.expires());
                if (c.reason() != null) d.put("reason", c.reason());
                if (c.implicit()) d.put("implicit", true);
                details.add(d);
            }
        }
        return new HuddleError("paths-claimed", Validation.truncate(msg.toString(), 2000),
                "Ask the holder with ask_peer (target: " + String.join(", ", holders) + ") to release or share them, wait until "
                        + "their claim expires, or claim only the other paths. Shared claims coexist: both sides must use mode shared.",
                Map.of("conflicts", details));
    }

    Views.ClaimView view(PathClaim c, String myId, Instant now) {
        Optional<Agent> holder = registry.find(c.holderId());
        String id = holder.map(a -> a.bound() ? a.sessionId() : a.handle()).orElse(c.holderId());
        return new Views.ClaimView(c.pattern(), c.mode().wireName(), id, holder.map(Agent::name).orElse(null),
                holder.map(Agent::handle).orElse(null), c.holderId().equals(myId), c.reason(), iso(c.since()),
                iso(c.expires()), Math.max(0, Duration.between(now, c.expires()).toSeconds()),
                c.implicit() ? Boolean.TRUE : null, c.implicit() ? iso(c.lastEditAt()) : null);
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
