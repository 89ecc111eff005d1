package dev.huddle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code huddle setup}: registers huddle's MCP server and installs its hooks in Claude Code, Codex and Gemini CLI. */
@Command(name = "setup", sortOptions = false,
        description = {"Register huddle's MCP server and install its hooks in Claude Code, Codex and Gemini CLI.",
                "Keeps comments, formatting and other tools' entries, and backs up each file it changes.",
                "Running it again changes nothing, or upgrades an older install.",
                "Exit 0 ok, 1 refused or failed (nothing written), 2 usage error."},
        footer = {"", "Details: docs/setup.md"})
final class SetupCommand implements Callable<Integer> {
    @Mixin
    SetupOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (options.gitHook) {
            return new SetupRunner(System.getenv(), Path.of(System.getProperty("user.dir")), cl.getOut(), cl.getErr())
                    .gitHook(false, options.dryRun, options.json);
        }
        return new SetupRunner(System.getenv(), Path.of(System.getProperty("user.dir")), cl.getOut(), cl.getErr())
                .run(false, options.clients(cl), options.scope(cl), options.dryRun, options.json);
    }
}
