package dev.huddle.agents.codex;

import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.doctor.ClientDoctor;
import dev.huddle.agents.doctor.DoctorContext;
import dev.huddle.agents.doctor.Registration;
import dev.huddle.agents.setup.ConfigProblem;
import dev.huddle.agents.setup.McpEntryReader;
import dev.huddle.agents.setup.TomlDocument;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where Codex has huddle registered: {@code config.toml} under {@code $CODEX_HOME} (user scope) or the repository's
 * {@code .codex} (project scope, read in trusted projects only). Codex runs huddle's hooks only once the user trusted
 * them in {@code /hooks}.
 */
record CodexDoctor(ClientSetup setup) implements ClientDoctor {
    @Override
    public Registration registration(DoctorContext ctx) {
        return McpEntryReader.firstOf(setup, ctx, CodexDoctor::read);
    }

    private static Registration read(Path f, boolean userScope) {
        TomlDocument doc;
        try {
            doc = McpEntryReader.toml(f);
        } catch (IOException e) {
            return new Registration.Unreadable("cannot read " + f + ": " + e.getMessage(), "Check the file's permissions.");
        } catch (ConfigProblem e) {
            return new Registration.Unreadable(f + ": " + e.getMessage(), "Fix the file; Codex refuses to start with it.");
        }
        JsonNode server = McpEntryReader.tomlEntry(doc);
        if (!server.isObject()) return null;
        String where = (McpEntryReader.tomlTable(doc) ? "[mcp_servers.huddle] in " : "mcp_servers.huddle in ") + f
                + (userScope ? "" : " (project scope)");
        return new Registration.Found(where, McpEntryReader.command(server));
    }
}
