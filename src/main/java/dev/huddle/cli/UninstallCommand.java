package dev.huddle.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code huddle uninstall}: removes exactly what {@code huddle setup} added. */
@Command(name = "uninstall", sortOptions = false,
        header = "Remove huddle from Claude Code, Codex and Gemini CLI.",
        description = {"Remove huddle's MCP server and hooks from Claude Code, Codex and Gemini CLI configs.",
                "Everything else stays; each file it changes is backed up first.",
                "Exit 0 ok, 1 refused or failed (nothing written), 2 usage error."},
        footer = {"", "Details: docs/setup.md"})
final class UninstallCommand extends BaseCommand {
    @Mixin
    SetupOptions options;

    @Override
    protected int run() {
        return options.apply(spec.commandLine(), true);
    }
}
