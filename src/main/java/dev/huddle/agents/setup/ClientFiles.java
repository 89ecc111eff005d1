package dev.huddle.agents.setup;

import dev.huddle.agents.AgentClients;
import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.HookClient;

import java.nio.file.Path;
import java.util.Map;

/**
 * The files a client keeps huddle's MCP server and hooks in, per scope (the client's package says where:
 * {@link ClientSetup#files}).
 *
 * @param configDir the client's config directory (created 0700 in user scope when missing)
 * @param mcpFile   where the MCP server is registered
 * @param hooksFile where the hooks are (the same file as {@code mcpFile} for some clients)
 */
public record ClientFiles(HookClient client, Scope scope, Path configDir, Path mcpFile, Path hooksFile) {

    public static ClientFiles of(HookClient client, Scope scope, Path home, Map<String, String> env, Path projectRoot) {
        if (scope == Scope.PROJECT && projectRoot == null) throw new IllegalArgumentException("project scope needs a repository");
        ClientSetup.ConfigFiles f = setup(client).files(home, env, scope == Scope.PROJECT ? projectRoot : null);
        return new ClientFiles(client, scope, f.configDir(), f.mcpFile(), f.hooksFile());
    }

    /** The client's user config directory ({@code $CLAUDE_CONFIG_DIR} or {@code ~/.claude}, ...). */
    public static Path userConfigDir(HookClient client, Path home, Map<String, String> env) {
        return setup(client).userConfigDir(home, env);
    }

    /** The client's name for people. */
    public static String displayName(HookClient client) {
        return AgentClients.installed().of(client).displayName();
    }

    /** Where and how a user lets this client call huddle's tools without asking (in these files). */
    public ClientSetup.AutoApproval autoApproval() {
        return setup(client).autoApproval(new ClientSetup.ConfigFiles(configDir, mcpFile, hooksFile));
    }

    static ClientSetup setup(HookClient client) {
        return AgentClients.installed().of(client).setup();
    }
}
