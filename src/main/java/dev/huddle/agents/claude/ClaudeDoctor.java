package dev.huddle.agents.claude;

import dev.huddle.agents.ClientSetup;
import dev.huddle.agents.doctor.ClientDoctor;
import dev.huddle.agents.doctor.DoctorContext;
import dev.huddle.agents.doctor.Registration;
import dev.huddle.agents.setup.McpEntryReader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Claude Code has huddle registered: {@code .claude.json} (user scope, and local scope under each of its
 * {@code projects}) and the repository's {@code .mcp.json} (project scope). Claude Code reads both as strict JSON.
 */
record ClaudeDoctor(ClientSetup setup) implements ClientDoctor {
    @Override
    public Registration registration(DoctorContext ctx) {
        Path file = setup.files(ctx.home(), ctx.env(), null).mcpFile();
        List<String> where = new ArrayList<>();
        String command = null;
        boolean found = false;
        if (Files.isRegularFile(file)) {
            found = true;
            JsonNode root;
            try {
                root = McpEntryReader.jsonObject(file, false);
            } catch (IOException | JacksonException e) {
                return new Registration.Unreadable(file + " is not valid JSON (" + McpEntryReader.problem(e) + ")",
                        "Fix or move the file; Claude Code rewrites it on start.");
            }
            JsonNode user = McpEntryReader.jsonEntry(root);
            if (user.isObject()) {
                where.add("user scope");
                command = McpEntryReader.command(user);
            }
            int local = 0;
            JsonNode projects = root.path("projects");
            if (projects.isObject()) {
                for (var project : projects.properties()) {
                    JsonNode s = McpEntryReader.jsonEntry(project.getValue());
                    if (!s.isObject()) continue;
                    local++;
                    if (command == null) command = McpEntryReader.command(s);
                }
            }
            if (local > 0) where.add("local scope in " + local + (local == 1 ? " project" : " projects"));
        }
        if (ctx.projectRoot() != null) {
            Path mcpJson = setup.files(ctx.home(), ctx.env(), ctx.projectRoot()).mcpFile();
            if (Files.isRegularFile(mcpJson)) {
                found = true;
                try {
                    JsonNode s = McpEntryReader.jsonEntry(McpEntryReader.jsonObject(mcpJson, false));
                    if (s.isObject()) {
                        where.add("project scope (" + mcpJson + ")");
                        if (command == null) command = McpEntryReader.command(s);
                    }
                } catch (IOException | JacksonException e) {
                    return new Registration.Unreadable(mcpJson + " is not valid JSON (" + McpEntryReader.problem(e) + ")",
                            "Fix the file; Claude Code ignores it as it is.");
                }
            }
        }
        if (!where.isEmpty()) return new Registration.Found(String.join(", ", where), command);
        if (found || Files.isDirectory(setup.userConfigDir(ctx.home(), ctx.env()))) {
            return new Registration.Missing("config found (" + file + ")");
        }
        return new Registration.NotInstalled(file);
    }
}
