package dev.huddle.cli;

import dev.huddle.agents.HookClient;
import dev.huddle.agents.setup.Scope;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The options {@code huddle setup} and {@code huddle uninstall} share (a picocli mixin). */
final class SetupOptions {
    @Option(names = "--client", split = ",", paramLabel = "claude|codex|gemini|all",
            description = "Which clients (repeatable or comma-separated). Default for setup: those whose config directory exists"
                    + " (~/.claude, $CODEX_HOME or ~/.codex, ~/.gemini), or all three when none does; for uninstall: all.")
    List<String> clients = new ArrayList<>();

    @Option(names = "--scope", paramLabel = "user|project", defaultValue = "user",
            description = "user (default): your own config files, for all projects. project: the config files at the root of"
                    + " the current git repository (.mcp.json, .claude/, .codex/, .gemini/).")
    String scope;

    @Option(names = "--dry-run", description = "Show what would change (with a diff) and write nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Machine-readable report.")
    boolean json;

    @Option(names = "--git-hook", description = "Only the git pre-commit guard of the current repository: it refuses a commit of files"
            + " another live agent claims exclusively (an existing pre-commit hook is kept and runs first). No client configs are touched.")
    boolean gitHook;

    @Option(names = "--hook-transport", paramLabel = "auto|http|curl",
            description = "How Claude Code's hooks reach the hub: http (Claude Code POSTs them itself to the hub's loopback hook port;"
                    + " no process per hook), curl (a command per hook), auto (default: http on Linux, curl elsewhere)."
                    + " Default: $HUDDLE_HOOK_TRANSPORT, else auto. Codex and Gemini always use curl.")
    String hookTransport;

    /** Sets up (or with {@code uninstall} removes) what the options name, reporting on {@code cl}'s streams. */
    int apply(CommandLine cl, boolean uninstall) {
        SetupRunner runner = new SetupRunner(System.getenv(), Path.of(System.getProperty("user.dir")), cl.getOut(), cl.getErr());
        runner.hookTransport(hookTransport);
        if (gitHook) return runner.gitHook(uninstall, dryRun, json);
        return runner.run(uninstall, clients(cl), scope(cl), dryRun, json);
    }

    /** Whether this run changes the client configs (not a dry run, not the git hook alone). */
    boolean writes() {
        return !dryRun && !gitHook;
    }

    /** The named clients, or null for the default. */
    List<HookClient> clients(CommandLine cl) {
        if (clients.isEmpty()) return null;
        List<HookClient> out = new ArrayList<>();
        for (String c : clients) {
            String s = c.strip().toLowerCase(Locale.ROOT);
            if (s.equals("all")) return List.of(HookClient.values());
            HookClient client = HookClient.byId(s.equals("claude-code") ? "claude" : s).orElseThrow(() ->
                    new CommandLine.ParameterException(cl, "unknown client '" + c + "': use claude, codex, gemini or all"));
            if (!out.contains(client)) out.add(client);
        }
        return out;
    }

    Scope scope(CommandLine cl) {
        return switch (scope.strip().toLowerCase(Locale.ROOT)) {
            case "user" -> Scope.USER;
            case "project" -> Scope.PROJECT;
            default -> throw new CommandLine.ParameterException(cl, "unknown scope '" + scope + "': use user or project");
        };
    }
}
