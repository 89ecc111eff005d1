package dev.huddle.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Where the hub keeps its state ({@code $HUDDLE_HOME}, default {@code ~/.huddle}) and its sockets.
 * Unix socket paths are limited to about 106 bytes (104 on macOS); when the home is too deep, the sockets
 * move to a short private runtime directory named after a hash of the home, so that two homes never share one.
 */
public record HubPaths(Path home, Path runtimeDir, boolean runtimeFallback) {

    /** Longest socket path we use: macOS allows 104 bytes including the terminating NUL. */
    static final int MAX_SOCKET_PATH_BYTES = 100;
    static final String MCP_SOCKET = "hub.sock";
    static final String HTTP_SOCKET = "http.sock";

    public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    /** Resolves the paths from the environment without touching the file system. */
    public static HubPaths fromEnvironment(Map<String, String> env) {
        String configured = env.get("HUDDLE_HOME");
        Path home = configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath().normalize()
                : userHome(env).resolve(".huddle");
        return forHome(home, env.get("XDG_RUNTIME_DIR"));
    }

    /**
     * The user's home directory, one rule for every part of huddle (the hub, setup, the doctor, transcripts): {@code $HOME}
     * when it is an absolute path, else the JVM's {@code user.home} (the account's home from the password database).
     */
    public static Path userHome(Map<String, String> env) {
        String h = env.get("HOME");
        return h != null && h.startsWith("/") ? Path.of(h).normalize() : Path.of(System.getProperty("user.home"));
    }

    public static HubPaths forHome(Path home, String xdgRuntimeDir) {
        if (fits(home)) return new HubPaths(home, home, false);
        String tag = "huddle-" + shortHash(home.toString());
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isBlank()) {
            Path xdg = Path.of(xdgRuntimeDir).resolve(tag);
            if (fits(xdg)) return new HubPaths(home, xdg, true);
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_-]", "_");
        if (user.length() > 16) user = user.substring(0, 16);
        return new HubPaths(home, Path.of("/tmp", tag + "-" + user), true);
    }

    private static boolean fits(Path dir) {
        return dir.resolve(HTTP_SOCKET).toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH_BYTES;
    }

    static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path mcpSocket() { return runtimeDir.resolve(MCP_SOCKET); }
    public Path httpSocket() { return runtimeDir.resolve(HTTP_SOCKET); }
    /** The scratch socket of a hub's start-up rehearsal (as long as {@link #HTTP_SOCKET}, so it fits where that does). */
    public Path rehearsalSocket() { return runtimeDir.resolve("warm.sock"); }
    /** The scratch database of that rehearsal (deleted with its WAL once it is over). */
    public Path rehearsalDatabase() { return runtimeDir.resolve("warm.db"); }
    /** Held (OS file lock) by the one running hub for its whole life. */
    public Path hubLock() { return home.resolve("hub.lock"); }
    /** Serialises clients that start a hub, so 20 simultaneous starters spawn one JVM, not 20. */
    public Path startLock() { return home.resolve("start.lock"); }
    /** The pid of the hub a launcher started on a cold start, until that hub accepts (see the launcher's early_hub). */
    public Path hubSpawnMark() { return home.resolve("hub-spawn.pid"); }
    public Path database() { return home.resolve("huddle.db"); }
    public Path logDir() { return home.resolve("logs"); }
    /** The running hub's pid, version and sockets (informational; the lock is the truth). */
    public Path hubInfo() { return home.resolve("hub.json"); }
    /** The newest jar any client has started a hub from; a hub restart prefers it (see HubStarter). */
    public Path hubJarRecord() { return home.resolve("hub-jar.json"); }
    public Path config() { return home.resolve("config.json"); }
    /** The loopback port of the hook listener, chosen once (see HookPort). */
    public Path hookPort() { return home.resolve("hook-port"); }

    /**
     * Creates the home and runtime directories with mode 0700, or checks existing ones: they must be
     * directories (not symlinks) owned by this user; a group- or world-accessible directory is tightened.
     */
    public void ensurePrivateDirectories() throws IOException {
        ensurePrivateDirectory(home);
        ensurePrivateDirectory(home.resolve("logs"));
        if (runtimeFallback) ensurePrivateDirectory(runtimeDir);
    }

    public static void ensurePrivateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.getParent();
            if (parent != null) Files.createDirectories(parent);
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (FileAlreadyExistsException raced) {
                // another process created it first; verified below
            }
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " exists but is not a directory (or is a symlink); huddle keeps its private state there. Move it away and retry.");
        }
        String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
        String me = System.getProperty("user.name");
        if (me != null && !owner.equals(me)) {
            throw new IOException(dir + " belongs to user '" + owner + "', not to '" + me + "'; refusing to use another user's directory.");
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(DIR_MODE)) {
            Files.setPosixFilePermissions(dir, DIR_MODE);
        }
    }

    /** Creates (if needed) a regular file with mode 0600. */
    public static void ensurePrivateFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
        } catch (FileAlreadyExistsException exists) {
            if (!Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(FILE_MODE)) {
                Files.setPosixFilePermissions(file, FILE_MODE);
            }
        }
    }
}
