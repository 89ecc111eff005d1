package dev.huddle.agents.setup;

import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.doctor.DoctorContext;
import dev.huddle.agents.doctor.Registration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads huddle's MCP server entry back from a client's config file, for the doctor: {@code mcpServers.huddle} in a
 * JSON file, {@code [mcp_servers.huddle]} in a TOML one (where {@link McpEntries} writes it). Only reads.
 */
public final class McpEntryReader {
    /** For files their client reads with comments and trailing commas (Gemini CLI's settings.json). */
    private static final JsonMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private McpEntryReader() {}

    /** What one config file says: a {@link Registration} (found, or unreadable), or null when huddle is not in it. */
    @FunctionalInterface
    public interface FileReading {
        Registration read(Path file, boolean userScope);
    }

    /**
     * The registration of a client that keeps its MCP servers in one file per scope: the first that the user's file,
     * then the project's (when there is a repository), says; else {@link Registration#absent}.
     */
    public static Registration firstOf(ClientSetup setup, DoctorContext ctx, FileReading reading) {
        Path user = setup.files(ctx.home(), ctx.env(), null).mcpFile();
        List<Path> files = ctx.projectRoot() == null ? List.of(user) : List.of(user, setup.files(ctx.home(), ctx.env(), ctx.projectRoot()).mcpFile());
        boolean found = false;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) continue;
            found = true;
            Registration r = reading.read(f, f.equals(user));
            if (r != null) return r;
        }
        return Registration.absent(found, user, setup.userConfigDir(ctx.home(), ctx.env()));
    }

    /** The top-level object of a JSON config file (a blank file is an empty one); throws when it is not one. */
    public static JsonNode jsonObject(Path file, boolean lenient) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JsonMapper mapper = lenient ? LENIENT : JsonMapper.shared();
        if (text.isBlank()) return mapper.createObjectNode();
        JsonNode n = mapper.readTree(text);
        if (n == null || !n.isObject()) throw new IOException("the top level is not a JSON object");
        return n;
    }

    /** huddle's entry in a JSON config's object ({@code mcpServers.huddle}); a missing node when there is none. */
    public static JsonNode jsonEntry(JsonNode root) {
        return root.path(McpEntries.JSON_PATH.getFirst().toString()).path(McpEntries.NAME);
    }

    /** A TOML config, parsed; throws {@link ConfigProblem} saying where it does not parse. */
    public static TomlDocument toml(Path file) throws IOException, ConfigProblem {
        return TomlDocument.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** huddle's entry in a TOML config ({@code mcp_servers.huddle}); a missing node when there is none. */
    public static JsonNode tomlEntry(TomlDocument doc) {
        return doc.at(McpEntries.TOML_PATH);
    }

    /** Whether the TOML config registers huddle with a {@code [mcp_servers.huddle]} table (else inline or dotted keys). */
    public static boolean tomlTable(TomlDocument doc) {
        return doc.hasTable(McpEntries.TOML_PATH);
    }

    /** The command an entry runs, or null. */
    public static String command(JsonNode entry) {
        return entry.path("command").asString(null);
    }

    /** What is wrong with a file that did not parse, in one line (with the line and column where the parser says). */
    public static String problem(Exception e) {
        String m = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
        m = m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
        if (e instanceof JacksonException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            m += " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return m;
    }
}
