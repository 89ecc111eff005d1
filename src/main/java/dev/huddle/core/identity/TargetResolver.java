package dev.huddle.core.identity;

import dev.huddle.core.HuddleError;
import dev.huddle.core.Validation;
import dev.huddle.core.messaging.Message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves a message target among the agents huddle knows: an exact session id, a peer's name, its handle, a unique id
 * prefix of at least 8 characters, or a tmux session name. Pure: the caller passes the candidates.
 */
public final class TargetResolver {
    private TargetResolver() {}

    public static final int MIN_PREFIX = 8;

    /**
     * @param target     what the caller wrote
     * @param me         the caller's agent id
     * @param myProject  the caller's project root
     * @param agents     every non-retired agent (all projects)
     */
    public static Agent resolve(String target, String me, String myProject, List<Agent> agents) {
        String t = target == null ? "" : target.strip();
        if (t.isEmpty()) throw new HuddleError("invalid-argument", "target is empty", "Pass a session id, a name, or \"*\" to broadcast.");
        // The rules apply to my project first, so a name or id elsewhere never shadows a later rule's match here.
        List<Agent> project = agents.stream().filter(a -> a.projectRoot().equals(myProject)).toList();
        List<Agent> mine = matches(t, project);
        if (mine.isEmpty()) {
            List<Agent> elsewhere = matches(t, agents);
            if (elsewhere.isEmpty()) throw notFound(t, "no agent matches '" + Validation.truncate(t, 60) + "'", project,
                    "Call list_project_sessions to see the session ids and names you can use.");
            String other = elsewhere.getFirst().projectRoot();
            throw new HuddleError("cross-project", "'" + Validation.truncate(t, 60) + "' is an agent of another project ("
                    + other + "); agents only message peers of their own project",
                    "Message peers listed by list_project_sessions.", Map.of("target", t, "project_root", other));
        }
        if (mine.size() > 1) {
            List<String> c = new ArrayList<>();
            for (Agent a : mine) c.add(a.handle() + (a.name() == null ? "" : " (" + a.name() + ")") + " " + a.clientType().wireName());
            throw new HuddleError("ambiguous-target", "'" + Validation.truncate(t, 60) + "' matches " + mine.size()
                    + " agents: " + String.join(", ", c), "Use a longer id prefix or the full session id.");
        }
        Agent a = mine.getFirst();
        if (a.agentId().equals(me)) {
            throw new HuddleError("self-send", "'" + Validation.truncate(t, 60) + "' is you", "Message a peer, not yourself.");
        }
        return a;
    }

    /**
     * {@code target-not-found}, saying so when {@code t} is the start of an agent's id but shorter than an id prefix may be
     * ({@code details.short_prefix}), with {@code details.target} and any {@code extra} detail.
     */
    private static HuddleError notFound(String t, String message, List<Agent> project, String hint, Object... extra) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("target", t);
        boolean shortPrefix = t.length() < MIN_PREFIX && project.stream().anyMatch(a -> a.agentId().startsWith(t));
        if (shortPrefix) {
            message += " ('" + t + "' is the start of an id, but an id prefix needs at least " + MIN_PREFIX + " characters)";
            details.put("short_prefix", true);
        }
        for (int i = 0; i + 1 < extra.length; i += 2) details.put((String) extra[i], extra[i + 1]);
        return new HuddleError("target-not-found", message, hint, details);
    }

    /** At most this many candidates are listed in an error. */
    static final int MAX_CANDIDATES = 20;

    /**
     * Resolves the peer whose session {@code read_session} (or {@code huddle read}) reads: the same rules as a message
     * target, among the agents of {@code myProject} only; unknown and ambiguous targets list the candidates, in the
     * message and as {@code details.candidates}.
     *
     * @param me the caller's agent id, or null for the human (who may read any agent of the project)
     */
    public static Agent resolveToRead(String target, String me, String myProject, List<Agent> agents) {
        String t = target == null ? "" : target.strip();
        if (t.isEmpty()) throw new HuddleError("invalid-argument", "target is empty", "Pass a session id, a handle, an id prefix (8+), a name or a tmux session name.");
        List<Agent> project = agents.stream().filter(a -> a.projectRoot().equals(myProject) && a.retiredAt() == null).toList();
        List<Agent> mine = matches(t, project);
        if (mine.isEmpty()) {
            if (!matches(t, agents).isEmpty()) {
                throw new HuddleError("cross-project", "'" + Validation.truncate(t, 60) + "' is an agent of another project;"
                        + " sessions of your own project only can be read", "Read a peer listed by list_project_sessions.");
            }
            List<Agent> peers = project.stream().filter(a -> !a.agentId().equals(me)).toList();
            throw notFound(t, "no agent of this project matches '" + Validation.truncate(t, 60) + "'"
                            + (peers.isEmpty() ? "; it has no other agents" : "; its agents are: " + labels(peers)), project,
                    "Use a session id, a handle, an id prefix of at least 8 characters, a name or a tmux session name from the list.",
                    "candidates", candidates(peers));
        }
        if (mine.size() > 1) {
            throw new HuddleError("ambiguous-target", "'" + Validation.truncate(t, 60) + "' matches " + mine.size()
                    + " agents: " + labels(mine), "Use the full session id, or a longer id prefix.", Map.of("candidates", candidates(mine)));
        }
        Agent a = mine.getFirst();
        if (a.agentId().equals(me)) {
            throw new HuddleError("self-read", "'" + Validation.truncate(t, 60) + "' is you", "read_session reads peers' sessions; you have your own context.");
        }
        return a;
    }

    private static String labels(List<Agent> agents) {
        List<String> c = new ArrayList<>();
        for (Agent a : agents.subList(0, Math.min(MAX_CANDIDATES, agents.size()))) {
            c.add(a.handle() + (a.name() == null ? "" : " (" + a.name() + ")") + " " + a.clientType().wireName()
                    + (a.online() ? "" : " offline"));
        }
        return String.join(", ", c) + (agents.size() > MAX_CANDIDATES ? ", …" : "");
    }

    private static List<Map<String, Object>> candidates(List<Agent> agents) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Agent a : agents.subList(0, Math.min(MAX_CANDIDATES, agents.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("handle", a.handle());
            if (a.sessionId() != null) m.put("session_id", a.sessionId());
            if (a.name() != null) m.put("name", a.name());
            m.put("client_type", a.clientType().wireName());
            m.put("online", a.online());
            out.add(m);
        }
        return out;
    }

    /**
     * Exact id first; then names; then handles (what {@code huddle ps} shows: for a Codex thread id not a prefix);
     * then prefixes; then tmux session names. The first rule that matches wins.
     */
    static List<Agent> matches(String t, List<Agent> agents) {
        List<Agent> exact = agents.stream().filter(a -> a.agentId().equals(t) || t.equals(a.sessionId())).toList();
        if (!exact.isEmpty()) return exact;
        String lower = t.toLowerCase(Locale.ROOT);
        List<Agent> named = agents.stream().filter(a -> a.name() != null && a.name().toLowerCase(Locale.ROOT).equals(lower)).toList();
        if (!named.isEmpty()) return named;
        List<Agent> handled = agents.stream().filter(a -> a.handle().equals(t)).toList();
        if (!handled.isEmpty()) return handled;
        if (t.length() >= MIN_PREFIX) {
            List<Agent> prefixed = agents.stream().filter(a -> a.agentId().startsWith(t)).toList();
            if (!prefixed.isEmpty()) return prefixed;
        }
        return agents.stream().filter(a -> a.terminal() != null && a.terminal().isTmux() && t.equals(a.terminal().session())).toList();
    }
}
