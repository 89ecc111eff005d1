package dev.huddle.protocol;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalInt;

/**
 * The loopback TCP port of the hub's hook listener ({@code http://127.0.0.1:<port>/hooks/...}, for clients whose
 * hooks can POST without a process: Claude Code's {@code type: "http"}). The URL is written into the clients'
 * settings, so the port is chosen once per {@code $HUDDLE_HOME} (a free ephemeral port, by setup or the first hub)
 * and kept in {@code $HUDDLE_HOME/hook-port} (0600); every hub after that listens on it. When another process holds
 * it, the hub runs without the listener (http hooks fail open) and {@code huddle setup} chooses a new port.
 */
public final class HookPort {
    public static final String HOST = "127.0.0.1";

    private HookPort() {}

    /** The kept port, if one was chosen. */
    public static OptionalInt read(HubPaths paths) {
        try {
            int port = Integer.parseInt(Files.readString(paths.hookPort(), StandardCharsets.UTF_8).strip());
            return port > 0 && port < 65_536 ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** The kept port; a free one is chosen and kept when there is none yet. */
    public static int ensure(HubPaths paths) throws IOException {
        OptionalInt kept = read(paths);
        if (kept.isPresent()) return kept.getAsInt();
        int port = pick();
        keep(paths, port);
        return port;
    }

    /** A loopback port free now (not kept: see {@link #keep}). */
    public static int pick() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return s.getLocalPort();
        }
    }

    /** Keeps {@code port} as this home's hook port (replacing any kept one). */
    public static void keep(HubPaths paths, int port) throws IOException {
        paths.ensurePrivateDirectories();
        Path tmp = paths.hookPort().resolveSibling("hook-port.tmp");
        Files.deleteIfExists(tmp);
        HubPaths.ensurePrivateFile(tmp);
        Files.writeString(tmp, port + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, paths.hookPort(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether nothing listens on {@code port} now (setup: a kept port another program took since). */
    public static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the running hub (hub.json names a live pid and this port) is the one listening on {@code port}. */
    public static boolean heldByHub(HubPaths paths, int port) {
        try {
            java.util.Map<String, Object> info = MiniJson.parseObject(Files.readString(paths.hubInfo(), StandardCharsets.UTF_8));
            if (!(info.get("pid") instanceof Number pid) || !(info.get("hook_port") instanceof Number p)) return false;
            return p.intValue() == port && ProcessHandle.of(pid.longValue()).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The base URL hooks POST to: {@code http://127.0.0.1:<port>}. */
    public static String baseUrl(int port) {
        return "http://" + HOST + ":" + port;
    }
}
