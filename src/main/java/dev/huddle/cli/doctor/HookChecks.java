package dev.huddle.cli.doctor;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.HookCatalog;
import dev.huddle.agents.HookClient;
import dev.huddle.agents.HookTrust;
import dev.huddle.agents.doctor.Check;
import dev.huddle.agents.doctor.DoctorContext;
import dev.huddle.agents.setup.ClientFiles;
import dev.huddle.agents.setup.InstalledHooks;

import dev.huddle.hub.identity.LoginUsers;
import dev.huddle.hub.identity.TcpPeers;
import dev.huddle.protocol.HookPort;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Per client: are huddle's hooks installed, current (this hook-set version), and able to reach this hub? */
final class HookChecks {
    static final String SETUP_HINT = "Run `huddle setup` (it upgrades in place; see docs/setup.md).";

    private final DoctorContext ctx;

    HookChecks(DoctorContext ctx) {
        this.ctx = ctx;
    }

    /** The line named after the client: {@code claude-code-hooks}, {@code codex-hooks}, ... */
    static String name(AgentClient client) {
        return client.type().wireName() + "-hooks";
    }

    /** Whether setup installs some of this client's hooks as http hooks. */
    private static boolean postsHooks(AgentClient client) {
        return HookCatalog.forClient(client.id()).stream().anyMatch(client.setup()::postsHook);
    }

    /**
     * http hooks: they must POST to this home's kept hook port, where this hub listens (or will, once it starts), on a
     * system where the hub can prove who connects; a port another program holds gets the hooks instead of huddle.
     */
    private Optional<Check> httpCheck(String name, InstalledHooks h) {
        if (h.ports().isEmpty()) return Optional.empty();
        String why = TcpPeers.unavailable();
        if (why != null) {
            return Optional.of(Check.warn(name, "http hooks, but the hub cannot prove who connects here (" + why + ") and refuses them",
                    "Run `huddle setup --hook-transport curl`."));
        }
        HubPaths paths = HubPaths.fromEnvironment(ctx.env());
        java.util.OptionalInt kept = HookPort.read(paths);
        if (kept.isEmpty() || !h.ports().equals(Set.of(kept.getAsInt()))) {
            return Optional.of(Check.warn(name, "the http hooks POST to port " + h.ports().stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " but this huddle's hook port is " + (kept.isEmpty() ? "not chosen yet" : kept.getAsInt()), "Run `huddle setup` with the HUDDLE_HOME your agents use."));
        }
        int port = kept.getAsInt();
        if (!HookPort.free(port) && !HookPort.heldByHub(paths, port)) {
            return Optional.of(Check.fail(name, "another program listens on the hook port " + port + ": Claude Code's hooks go to it, not to huddle",
                    "Run `huddle setup` (it chooses a new port), then `huddle hub restart`."));
        }
        return Optional.empty();
    }

    Check check(AgentClient client) {
        String name = name(client);
        HookClient id = client.id();
        InstalledHooks h = InstalledHooks.inspect(id, ctx.home(), ctx.env(), ctx.projectRoot());
        if (!h.problems().isEmpty()) {
            return Check.warn(name, String.join("; ", h.problems()), "Fix the file; the client cannot read its hooks either.");
        }
        int total = HookCatalog.forClient(id).size();
        if (h.none()) {
            Path dir = ClientFiles.userConfigDir(id, ctx.home(), ctx.env());
            if (!Files.isDirectory(dir)) return Check.ok(name, "not installed (no " + dir + ")");
            return Check.warn(name, "missing: none of huddle's " + total + " hooks is installed", SETUP_HINT);
        }
        String where = " in " + h.files().stream().map(Path::toString).collect(Collectors.joining(", "));
        if (!h.stale().isEmpty() || !h.missing().isEmpty()) {
            StringBuilder d = new StringBuilder();
            if (!h.stale().isEmpty()) {
                d.append("stale: run huddle setup (").append(h.stale().entrySet().stream()
                        .map(e -> e.getKey() + " v" + e.getValue()).collect(Collectors.joining(", "))).append("; current is v")
                        .append(HookCatalog.VERSION).append(')');
            }
            if (!h.missing().isEmpty()) d.append(d.isEmpty() ? "" : "; ").append("missing: ").append(String.join(", ", h.missing()));
            return Check.warn(name, d + where, SETUP_HINT);
        }
        if (!h.sockets().isEmpty() && !h.sockets().equals(Set.of(ctx.httpSocket().toString()))) {
            return Check.warn(name, "the hooks call " + String.join(", ", h.sockets()) + " but this huddle's hub listens on " + ctx.httpSocket(),
                    "Run `huddle setup` with the HUDDLE_HOME your agents use.");
        }
        if (!h.sockets().isEmpty() && !ctx.curl()) {
            return Check.warn(name, total + " hooks v" + HookCatalog.VERSION + where + ", but they use curl, which is not on PATH",
                    "Install curl, or run `huddle setup` again to switch them to `huddle hook`.");
        }
        Optional<Check> http = httpCheck(name, h);
        if (http.isPresent()) return http.get();
        String how = (h.ports().isEmpty() ? "" : "via http on port " + h.ports().iterator().next() + (h.sockets().isEmpty() && !h.launcherForm() ? "" : " and "))
                + (h.launcherForm() ? "via huddle hook" : h.sockets().isEmpty() ? "" : "via curl");
        String detail = total + " hooks, v" + HookCatalog.VERSION + ", " + how + where;
        if (h.ports().isEmpty() && postsHooks(client) && TcpPeers.unavailable() == null && LoginUsers.others().isEmpty()
                && !"curl".equalsIgnoreCase(ctx.env().getOrDefault(Settings.HOOK_TRANSPORT.env(), "auto").strip())) {
            return Check.warn(name, detail + "; each hook starts sh and curl, which http hooks (POSTed by the client itself) do not",
                    "Run `huddle setup` to switch them to http hooks (or set " + Settings.HOOK_TRANSPORT.env() + "=curl to keep curl).");
        }
        Optional<HookTrust> trust = client.hookTrust(ctx.home(), ctx.env(), ctx.projectRoot());
        if (trust.isPresent() && !trust.get().allTrusted()) return Check.warn(name, detail + "; " + trust.get().summary(), trust.get().advice());
        return Check.ok(name, detail + trust.map(t -> "; " + t.summary()).orElse(""));
    }
}
