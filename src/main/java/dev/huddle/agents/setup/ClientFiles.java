package dev.huddle.agents.setup;

import dev.huddle.agents.HookClient;

import java.nio.file.Path;
import java.util.Map;

/**
 * The files a client keeps huddle's MCP server and hooks in, per scope.
 *
 * @param configDir the client's config directory (created 0700 in user scope when missing)
 * @param mcpFile   where the MCP server is registered
 * @param hooksFile where the hooks are (the same file as {@code mcpFile} for Gemini)
 */
public record ClientFiles(HookClient client, Scope scope, Path configDir, Path mcpFile, Path hooksFile) {

    public static ClientFiles of(HookClient client, Scope scope, Path home, Map<String, String> env, Path projectRoot) {
        if (scope == Scope.PROJECT) {
            if (projectRoot == null) throw new IllegalArgumentException("project scope needs a repository");
            return switch (client) {
                case CLAUDE -> new ClientFiles(client, scope, projectRoot.resolve(".claude"), projectRoot.resolve(".mcp.json"),
                        projectRoot.resolve(".claude/settings.json"));
                case CODEX -> new ClientFiles(client, scope, projectRoot.resolve(".codex"), projectRoot.resolve(".codex/config.toml"),
                        projectRoot.resolve(".codex/hooks.json"));
                case GEMINI -> new ClientFiles(client, scope, projectRoot.resolve(".gemini"),
                        projectRoot.resolve(".gemini/settings.json"), projectRoot.resolve(".gemini/settings.json"));
            };
        }
        Path dir = userConfigDir(client, home, env);
        return switch (client) {
            // With CLAUDE_CONFIG_DIR, Claude Code keeps .claude.json inside it instead of in $HOME.
            case CLAUDE -> new ClientFiles(client, scope, dir, configured(env, "CLAUDE_CONFIG_DIR") != null
                    ? dir.resolve(".claude.json") : home.resolve(".claude.json"), dir.resolve("settings.json"));
            case CODEX -> new ClientFiles(client, scope, dir, dir.resolve("config.toml"), dir.resolve("hooks.json"));
            case GEMINI -> new ClientFiles(client, scope, dir, dir.resolve("settings.json"), dir.resolve("settings.json"));
        };
    }

    /** {@code $CLAUDE_CONFIG_DIR} or {@code ~/.claude}; {@code $CODEX_HOME} or {@code ~/.codex}; {@code ~/.gemini}. */
    public static Path userConfigDir(HookClient client, Path home, Map<String, String> env) {
        return switch (client) {
            case CLAUDE -> pathOr(configured(env, "CLAUDE_CONFIG_DIR"), home.resolve(".claude"));
            case CODEX -> pathOr(configured(env, "CODEX_HOME"), home.resolve(".codex"));
            case GEMINI -> home.resolve(".gemini");
        };
    }

    /** The client's name for people. */
    public static String displayName(HookClient client) {
        return switch (client) {
            case CLAUDE -> "Claude Code";
            case CODEX -> "Codex";
            case GEMINI -> "Gemini CLI";
        };
    }

    private static String configured(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    private static Path pathOr(String configured, Path fallback) {
        return configured != null ? Path.of(configured).toAbsolutePath().normalize() : fallback;
    }
}
