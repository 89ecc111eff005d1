package dev.huddle.agents.gemini;

import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.setup.JsoncDocument;
import dev.huddle.agents.setup.JsoncException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether Gemini CLI runs huddle's tools without a confirmation (issue 15, defect 4). Gemini 0.61 asks before every
 * MCP tool call unless a rule allows it, and in headless mode ({@code gemini -p}), where nobody can answer, it does not
 * offer such tools to the model at all. The rules that allow huddle's tools, in the settings huddle writes to (user,
 * then project): {@code mcpServers.huddle.trust: true}; {@code mcp.allowed} naming {@code huddle} or {@code *};
 * {@code mcp.autoAllowInHeadless: true} (headless only); or a policy file ({@code ~/.gemini/policies/*.toml}) that
 * allows {@code mcp_huddle_*} (read as text: a rule naming huddle with {@code decision = "allow"}). huddle setup writes
 * none of them (docs/setup.md says why); this tells setup and {@code huddle doctor} what to say.
 */
final class GeminiToolTrust {
    private GeminiToolTrust() {}

    /**
     * @param unattended whether huddle's tools run without a confirmation
     * @param detail     what was found, and where
     * @param advice     what to do for unattended use, exactly (null when {@code unattended})
     */
    record ToolApproval(boolean unattended, String detail, String advice) {}

    /** As the user's settings (and the project's, when {@code projectRoot} is given) say. */
    static Optional<ToolApproval> inspect(ClientSetup setup, Path home, Map<String, String> env, Path projectRoot) {
        Path user = setup.files(home, env, null).mcpFile();
        Path project = projectRoot == null ? null : setup.files(home, env, projectRoot).mcpFile();
        return inspect(user, project, setup.userConfigDir(home, env).resolve("policies"));
    }

    /** Empty when huddle is not registered in these files (the registration check says so). */
    static Optional<ToolApproval> inspect(Path userSettings, Path projectSettings, Path policies) {
        List<Path> files = new ArrayList<>();
        files.add(userSettings);
        if (projectSettings != null) files.add(projectSettings);
        Path registeredIn = null;
        for (Path f : files) {
            Optional<JsoncDocument> doc = read(f);
            if (doc.isEmpty()) continue;
            if (doc.get().find(List.of("mcpServers", "huddle")).isPresent() && registeredIn == null) registeredIn = f;
            if (Boolean.TRUE.equals(doc.get().get(List.of("mcpServers", "huddle", "trust")).orElse(null))) {
                return Optional.of(allowed("\"trust\": true on mcpServers.huddle in " + f));
            }
            if (doc.get().get(List.of("mcp", "allowed")).orElse(null) instanceof List<?> allowed
                    && (allowed.contains("huddle") || allowed.contains("*"))) {
                return Optional.of(allowed("mcp.allowed in " + f));
            }
            if (Boolean.TRUE.equals(doc.get().get(List.of("mcp", "autoAllowInHeadless")).orElse(null))) {
                return Optional.of(allowed("mcp.autoAllowInHeadless in " + f + "; interactive sessions still ask"));
            }
        }
        if (registeredIn == null) return Optional.empty();
        Optional<Path> policy = allowingPolicy(policies);
        if (policy.isPresent()) return Optional.of(allowed("the policy " + policy.get()));
        return Optional.of(new ToolApproval(false,
                "interactive sessions ask before each huddle tool call, and `gemini -p` (headless) offers the model none of"
                        + " them (Gemini drops tools that would need a confirmation)",
                "To use huddle in `gemini -p` too, add \"trust\": true to mcpServers.huddle in " + registeredIn
                        + ": it lets every huddle tool (send_message, read_session, ...) run without asking, in all your"
                        + " Gemini sessions (docs/setup.md)."));
    }

    private static ToolApproval allowed(String where) {
        return new ToolApproval(true, "huddle's tools run without a confirmation, in `gemini -p` too (" + where + ")", null);
    }

    private static Optional<JsoncDocument> read(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > (4 << 20)) return Optional.empty();
            return Optional.of(JsoncDocument.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | JsoncException e) {
            return Optional.empty(); // the registration check reports a file Gemini cannot read either
        }
    }

    private static Optional<Path> allowingPolicy(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) return Optional.empty();
        try (DirectoryStream<Path> toml = Files.newDirectoryStream(dir, "*.toml")) {
            for (Path p : toml) {
                if (!Files.isRegularFile(p) || Files.size(p) > (1 << 20)) continue;
                String text = Files.readString(p, StandardCharsets.UTF_8);
                boolean huddle = text.contains("mcp_huddle_") || text.matches("(?s).*mcpName\\s*=\\s*\"huddle\".*");
                if (huddle && text.matches("(?s).*decision\\s*=\\s*\"allow\".*")) return Optional.of(p);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
