package dev.huddle.hub;

import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Version;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/** The files a running hub leaves in its home for others: {@code hub.json}, and the launcher's spawn mark it removes. */
final class HubFiles {
    private static final Logger LOG = Logger.getLogger(HubFiles.class.getName());

    private HubFiles() {}

    /** The launcher that started this hub left its pid for later launchers until it accepts (see ./huddle, early_hub). */
    static void forgetSpawnMark(HubPaths paths) {
        try {
            if (Files.readString(paths.hubSpawnMark()).strip().equals(Long.toString(ProcessHandle.current().pid()))) {
                Files.deleteIfExists(paths.hubSpawnMark());
            }
        } catch (IOException absentOrNotOurs) {
            // nothing to forget
        }
    }

    /** Which pid and version runs, and its sockets (informational; written atomically, mode 0600). */
    static void writeHubInfo(HubPaths paths, Instant startedAt, int hookPort) {
        try {
            Path tmp = paths.home().resolve("hub.json.tmp");
            HubPaths.ensurePrivateFile(tmp);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("pid", ProcessHandle.current().pid());
            info.put("version", Version.CURRENT.version());
            info.put("build", Version.CURRENT.build());
            info.put("started_at", startedAt.toString());
            info.put("mcp_socket", paths.mcpSocket().toString());
            info.put("http_socket", paths.httpSocket().toString());
            if (hookPort > 0) info.put("hook_port", hookPort);
            Files.writeString(tmp, JsonMapper.shared().writeValueAsString(info));
            Files.move(tmp, paths.hubInfo(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warning("could not write " + paths.hubInfo() + ": " + e.getMessage());
        }
    }
}
