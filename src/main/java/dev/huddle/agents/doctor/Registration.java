package dev.huddle.agents.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where a client has huddle registered as its MCP server, as its own files say ({@link ClientDoctor#registration}). */
public sealed interface Registration {
    /**
     * Registered.
     *
     * @param where   the scopes and files, for people ("user scope, project scope (/repo/.mcp.json)")
     * @param command the command the entry runs, or null when it names none
     */
    record Found(String where, String command) implements Registration {}

    /** The client's config is there, without huddle in it; {@code found} says what was found ("config found (...)"). */
    record Missing(String found) implements Registration {}

    /** Nothing of the client's config is there: it is not installed (for this user); {@code looked} is its main file. */
    record NotInstalled(Path looked) implements Registration {}

    /** A config file the client would not read either: what is wrong, and what to do. */
    record Unreadable(String problem, String hint) implements Registration {}

    /**
     * Not registered: {@link Missing} when the client's config {@code file} (or, without it, its {@code configDir})
     * is there, else {@link NotInstalled}.
     */
    static Registration absent(boolean fileFound, Path file, Path configDir) {
        if (fileFound) return new Missing("config found (" + file + ")");
        if (Files.isDirectory(configDir)) return new Missing("config found (" + configDir + ", no " + file.getFileName() + ")");
        return new NotInstalled(file);
    }
}
