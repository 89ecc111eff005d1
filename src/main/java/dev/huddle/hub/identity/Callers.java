package dev.huddle.hub.identity;

import dev.huddle.terminal.ProcessInspector;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/** Proves who is at the other end of a hub socket ({@link Caller}) from the kernel's peer credentials and the process table. */
public final class Callers {
    private static final Logger LOG = Logger.getLogger(Callers.class.getName());
    /** Ancestors looked at: hooks sit a few levels below their agent, tools' shells a few more. */
    static final int MAX_LINEAGE = 24;

    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private final ProcessInspector processes;
    private final UserPrincipal self;
    private final TcpPeers tcp = TcpPeers.system();

    public Callers(ProcessInspector processes) {
        this.processes = processes;
        this.self = hubUser();
        String why = PeerCredentials.unavailable();
        if (why != null && WARNED.compareAndSet(false, true)) LOG.warning("callers cannot be proven (" + why + "): hooks and fronts act only for sessions no other process runs");
    }

    /** The caller at the other end of {@code channel}. */
    public Caller of(SocketChannel channel) {
        PeerCredentials.Peer peer = PeerCredentials.of(channel);
        boolean sameUser = peer.user() == null || self == null || peer.user().equals(self);
        if (peer.pid() <= 0) return Caller.unproven(peer.why(), sameUser);
        return new Caller(processes.ancestry(peer.pid(), MAX_LINEAGE), -1, sameUser, null);
    }

    /**
     * The caller at the other end of a loopback TCP connection from {@code client} to {@code server}: the process of
     * the hub's user that holds the connection's client socket ({@link TcpPeers}), looked for first among
     * {@code candidates} (the agent process of the session the request names). Unproven when the kernel lists no such
     * socket or no such process, and refused ({@link Caller#sameUser()} false) when another user made the socket.
     */
    public Caller ofTcp(InetSocketAddress client, InetSocketAddress server, List<Long> candidates) {
        String why = TcpPeers.unavailable();
        if (why != null) return Caller.unproven(why, true);
        Optional<TcpPeers.ClientSocket> socket = tcp.clientSocket(client, server);
        if (socket.isEmpty()) return Caller.unproven("the kernel lists no connection from " + client, true);
        if (!tcp.ours(socket.get())) return Caller.unproven("the connection belongs to uid " + socket.get().uid(), false);
        OptionalLong pid = tcp.holder(socket.get(), candidates);
        if (pid.isEmpty()) return Caller.unproven("no process of the hub's user holds the connection from " + client, true);
        // The holder is the client itself (Claude Code posts its own hooks): it names itself, as a hook's $PPID does.
        return new Caller(processes.ancestry(pid.getAsLong(), MAX_LINEAGE), pid.getAsLong(), true, null);
    }

    /**
     * A caller known by a pid the hub trusts (its own test harnesses, which run hooks in-process): that process, named.
     */
    public Caller ofPid(long pid) {
        return pid <= 0 ? Caller.unproven("no pid", true) : new Caller(processes.ancestry(pid, MAX_LINEAGE), pid, true, null);
    }

    /** Why a caller's pid cannot be read on this JVM, or null when it can ({@code huddle hub status}, the log). */
    public static String unavailable() {
        return PeerCredentials.unavailable();
    }

    /** The user the hub runs as; null when it cannot be looked up (then no peer is refused for its user). */
    public static UserPrincipal hubUser() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
