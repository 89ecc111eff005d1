package dev.huddle.hub.identity;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Which local process opened a loopback TCP connection to the hub (Linux, from {@code /proc}): the kernel's table of
 * TCP sockets ({@code /proc/net/tcp}) names the client end's inode and owner uid by its address and port, and a
 * process holds that socket when one of its file descriptors links to {@code socket:[inode]}. Any local user can
 * connect to a loopback port, so nothing the client sends identifies it; this does. Elsewhere (no {@code /proc}),
 * {@link #unavailable()} says so and every connection is unproven.
 */
public final class TcpPeers {
    private static final Path NET_TCP = Path.of("/proc/net/tcp");
    private static final Path SYSTEM_PROC = Path.of("/proc");
    private static final String ESTABLISHED = "01";
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final Path proc;
    private final long uid;

    /** @param proc the proc file system ({@code /proc}); @param uid the uid a proven socket must have (the hub's) */
    TcpPeers(Path proc, long uid) {
        this.proc = proc;
        this.uid = uid;
    }

    public static TcpPeers system() {
        return new TcpPeers(Path.of("/proc"), selfUid());
    }

    /** Why connections cannot be proven here, or null when they can. */
    public static String unavailable() {
        if (!Files.isReadable(NET_TCP)) return "no /proc/net/tcp on " + System.getProperty("os.name") + " (a TCP hook's process cannot be found)";
        return selfUid() < 0 ? "the hub's uid is unknown" : null;
    }

    /**
     * The client end of a connection the hub accepted: the socket whose local address is the connection's remote
     * one and whose remote address is the hub's, established.
     *
     * @param inode the socket's inode ({@code socket:[inode]} in its owner's fd table)
     * @param uid   the uid that created it
     */
    public record ClientSocket(long inode, long uid) {}

    /**
     * The client end of the connection from {@code client} to {@code server} (the hub's address), if the kernel lists
     * it: asked of the kernel by its addresses ({@link SockDiag}, tens of µs), else found in {@code /proc/net/tcp}, or in
     * {@code tcp6} as an IPv4-mapped address (a client with a dual-stack socket, such as a JVM's). Reading those walks
     * the kernel's whole established hash: milliseconds each.
     */
    public Optional<ClientSocket> clientSocket(InetSocketAddress client, InetSocketAddress server) {
        if (!(client.getAddress() instanceof Inet4Address c) || !(server.getAddress() instanceof Inet4Address s)) return Optional.empty();
        Optional<ClientSocket> asked = proc.equals(SYSTEM_PROC)
                ? SockDiag.clientSocket(client, server).map(f -> new ClientSocket(f.inode(), f.uid())) : Optional.empty();
        return asked.isPresent() ? asked : listed(c, client.getPort(), s, server.getPort());
    }

    /** The same, read from {@code /proc/net/tcp} and {@code tcp6} only. */
    Optional<ClientSocket> listed(Inet4Address c, int clientPort, Inet4Address s, int serverPort) {
        Optional<ClientSocket> v4 = find("net/tcp", hex(c, clientPort), hex(s, serverPort));
        return v4.isPresent() ? v4 : find("net/tcp6", mapped(c, clientPort), mapped(s, serverPort));
    }

    private Optional<ClientSocket> find(String table, String local, String remote) {
        List<String> lines;
        try {
            lines = Files.readAllLines(proc.resolve(table));
        } catch (IOException e) {
            return Optional.empty();
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
            if (f.length < 10 || !f[1].equals(local) || !f[2].equals(remote) || !ESTABLISHED.equals(f[3])) continue;
            try {
                return Optional.of(new ClientSocket(Long.parseLong(f[9]), Long.parseLong(f[7])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Whether {@code socket} was created by the hub's own user. */
    public boolean ours(ClientSocket socket) {
        return uid >= 0 && socket.uid() == uid;
    }

    /** Whether process {@code pid} holds {@code socket} among its file descriptors (false when it cannot be read). */
    public boolean holds(long pid, ClientSocket socket) {
        String want = "socket:[" + socket.inode() + "]";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (want.equals(Files.readSymbolicLink(fd).toString())) return true;
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            return false; // gone, or another user's
        }
        return false;
    }

    /**
     * The process of the hub's user that holds {@code socket}: the candidates first (the agent processes the request
     * names, by its session; Claude Code posts its hooks from that very process), then their children, then every process
     * the hub may look into. Empty when none does. Whichever process holds the socket's fd is the one that can write on
     * it, so a socket another process created and passed on (or let a child inherit) is that holder's to use.
     */
    public OptionalLong holder(ClientSocket socket, List<Long> candidates) {
        for (long pid : candidates) if (pid > 1 && holds(pid, socket)) return OptionalLong.of(pid);
        // Then their children (a client that posts from a helper process), before every process there is.
        Set<Long> looked = new HashSet<>(candidates);
        for (long pid : candidates) {
            for (long child : children(pid)) if (looked.add(child) && holds(child, socket)) return OptionalLong.of(child);
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path p : all) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (!looked.contains(pid) && holds(pid, socket)) return OptionalLong.of(pid);
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The children of {@code pid}, from each of its threads' {@code children} list; empty where the kernel has none. */
    List<Long> children(long pid) {
        if (pid <= 1) return List.of();
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : tasks) {
                try {
                    for (String c : Files.readString(task.resolve("children")).trim().split("\\s+")) if (isPid(c)) out.add(Long.parseLong(c));
                } catch (IOException e) {
                    // the thread ended, or no CONFIG_PROC_CHILDREN
                }
            }
        } catch (IOException | SecurityException e) {
            return out;
        }
        return out;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) return false;
        for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
        return true;
    }

    /** How {@code /proc/net/tcp} prints an IPv4 address and port: the address as a host-order int, the port, in hex. */
    static String hex(Inet4Address address, int port) {
        byte[] b = address.getAddress();
        byte[] ordered = LITTLE_ENDIAN ? new byte[] {b[3], b[2], b[1], b[0]} : b;
        return HexFormat.of().formatHex(ordered).toUpperCase(Locale.ROOT) + ":" + String.format(Locale.ROOT, "%04X", port);
    }

    /** How {@code /proc/net/tcp6} prints {@code ::ffff:<address>}: four host-order ints, then the port. */
    static String mapped(Inet4Address address, int port) {
        String ffff = LITTLE_ENDIAN ? "FFFF0000" : "0000FFFF";
        return "0000000000000000" + ffff + hex(address, port);
    }

    /** The hub's uid, from {@code /proc/self}'s owner; -1 when unknown. */
    static long selfUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
