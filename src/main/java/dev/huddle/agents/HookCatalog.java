package dev.huddle.agents;

import java.util.List;
import java.util.Optional;

/**
 * The one list of hooks huddle installs, gathered from every client's package ({@link AgentClient#hooks()}).
 * {@link #VERSION} is part of every installed command: bump it whenever an installed command or a client's list
 * changes, so {@code huddle setup} upgrades older installs and {@code huddle doctor} reports them stale.
 */
public final class HookCatalog {
    /** The version of the installed hook set. */
    public static final int VERSION = 3;

    private HookCatalog() {}

    /** Every client's hooks, client by client in {@link AgentClients}' order. */
    public static List<HookSpec> all() {
        return AgentClients.installed().all().stream().flatMap(c -> c.hooks().stream()).toList();
    }

    public static List<HookSpec> forClient(HookClient client) {
        return AgentClients.installed().of(client).hooks();
    }

    /** The spec of a client's hook endpoint (the event name, or {@code Rewake}; exact, case-sensitive). */
    public static Optional<HookSpec> find(HookClient client, String endpoint) {
        return AgentClients.installed().of(client).hook(endpoint);
    }
}
