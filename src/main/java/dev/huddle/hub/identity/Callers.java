package dev.huddle.hub.identity;

import dev.huddle.terminal.ProcessInspector;

import java.io.IOException;
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
