package dev.huddle.hub.identity;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Optional;

/**
 * The owner and inode of one TCP socket, asked of the kernel by its four addresses (Linux {@code sock_diag} over
 * netlink, what {@code ss} uses, without {@code NLM_F_DUMP}: the kernel looks the one socket up in its hash instead of
 * walking the whole table). Reading {@code /proc/net/tcp} walks every bucket of the established hash (262,144 on a
 * machine with 24 GB), which took 3-7 ms per read here even with four sockets in it; this takes tens of µs. Called
 * through the FFM API (the jar enables native access). Where it is not available (not Linux, an old kernel, a
 * seccomp filter), {@link #clientSocket} answers empty and {@link TcpPeers} reads {@code /proc/net/tcp}.
 */
final class SockDiag {
    private static final int AF_NETLINK = 16;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final short NLM_F_REQUEST = 1;
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_ESTABLISHED = 1;
    private static final int MSG_DONTWAIT = 0x40;
    /** nlmsghdr (16) + inet_diag_req_v2 (8 + inet_diag_sockid 48). */
    private static final int REQUEST_BYTES = 16 + 56;
    /** nlmsghdr (16) + inet_diag_msg (72); attributes may follow, none asked for. */
    private static final int REPLY_MIN_BYTES = 16 + 72;
    private static final ValueLayout.OfInt NATIVE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort NATIVE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final Calls CALLS = calls();

    private SockDiag() {}

    /** The socket the kernel found: its inode ({@code socket:[inode]} in its holder's fd table) and its owner's uid. */
    record Found(long inode, long uid) {}

    /** The libc functions used, looked up once; null fields where they cannot be reached. */
    private record Calls(MethodHandle socket, MethodHandle sendto, MethodHandle recv, MethodHandle close) {}

    private static Calls calls() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) return null;
        try {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            ValueLayout.OfInt i = ValueLayout.JAVA_INT;
            ValueLayout.OfLong l = ValueLayout.JAVA_LONG;
            return new Calls(
                    linker.downcallHandle(libc.find("socket").orElseThrow(), FunctionDescriptor.of(i, i, i, i)),
                    linker.downcallHandle(libc.find("sendto").orElseThrow(), FunctionDescriptor.of(l, i, ValueLayout.ADDRESS, l, i, ValueLayout.ADDRESS, i)),
                    linker.downcallHandle(libc.find("recv").orElseThrow(), FunctionDescriptor.of(l, i, ValueLayout.ADDRESS, l, i)),
                    linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(i, i)));
        } catch (RuntimeException | LinkageError e) {
            return null; // no native access, or no such symbol: /proc/net/tcp instead
        }
    }

    /**
     * The established TCP socket whose local address is {@code local} and remote address is {@code remote} (IPv4; a
     * dual-stack socket connected to an IPv4 address is found too); empty when the kernel has none, or cannot be asked.
     */
    static Optional<Found> clientSocket(InetSocketAddress local, InetSocketAddress remote) {
        if (CALLS == null || !(local.getAddress() instanceof Inet4Address l) || !(remote.getAddress() instanceof Inet4Address r)) {
            return Optional.empty();
        }
        try {
            return ask(l, local.getPort(), r, remote.getPort());
        } catch (Throwable e) {
            return Optional.empty();
        }
    }

    private static Optional<Found> ask(Inet4Address local, int localPort, Inet4Address remote, int remotePort) throws Throwable {
        int fd = (int) CALLS.socket().invokeExact(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        if (fd < 0) return Optional.empty();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = arena.allocate(REQUEST_BYTES, 8);
            req.set(NATIVE_INT, 0, REQUEST_BYTES);                 // nlmsg_len
            req.set(NATIVE_SHORT, 4, (short) SOCK_DIAG_BY_FAMILY); // nlmsg_type
            req.set(NATIVE_SHORT, 6, NLM_F_REQUEST);               // nlmsg_flags: one socket, no dump
            req.set(NATIVE_INT, 8, 1);                             // nlmsg_seq
            req.set(ValueLayout.JAVA_BYTE, 16, (byte) AF_INET);     // sdiag_family
            req.set(ValueLayout.JAVA_BYTE, 17, (byte) IPPROTO_TCP); // sdiag_protocol
            req.set(NATIVE_INT, 20, 1 << TCP_ESTABLISHED);          // idiag_states
            long id = 24;                                           // inet_diag_sockid: ports and addresses in network order
            req.set(NET_SHORT, id, (short) localPort);
            req.set(NET_SHORT, id + 2, (short) remotePort);
            MemorySegment.copy(MemorySegment.ofArray(local.getAddress()), 0, req, id + 4, 4);
            MemorySegment.copy(MemorySegment.ofArray(remote.getAddress()), 0, req, id + 20, 4);
            req.set(NATIVE_INT, id + 40, -1);                       // idiag_cookie: INET_DIAG_NOCOOKIE
            req.set(NATIVE_INT, id + 44, -1);
            MemorySegment kernel = arena.allocate(12, 4);           // sockaddr_nl: the kernel (nl_pid 0)
            kernel.set(NATIVE_SHORT, 0, (short) AF_NETLINK);
            long sent = (long) CALLS.sendto().invokeExact(fd, req, (long) REQUEST_BYTES, 0, kernel, 12);
            if (sent != REQUEST_BYTES) return Optional.empty();
            MemorySegment reply = arena.allocate(8192, 8);
            // The kernel answers within sendto (netlink to the kernel is synchronous), so the reply is queued already.
            long got = (long) CALLS.recv().invokeExact(fd, reply, 8192L, MSG_DONTWAIT);
            // An unknown socket comes back as NLMSG_ERROR (-ENOENT).
            if (got < REPLY_MIN_BYTES || reply.get(NATIVE_SHORT, 4) != SOCK_DIAG_BY_FAMILY) return Optional.empty();
            long msg = 16;
            // A dual-stack socket is reported as IPv6, its IPv4 address in the last 4 of the 16 bytes (::ffff:a.b.c.d).
            long at = reply.get(ValueLayout.JAVA_BYTE, msg) == AF_INET ? 0 : 12;
            // The socket found must be the one asked for, established: never a listener that shares the local port.
            boolean same = reply.get(ValueLayout.JAVA_BYTE, msg + 1) == TCP_ESTABLISHED
                    && Short.toUnsignedInt(reply.get(NET_SHORT, msg + 4)) == localPort
                    && Short.toUnsignedInt(reply.get(NET_SHORT, msg + 6)) == remotePort
                    && reply.asSlice(msg + 8 + at, 4).mismatch(MemorySegment.ofArray(local.getAddress())) == -1
                    && reply.asSlice(msg + 24 + at, 4).mismatch(MemorySegment.ofArray(remote.getAddress())) == -1;
            if (!same) return Optional.empty();
            long uid = Integer.toUnsignedLong(reply.get(NATIVE_INT, msg + 64));
            long inode = Integer.toUnsignedLong(reply.get(NATIVE_INT, msg + 68));
            return inode == 0 ? Optional.empty() : Optional.of(new Found(inode, uid));
        } finally {
            int ignored = (int) CALLS.close().invokeExact(fd);
        }
    }
}
