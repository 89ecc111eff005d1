package dev.huddle.agents;

import dev.huddle.core.identity.ClientType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The agent clients huddle knows: one {@link AgentClient} per {@code agents.<client>} package, listed in
 * {@code META-INF/services/dev.huddle.agents.AgentClient} (so no shared code names a client, and adding one is adding
 * its package and its line there). Their order is the order of detection.
 */
public final class AgentClients {
    private final List<AgentClient> all;

    private AgentClients(List<AgentClient> all) {
        this.all = List.copyOf(all);
    }

    /** The clients of this installation. */
    public static AgentClients installed() {
        return Installed.CLIENTS;
    }

    /** Loaded once, on first use. */
    private static final class Installed {
        static final AgentClients CLIENTS = load();

        private static AgentClients load() {
            List<AgentClient> found = new ArrayList<>();
            ServiceLoader.load(AgentClient.class, AgentClient.class.getClassLoader()).forEach(found::add);
            if (found.isEmpty()) throw new IllegalStateException("no agent clients found (META-INF/services/" + AgentClient.class.getName() + ")");
            return new AgentClients(found);
        }
    }

    public List<AgentClient> all() {
        return all;
    }

    public Optional<AgentClient> of(ClientType type) {
        return all.stream().filter(c -> c.type() == type).findFirst();
    }

    public AgentClient of(HookClient id) {
        return all.stream().filter(c -> c.id() == id).findFirst()
                .orElseThrow(() -> new IllegalStateException("no agent client " + id.id() + " is installed"));
    }

    /** The client of a hook URL's or the command line's short name (any case). */
    public Optional<AgentClient> byId(String id) {
        if (id == null) return Optional.empty();
        String s = id.toLowerCase(Locale.ROOT);
        return all.stream().filter(c -> c.id().id().equals(s)).findFirst();
    }

    /** The short names for people: {@code claude, codex or gemini}. */
    public String idsForPeople() {
        List<String> ids = all.stream().map(c -> c.id().id()).toList();
        if (ids.size() < 2) return String.join("", ids);
        return String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.getLast();
    }

    /**
     * Which client a front speaks for: the MCP {@code clientInfo.name} from {@code initialize} wins
     * ("claude-code", "codex-mcp-client", "gemini-cli-mcp-client"); otherwise the environment the agent gave its front.
     */
    public ClientType detect(String clientInfoName, Map<String, String> frontEnv) {
        if (clientInfoName != null) {
            String n = clientInfoName.toLowerCase(Locale.ROOT);
            for (AgentClient c : all) if (c.namedBy(n)) return c.type();
        }
        for (AgentClient c : all) if (c.detectedIn(frontEnv)) return c.type();
        return ClientType.UNKNOWN;
    }

    /** The session id a tool call's {@code _meta} names, for whichever client puts one there. */
    public Optional<String> sessionFromToolMeta(Map<String, Object> meta) {
        if (meta == null) return Optional.empty();
        for (AgentClient c : all) {
            Optional<String> s = c.sessionFromToolMeta(meta);
            if (s.isPresent()) return s;
        }
        return Optional.empty();
    }

    /** The names of the command routes whose fired wakes stay with the client ({@link WakeRoute.Command#keepsTheWake()}). */
    public Set<String> routesThatKeepTheWake() {
        Set<String> names = new HashSet<>();
        for (AgentClient c : all) {
            for (WakeRoute r : c.wakeRoutes()) if (r instanceof WakeRoute.Command cmd && cmd.keepsTheWake()) names.add(cmd.name());
        }
        return Set.copyOf(names);
    }
}
