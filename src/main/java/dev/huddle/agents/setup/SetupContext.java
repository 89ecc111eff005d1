package dev.huddle.agents.setup;

import dev.huddle.agents.HookCommands;
import dev.huddle.agents.HookSpec;

import java.nio.file.Path;
import java.util.Map;

/**
 * What setup needs to know about this machine, gathered by the CLI (setup itself reads no environment).
 *
 * @param home            the user's home directory
 * @param env             the environment (where the clients keep their settings)
 * @param projectRoot     the git repository of the current directory, or null
 * @param launcher        the absolute path of the {@code huddle} launcher (the MCP command; the no-curl hooks)
 * @param httpSocket      the hub's HTTP socket the hooks call
 * @param curl            whether curl is on PATH (else hooks use the launcher's {@code hook} command)
 * @param askMaxTimeoutMs the longest {@code ask_peer} wait; the clients' tool timeouts must exceed it
 * @param huddleHome      HUDDLE_HOME when it is set, so the MCP front uses the same hub as the hooks; else null
 * @param hookPort        the hub's loopback hook port for clients that POST hooks themselves; 0: every hook is a command
 */
public record SetupContext(Path home, Map<String, String> env, Path projectRoot, Path launcher, Path httpSocket, boolean curl,
                           long askMaxTimeoutMs, String huddleHome, int hookPort) {

    public SetupContext(Path home, Map<String, String> env, Path projectRoot, Path launcher, Path httpSocket, boolean curl,
                        long askMaxTimeoutMs, String huddleHome) {
        this(home, env, projectRoot, launcher, httpSocket, curl, askMaxTimeoutMs, huddleHome, 0);
    }

    /** The URL the client POSTs this hook to, when it does ({@link dev.huddle.agents.ClientSetup#postsHook}); else null: a command. */
    public String url(HookSpec spec) {
        if (hookPort <= 0 || !ClientFiles.setup(spec.client()).postsHook(spec)) return null;
        return HookCommands.url(hookPort, spec.client(), spec.event());
    }

    /** The installed command for a hook. */
    public String command(HookSpec spec) {
        if (!curl) return HookCommands.java(launcher, spec.client(), spec.endpoint());
        return spec.rewake() ? HookCommands.rewake(httpSocket, spec.client(), spec.endpoint()) : HookCommands.curl(httpSocket, spec.client(), spec.event());
    }

    /** A client's tool timeout in seconds ({@code tool_timeout_sec}): the ask maximum plus half a minute. */
    long toolTimeoutSec() {
        return (askMaxTimeoutMs + 999) / 1000 + 30;
    }

    /** A client's per-request timeout in milliseconds: the ask maximum plus half a minute. */
    long toolTimeoutMs() {
        return askMaxTimeoutMs + 30_000;
    }
}
