package dev.huddle.cli.doctor;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether each agent client has huddle registered as an MCP server: Claude Code ({@code ~/.claude.json}, user and
 * local scopes, plus the project's {@code .mcp.json}), Codex ({@code $CODEX_HOME/config.toml}) and Gemini CLI
 * ({@code ~/.gemini/settings.json}). Only reads files; a malformed file is a warning with the parse error.
 */
public final class ClientConfigs {
    static final String REGISTER_HINT = "run `huddle setup` (docs/setup.md)";
    private static final String SERVER = "huddle";
    /** Gemini CLI strips comments from settings.json; be as lenient. */
    private static final JsonMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();
    private static final Pattern CODEX_TABLE = Pattern.compile(
            "^\\s*\\[\\s*mcp_servers\\s*\\.\\s*(?:huddle|\"huddle\"|'huddle')\\s*]\\s*(?:#.*)?$", Pattern.MULTILINE);

    private final Path home;
    private final Map<String, String> env;
    private final Path projectRoot;

    /**
     * @param home        the user's home directory ({@code $HOME})
     * @param env         the environment ({@code CLAUDE_CONFIG_DIR}, {@code CODEX_HOME}, {@code PATH})
     * @param projectRoot the repository of the current directory (for {@code .mcp.json}), or null
     */
    public ClientConfigs(Path home, Map<String, String> env, Path projectRoot) {
        this.home = home;
        this.env = env;
        this.projectRoot = projectRoot;
    }

    public List<Check> all() {
        return List.of(claude(), codex(), gemini());
    }

    public Check claude() {
        String name = "claude-code";
        String configDir = env.get("CLAUDE_CONFIG_DIR");
        Path file = configDir != null && !configDir.isBlank() ? Path.of(configDir).resolve(".claude.json") : home.resolve(".claude.json");
        List<String> where = new ArrayList<>();
        String command = null;
        boolean found = false;
        if (Files.isRegularFile(file)) {
            found = true;
            JsonNode root;
            try {
                root = parse(file, JsonMapper.shared());
            } catch (IOException | JacksonException e) {
                return Check.warn(name, file + " is not valid JSON (" + firstLine(e) + ")", "Fix or move the file; Claude Code rewrites it on start.");
            }
            JsonNode user = root.path("mcpServers").path(SERVER);
            if (user.isObject()) {
                where.add("user scope");
                command = user.path("command").asString(null);
            }
            JsonNode projects = root.path("projects");
            if (projects.isObject()) {
                int n = 0;
                for (var e : projects.properties()) {
                    JsonNode s = e.getValue().path("mcpServers").path(SERVER);
                    if (s.isObject()) {
                        n++;
                        if (command == null) command = s.path("command").asString(null);
                    }
                }
                if (n > 0) where.add("local scope in " + n + (n == 1 ? " project" : " projects"));
            }
        }
        if (projectRoot != null) {
            Path mcpJson = projectRoot.resolve(".mcp.json");
            if (Files.isRegularFile(mcpJson)) {
                found = true;
                try {
                    JsonNode s = parse(mcpJson, JsonMapper.shared()).path("mcpServers").path(SERVER);
                    if (s.isObject()) {
                        where.add("project scope (" + mcpJson + ")");
                        if (command == null) command = s.path("command").asString(null);
                    }
                } catch (IOException | JacksonException e) {
                    return Check.warn(name, mcpJson + " is not valid JSON (" + firstLine(e) + ")", "Fix the file; Claude Code ignores it as it is.");
                }
            }
        }
        if (!where.isEmpty()) return registered(name, String.join(", ", where), command);
        if (found || Files.isDirectory(home.resolve(".claude"))) {
            return Check.warn(name, "config found (" + file + "), huddle not registered", REGISTER_HINT);
        }
        return Check.ok(name, "not installed (no " + file + ")");
    }

    public Check codex() {
        String name = "codex";
        String codexHome = env.get("CODEX_HOME");
        Path dir = codexHome != null && !codexHome.isBlank() ? Path.of(codexHome) : home.resolve(".codex");
        Path file = dir.resolve("config.toml");
        List<Path> files = new ArrayList<>(List.of(file));
        if (projectRoot != null) files.add(projectRoot.resolve(".codex/config.toml"));
        boolean found = false;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) continue;
            found = true;
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return Check.warn(name, "cannot read " + f + ": " + e.getMessage(), "Check the file's permissions.");
            }
            String scope = f.equals(file) ? "" : " (project scope)";
            JsonNode server;
            try {
                server = dev.huddle.agents.setup.TomlDocument.parse(text).at(List.of("mcp_servers", SERVER));
            } catch (dev.huddle.agents.setup.ConfigProblem e) {
                return Check.warn(name, f + ": " + e.getMessage(), "Fix the file; Codex refuses to start with it.");
            }
            if (server.isObject()) {
                String where = (CODEX_TABLE.matcher(text).find() ? "[mcp_servers.huddle] in " : "mcp_servers.huddle in ") + f + scope;
                return registered(name, where, server.path("command").asString(null));
            }
        }
        if (found) return Check.warn(name, "config found (" + file + "), huddle not registered", REGISTER_HINT);
        if (Files.isDirectory(dir)) return Check.warn(name, "config found (" + dir + ", no config.toml), huddle not registered", REGISTER_HINT);
        return Check.ok(name, "not installed (no " + file + ")");
    }

    public Check gemini() {
        String name = "gemini";
        Path dir = home.resolve(".gemini");
        Path file = dir.resolve("settings.json");
        List<Path> files = new ArrayList<>(List.of(file));
        if (projectRoot != null) files.add(projectRoot.resolve(".gemini/settings.json"));
        boolean found = false;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) continue;
            found = true;
            try {
                JsonNode s = parse(f, LENIENT).path("mcpServers").path(SERVER);
                String where = f.equals(file) ? "user settings (" + f + ")" : "project settings (" + f + ")";
                if (s.isObject()) return registered(name, where, s.path("command").asString(null));
            } catch (IOException | JacksonException e) {
                return Check.warn(name, f + " is not valid JSON (" + firstLine(e) + ")", "Fix the file; Gemini CLI reports the same error on start.");
            }
        }
        if (found) return Check.warn(name, "config found (" + file + "), huddle not registered", REGISTER_HINT);
        if (Files.isDirectory(dir)) return Check.warn(name, "config found (" + dir + ", no settings.json), huddle not registered", REGISTER_HINT);
        return Check.ok(name, "not installed (no " + file + ")");
    }

    /** Registered: fine, unless the registered command does not exist. */
    private Check registered(String name, String where, String command) {
        if (command == null || command.isBlank()) return Check.ok(name, "registered (" + where + ")");
        String problem = commandProblem(command);
        if (problem != null) {
            return Check.warn(name, "registered (" + where + "), but " + problem,
                    "Point the registration at the absolute path of the huddle launcher: " + REGISTER_HINT + ".");
        }
        return Check.ok(name, "registered (" + where + "): " + command);
    }

    /** Null when {@code command} can be run: an executable path, or a name found on PATH. */
    String commandProblem(String command) {
        if (command.contains("/")) {
            Path p = Path.of(command.startsWith("~/") ? home + command.substring(1) : command);
            return Files.isExecutable(p) ? null : "its command " + command + " does not exist or is not executable";
        }
        return Tools.onPath(command, env.get("PATH")).isPresent() ? null : "its command '" + command + "' is not on PATH";
    }

    private static JsonNode parse(Path file, JsonMapper mapper) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.isBlank()) return mapper.createObjectNode();
        JsonNode n = mapper.readTree(text);
        if (n == null || !n.isObject()) throw new IOException("the top level is not a JSON object");
        return n;
    }

    static String firstLine(Exception e) {
        String m = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        m = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        if (e instanceof JacksonException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            m += " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return m;
    }
}
