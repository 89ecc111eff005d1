package dev.huddle.cli;

import dev.huddle.client.HubClient;
import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.HubStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;

/** {@code huddle setup}: registers huddle's MCP server and installs its hooks in Claude Code, Codex and Gemini CLI. */
@Command(name = "setup", sortOptions = false,
        header = "Register huddle with Claude Code, Codex and Gemini CLI.",
        description = {"Register huddle's MCP server and install its hooks in Claude Code, Codex and Gemini CLI.",
                "Keeps comments, formatting and other tools' entries, and backs up each file it changes.",
                "Running it again changes nothing, or upgrades an older install.",
                "Then starts the hub, so the first session finds it running.",
                "Exit 0 ok, 1 refused or failed (nothing written), 2 usage error."},
        footer = {"", "Details: docs/setup.md"})
final class SetupCommand extends BaseCommand {
    @Mixin
    SetupOptions options;

    @Override
    protected int run() {
        int rc = options.apply(spec.commandLine(), false);
        if (rc == ExitCodes.OK && options.writes()) startHub();
        return rc;
    }

    /**
     * Starts the hub, so the first session finds it running instead of waiting for its start (about a second of CPU;
     * it then stays while idle for {@code hub_idle_exit_s}). A failure here changes nothing of the setup's result.
     */
    private void startHub() {
        try {
            HubClient hub = hub().startingHubAhead().connectWithin(10_000);
            HubStatus s = HubCommand.warmedUp(hub, hub.call(new ControlRequest.Status()));
            if (!options.json) out().printf("hub running (pid %s, version %s): new sessions find it ready.%n", s.pid(), s.version());
        } catch (IOException | RuntimeException e) {
            if (!options.json) out().println(Printable.line("hub not started now (" + e.getMessage() + "); the first session starts it."
                    + " Check with: huddle hub status"));
        }
    }
}
