package dev.huddle.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code huddle uninstall}: removes exactly what {@code huddle setup} added. */
@Command(name = "uninstall", sortOptions = false,
        description = {"Remove huddle's MCP server and hooks from Claude Code, Codex and Gemini CLI configs.",
                "Everything else stays; each file it changes is backed up first.",
                "Exit 0 ok, 1 refused or failed (nothing written), 2 usage error."},
        footer = {"", "Details: docs/setup.md"})
final class UninstallCommand implements Callable<Integer> {
    @Mixin
    SetupOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (options.gitHook) {
            return new SetupRunner(System.getenv(), Path.of(System.getProperty("user.dir")), cl.getOut(), cl.getErr())
                    .gitHook(true, options.dryRun, options.json);
        }
        return new SetupRunner(System.getenv(), Path.of(System.getProperty("user.dir")), cl.getOut(), cl.getErr())
                .run(true, options.clients(cl), options.scope(cl), options.dryRun, options.json);
    }
}
