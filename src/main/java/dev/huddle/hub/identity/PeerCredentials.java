package dev.huddle.hub.identity;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.UserPrincipal;
import java.util.Locale;

/**
 * What the kernel says about the process at the other end of a connected Unix socket: its pid and its user, fixed
 * when it connected. The user comes from the JDK ({@link ExtendedSocketOptions#SO_PEERCRED}, Linux and macOS); the
 * JDK gives no pid, so it is read with {@code getsockopt} through the FFM API: {@code SO_PEERCRED} ({@code struct
 * ucred}) on Linux, {@code LOCAL_PEERPID} on macOS. That needs the channel's file descriptor, which only the JDK's
 * {@code sun.nio.ch.SelChImpl} tells: the jar's manifest exports that package to huddle ({@code Add-Exports}), so
 * every {@code java -jar huddle.jar} may read it. Where the pid cannot be read (another OS, the jar run without its
 * manifest), {@link Peer#pid()} is 0 and {@link Peer#why()} says why: the caller is then unproven, never believed.
 */
final class PeerCredentials {
    /**
     * @param pid  the peer's pid when it connected; 0 when it cannot be read
     * @param user the peer's user; null when it cannot be read
     * @param why  why the pid is unknown; null when it is known
     */
    record Peer(long pid, UserPrincipal user, String why) {}

    private static final Reader READER = reader();

    private PeerCredentials() {}

    /** The credentials of {@code channel}'s peer (never throws). */
    static Peer of(SocketChannel channel) {
        UserPrincipal user = null;
        try {
            UnixDomainPrincipal p = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            user = p == null ? null : p.user();
        } catch (IOException | RuntimeException e) {
            // the user stays unknown; the socket file's mode (0600, in a 0700 directory) still keeps other users out
        }
        if (READER.unavailable != null) return new Peer(0, user, READER.unavailable);
        try {
            long pid = READER.pid(channel);
            return pid > 0 ? new Peer(pid, user, null) : new Peer(0, user, "getsockopt gave no pid");
        } catch (Throwable e) {
            return new Peer(0, user, "getsockopt failed: " + e.getClass().getSimpleName());
        }
    }

    /** Why the pid of a peer cannot be read on this JVM, or null when it can. */
    static String unavailable() {
        return READER.unavailable;
    }

    /** The platform's way to the peer's pid, looked up once; {@code unavailable} says why there is none. */
    private record Reader(MethodHandle fdOf, MethodHandle getsockopt, int level, int option, int size, String unavailable) {
        long pid(SocketChannel channel) throws Throwable {
            int fd = (int) fdOf.invoke(channel);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(size);
                MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
                len.set(ValueLayout.JAVA_INT, 0, size);
                int rc = (int) getsockopt.invokeExact(fd, level, option, buf, len);
                // struct ucred (Linux) and LOCAL_PEERPID's pid_t (macOS) both begin with the pid
                return rc == 0 ? buf.get(ValueLayout.JAVA_INT, 0) : 0;
            }
        }
    }

    private static Reader reader() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        int level, option, size;
        if (os.contains("linux")) {
            level = 1; // SOL_SOCKET
            option = System.getProperty("os.arch", "").startsWith("ppc") ? 21 : 17; // SO_PEERCRED
            size = 12; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        } else if (os.contains("mac")) {
            level = 0; // SOL_LOCAL
            option = 2; // LOCAL_PEERPID
            size = 4; // pid_t
        } else {
            return new Reader(null, null, 0, 0, 0, "no way to read a socket peer's pid on " + System.getProperty("os.name"));
        }
        MethodHandle fdOf;
        try {
            Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            fdOf = MethodHandles.lookup().unreflect(m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Reader(null, null, 0, 0, 0, "the JVM does not export sun.nio.ch to huddle (run it as `java -jar huddle.jar`,"
                    + " or add --add-exports java.base/sun.nio.ch=ALL-UNNAMED)");
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle getsockopt = linker.downcallHandle(linker.defaultLookup().find("getsockopt").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.ADDRESS, ValueLayout.ADDRESS));
            return new Reader(fdOf, getsockopt, level, option, size, null);
        } catch (RuntimeException e) {
            return new Reader(null, null, 0, 0, 0, "getsockopt is not reachable: " + e.getMessage());
        }
    }
}
