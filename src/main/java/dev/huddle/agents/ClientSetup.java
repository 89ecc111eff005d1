package dev.huddle.agents;

import dev.huddle.protocol.AgentEnv;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where a client keeps its settings, and how huddle's MCP server entry and hook handlers are written there. */
public interface ClientSetup {
    /** The client's user config directory ({@code $CLAUDE_CONFIG_DIR} or {@code ~/.claude}, ...). */
    Path userConfigDir(Path home, Map<String, String> env);

    /** Its files in user scope ({@code projectRoot} null) or in the project's. */
    ConfigFiles files(Path home, Map<String, String> env, Path projectRoot);

    /** The shape of huddle's MCP server entry. */
    McpEntry mcpEntry();

    /** The timeout of an installed hook handler, in the client's unit. */
    long hookTimeout(HookSpec spec);

    /**
     * Keys added to the rewake waiter's handler (the client's own labels for what a wake shows the human and the
     * model), in the order written; none by default.
     */
    default Map<String, Object> rewakeLabels() {
        return Map.of();
    }

    /**
     * Whether the client can POST this hook itself ({@code type: "http"} to the hub's loopback hook port) instead of
     * running a command: no process per hook. None by default; never a hook that must run as a command (one that
     * rewakes, or an event whose http handlers the client ignores).
     */
    default boolean postsHook(HookSpec spec) {
        return false;
    }

    /** Whether hook handlers carry a {@code name} ({@code huddle-<event>}). */
    default boolean namesHookHandlers() {
        return false;
    }

    /** What the user must do before the client runs hooks setup just wrote to its hooks file (empty: nothing). */
    default Optional<String> hooksWrittenNote() {
        return Optional.empty();
    }

    /** What project scope means for this client's users (who approves what, and when), if anything. */
    default Optional<String> projectScopeNote() {
        return Optional.empty();
    }

    /**
     * What setup says after writing when the client, as its files now stand, cannot use huddle's tools unattended at
     * all (Gemini CLI's {@code -p} drops tools that would need a confirmation), with exactly what to add where; empty
     * when that is not so or not this client's way. Reads the client's files only.
     */
    default Optional<String> unattendedNote(Path home, Map<String, String> env, Path projectRoot) {
        return Optional.empty();
    }

    /**
     * How a user lets the agent call huddle's tools without asking, in {@code files}, and whether the files already
     * do: setup shows the rule while it is missing, never writes it. Reads the client's files only.
     */
    AutoApproval autoApproval(ConfigFiles files);

    /**
     * @param where   the file, and where in it
     * @param rule    the entry to add there
     * @param granted whether the files already let huddle's tools run unasked (this rule or another of the client's)
     */
    record AutoApproval(String where, String rule, boolean granted) {}

    /** The directory {@code variable} names in {@code env} (absolute, normalised), or null when it is unset or blank. */
    static Path configured(Map<String, String> env, AgentEnv variable) {
        String v = variable.in(env);
        return v == null || v.isBlank() ? null : Path.of(v).toAbsolutePath().normalize();
    }

    /**
     * @param configDir the config directory (created 0700 in user scope when missing)
     * @param mcpFile   where the MCP server is registered
     * @param hooksFile where the hooks are (may be {@code mcpFile})
     */
    record ConfigFiles(Path configDir, Path mcpFile, Path hooksFile) {}

    /** huddle's MCP server entry: {@code mcpServers.huddle} in a JSON file, or {@code [mcp_servers.huddle]} in TOML. */
    sealed interface McpEntry {
        /**
         * @param type        the {@code type} key's value, or null for none
         * @param envAlways   whether the entry always has an {@code env} object (else only when there is one to keep)
         * @param timeoutMs   whether it has a per-request {@code timeout} (ms) above the longest ask_peer wait
         */
        record Json(String type, boolean envAlways, boolean timeoutMs) implements McpEntry {}

        /**
         * @param envVars           variables the client forwards from its own environment ({@code env_vars})
         * @param startupTimeoutSec the least {@code startup_timeout_sec}
         */
        record Toml(List<String> envVars, long startupTimeoutSec) implements McpEntry {
            public Toml {
                envVars = List.copyOf(envVars);
            }
        }
    }
}
