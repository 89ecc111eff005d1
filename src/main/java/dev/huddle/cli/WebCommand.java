package dev.huddle.cli;

import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.client.ControlRefusedException;
import dev.huddle.client.HubConnector;
import dev.huddle.protocol.control.ControlReply;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.WebCockpit;
import dev.huddle.protocol.control.WebStopped;
import dev.huddle.protocol.json.Inline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code huddle web}: asks the hub to serve the cockpit in a browser (on 127.0.0.1, behind a token made for this run)
 * and prints the address; {@code --stop} stops it. The page shows what {@code huddle status} and the feed show, live,
 * and can send messages and nudges as the human.
 */
@Command(name = "web", sortOptions = false,
        header = "The same live dashboard in a browser, on 127.0.0.1.",
        description = {"Show this project's agents in a browser, live: who is busy or idle, unread mail, open asks and",
                "work, who waits for whom (deadlocks highlighted), stranded mail, claims, latest tool calls and the",
                "messages; send a message or nudge an agent from the page. The hub serves it on 127.0.0.1 only,",
                "behind a random token made for each run of the web server (the printed link carries it)."},
        footer = {"", "Exit codes: 0 served (or stopped), 1 the hub refused (port taken, ...), 2 usage, 3 no hub (--stop).",
                "", "Examples:", "  huddle web --open", "  huddle web --all --port 8765", "  huddle web --stop"})
final class WebCommand extends BaseCommand {
    @Mixin
    ScopeOptions scope;

    @Option(names = "--port", paramLabel = "N", description = "The TCP port on 127.0.0.1 (default: a free one; a running server moves there).")
    Integer port;

    @Option(names = "--open", description = "Open the page in the default browser (xdg-open or open).")
    boolean open;

    @Option(names = "--json", description = "Print {url, port, token, ...} as JSON.")
    boolean json;

    @Option(names = "--stop", description = "Stop the web server (it also stops with the hub).")
    boolean stop;

    /** What --json prints: the hub's answer, and with --open whether a browser was started. */
    private record Served(@Inline WebCockpit web, Boolean opened) {}

    /** What --stop --json prints. */
    private record Stopped(boolean stopped, boolean hubRunning) {}

    @Override
    protected String usageLine() {
        return "Usage: huddle web [--project PATH | --all] [--port N] [--open] [--json]   or   huddle web --stop";
    }

    @Override
    protected int run() {
        if (stop && (scope.all() || scope.project() != null || port != null || open)) throw usage("--stop takes no other option (but --json)");
        scope.check(this);
        if (port != null && (port < 0 || port > 65535)) throw usage("--port " + port + " is not a TCP port (1-65535; 0 picks a free one)");
        if (stop) return stop();

        WebCockpit r;
        try {
            r = hub().startingHub().replyWithin(15_000).call(new ControlRequest.Web(port, scope.project(), scope.all()));
        } catch (ControlRefusedException e) {
            if (json) out().println(ControlReply.refused(e.error()));
            throw new ExitException(ExitCodes.FAILURE, "refused: " + e.error().code() + ": " + nonNull(e.error().message()));
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage());
        }
        String opened = open ? openBrowser(r.url()) : null;
        if (json) {
            printJson(new Served(r, open ? opened == null : null));
            return ExitCodes.OK;
        }
        PrintWriter out = out();
        TerminalStyle style = TerminalStyle.detect();
        out.println("huddle web: " + (r.started() ? "serving" : "already serving") + " the cockpit of "
                + (r.projectRoot() == null ? "every project" : r.projectRoot()));
        out.println();
        out.println("  " + style.bold(r.url()));
        out.println();
        out.println("The link carries this run's token: whoever has it can read your agents' messages and send as you,");
        out.println("so keep it to yourself. It listens on 127.0.0.1 only, and stops with the hub or `huddle web --stop`.");
        if (open) out.println(opened == null ? "Opened it in your browser." : "Could not open a browser (" + opened + "); open the link yourself.");
        return ExitCodes.OK;
    }

    private int stop() {
        WebStopped r;
        try {
            r = hub().call(new ControlRequest.WebStop());
        } catch (ControlRefusedException e) {
            throw new ExitException(ExitCodes.FAILURE, "refused: " + e.error().code() + ": " + nonNull(e.error().message()));
        } catch (HubConnector.HubUnavailableException e) {
            if (json) printJson(new Stopped(false, false));
            throw new ExitException(ExitCodes.HUB_NOT_RUNNING, json ? null : "no hub is running, so no web cockpit either");
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILURE, e.getMessage());
        }
        if (json) printJson(new Stopped(r.stopped(), true));
        else out().println(r.stopped() ? "huddle web: stopped (its links no longer work)" : "huddle web: was not running");
        return ExitCodes.OK;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** Starts the platform's opener in the background; null when started, else why not. */
    static String openBrowser(String url) {
        for (String opener : List.of("xdg-open", "open")) {
            Path exe = onPath(opener);
            if (exe == null) continue;
            try {
                new ProcessBuilder(exe.toString(), url)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                return null;
            } catch (IOException e) {
                return opener + " failed: " + e.getMessage();
            }
        }
        return "neither xdg-open nor open is on PATH";
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

}
