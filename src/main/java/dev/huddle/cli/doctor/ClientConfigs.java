package dev.huddle.cli.doctor;

import dev.huddle.agents.AgentClient;
import dev.huddle.agents.AgentClients;
import dev.huddle.agents.doctor.Check;
import dev.huddle.agents.doctor.DoctorContext;
import dev.huddle.agents.doctor.Registration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether each agent client has huddle registered as an MCP server, as its own package reads its files
 * ({@link dev.huddle.agents.doctor.ClientDoctor#registration}), and whether the registered command can run. Only reads
 * files; a malformed file is a warning with the parse error.
 */
public final class ClientConfigs {
    static final String REGISTER_HINT = "run `huddle setup` (docs/setup.md)";

    private final DoctorContext ctx;

    public ClientConfigs(DoctorContext ctx) {
        this.ctx = ctx;
    }

    public List<Check> all() {
        return AgentClients.installed().all().stream().map(this::check).toList();
    }

    /** The line named after the client ({@code claude-code}, {@code codex}, ...). */
    public Check check(AgentClient client) {
        String name = client.type().wireName();
        return switch (client.doctor().registration(ctx)) {
            case Registration.Found f -> registered(name, f.where(), f.command());
            case Registration.Missing m -> Check.warn(name, m.found() + ", huddle not registered", REGISTER_HINT);
            case Registration.NotInstalled n -> Check.ok(name, "not installed (no " + n.looked() + ")");
            case Registration.Unreadable u -> Check.warn(name, u.problem(), u.hint());
        };
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
            Path p = Path.of(command.startsWith("~/") ? ctx.home() + command.substring(1) : command);
            return Files.isExecutable(p) ? null : "its command " + command + " does not exist or is not executable";
        }
        return Tools.onPath(command, ctx.env().get("PATH")).isPresent() ? null : "its command '" + command + "' is not on PATH";
    }
}
