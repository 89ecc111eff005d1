package dev.huddle.cli;

import dev.huddle.hub.identity.LoginUsers;
import dev.huddle.hub.identity.TcpPeers;
import dev.huddle.protocol.HookPort;
import dev.huddle.protocol.HubPaths;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How setup installs the hooks of a client that can POST them itself (Claude Code): {@code http} to the hub's
 * loopback hook port, or {@code curl} commands as for the other clients. {@code auto} (the default) is http where the
 * hub can prove which process opened a TCP connection (Linux: /proc) and nobody else can log in to the machine, curl
 * elsewhere: a loopback port is open to every local user, and while no hub runs another user could take it and answer
 * Claude Code's hooks, which no proof on the hub's side can prevent.
 */
final class HookTransport {
    static final String ENV = dev.huddle.protocol.Settings.HOOK_TRANSPORT.env();

    private HookTransport() {}

    /**
     * The hook port setup writes into the clients' settings (0: command hooks only), and whether it must be kept
     * ({@link HookPort#keep}) once setup writes: a port chosen now.
     */
    record Choice(int port, boolean keep) {}

    /**
     * The hook port setup writes into the clients' settings; chosen now (not yet kept) when none is kept or another
     * program holds the kept one.
     *
     * @param chosen the {@code --hook-transport} option, or null: {@code $HUDDLE_HOOK_TRANSPORT}, else auto
     * @param notes  gets what the user should know (a port that moved, http asked for where it cannot work)
     */
    static Choice port(String chosen, Map<String, String> env, HubPaths paths, List<String> notes) throws IOException {
        String t = chosen != null ? chosen : env.getOrDefault(ENV, "auto");
        t = t.strip().toLowerCase(Locale.ROOT);
        if (t.equals("curl") || t.equals("command")) return new Choice(0, false);
        if (!t.equals("auto") && !t.equals("http")) {
            throw new IllegalArgumentException("unknown hook transport '" + t + "': use auto, http or curl");
        }
        String why = TcpPeers.unavailable();
        if (why != null) {
            if (t.equals("http")) notes.add("http hooks need the hub to prove who connects, which it cannot here (" + why + "): curl hooks instead.");
            return new Choice(0, false);
        }
        List<String> others = LoginUsers.others();
        if (t.equals("auto") && !others.isEmpty()) {
            notes.add("Other people can log in to this machine (" + String.join(", ", others) + "), so Claude Code's hooks stay"
                    + " curl commands on huddle's private socket: a loopback port could be taken by one of them while no hub runs."
                    + " If you trust them, huddle setup --hook-transport http saves a process per hook.");
            return new Choice(0, false);
        }
        java.util.OptionalInt kept = HookPort.read(paths);
        if (kept.isEmpty()) return new Choice(HookPort.pick(), true);
        int port = kept.getAsInt();
        if (HookPort.free(port) || HookPort.heldByHub(paths, port)) return new Choice(port, false);
        int moved = HookPort.pick();
        notes.add("The hook port " + port + " is held by another program: Claude Code's hooks now use port " + moved
                + ". Restart the hub so it listens there: huddle hub restart.");
        return new Choice(moved, true);
    }
}
