package dev.huddle.cli;

import dev.huddle.hub.TeamStore;
import dev.huddle.protocol.HubPaths;
import dev.huddle.protocol.Settings;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.util.Map;

/** {@code huddle team leave}: this machine's hub uses its own SQLite database again (the shared store keeps its rows). */
@Command(name = "leave", header = "Stop using the team's shared store on this machine.",
        description = {"Removes the store's URL from $HUDDLE_HOME/config.json (its other settings stay); the hub",
                "uses this machine's own SQLite database again after a restart. Nothing is deleted from the shared store."},
        footer = {"", "Exit codes: 0 done (or nothing to leave), 1 config.json cannot be changed."})
final class TeamLeaveCommand extends BaseCommand {
    @Override
    protected int run() {
        Map<String, String> env = System.getenv();
        HubPaths paths = HubPaths.fromEnvironment(env);
        String was;
        try {
            was = TeamStore.leave(paths.config());
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, "cannot change " + paths.config() + ": " + e.getMessage());
        }
        if (was == null) out().println("no " + Settings.STORE_URL.key() + " in " + paths.config() + ": this machine uses its own database already");
        else out().println("removed " + Settings.STORE_URL.key() + " (" + was + ") from " + paths.config());
        if (TeamStore.chosenByEnvironment(env)) {
            out().println("note: " + Settings.STORE_URL.env() + " is set in this environment and still chooses the shared store; unset it too");
            return ExitCodes.OK;
        }
        if (was != null) {
            out().println("The hub uses the local SQLite database " + paths.database() + " again once it restarts: `huddle hub stop`"
                    + " (the next agent or huddle command starts it). The team's messages stay in the shared store.");
        }
        return ExitCodes.OK;
    }
}
