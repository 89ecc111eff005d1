package dev.huddle.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code huddle setup}: registers huddle's MCP server and installs its hooks in Claude Code, Codex and Gemini CLI. */
@Command(name = "setup", sortOptions = false,
        header = "Register huddle with Claude Code, Codex and Gemini CLI.",
        description = {"Register huddle's MCP server and install its hooks in Claude Code, Codex and Gemini CLI.",
                "Keeps comments, formatting and other tools' entries, and backs up each file it changes.",
                "Running it again changes nothing, or upgrades an older install.",
                "Exit 0 ok, 1 refused or failed (nothing written), 2 usage error."},
        footer = {"", "Details: docs/setup.md"})
final class SetupCommand extends BaseCommand {
    @Mixin
    SetupOptions options;

    @Override
    protected int run() {
        return options.apply(spec.commandLine(), false);
    }
}
