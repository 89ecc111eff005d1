package dev.huddle.cli;

import dev.huddle.client.HubConnector;

import dev.huddle.protocol.MiniJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code huddle web}: asks the hub to serve the cockpit in a browser (on 127.0.0.1, behind a token made for this run)
 * and prints the address; {@code --stop} stops it. The page shows what {@code huddle status} and the feed show, live,
 * and can send messages and nudges as the human.
 */
@Command(name = "web", sortOptions = false,
        description = {"Show this project's agents in a browser, live: who is busy or idle, unread mail, open asks and",
                "work, who waits for whom (deadlocks highlighted), stranded mail, claims, latest tool calls and the",
                "messages; send a message or nudge an agent from the page. The hub serves it on 127.0.0.1 only,",
                "behind a random token made for each run of the web server (the printed link carries it)."},
        footer = {"", "Exit codes: 0 served (or stopped), 1 the hub refused (port taken, ...), 2 usage, 3 no hub (--stop).",
                "", "Examples:", "  huddle web --open", "  huddle web --all --port 8765", "  huddle web --stop"})
public final class WebCommand implements Callable<Integer> {
    @Option(names = "--project", paramLabel = "PATH", description = "A directory of the project to show (default: the current directory).")
    String project;

    @Option(names = {"-a", "--all"}, description = "Every project.")
    boolean all;

    @Option(names = "--port", paramLabel = "N", description = "The TCP port on 127.0.0.1 (default: a free one; a running server moves there).")
    Integer port;

    @Option(names = "--open", description = "Open the page in the default browser (xdg-open or open).")
    boolean open;

    @Option(names = "--json", description = "Print {url, port, token, ...} as JSON.")
    boolean json;

    @Option(names = "--stop", description = "Stop the web server (it also stops with the hub).")
    boolean stop;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (stop && (all || project != null || port != null || open)) return usage(err, "--stop takes no other option (but --json)");
        if (all && project != null) return usage(err, "use either --all or --project, not both");
        if (port != null && (port < 0 || port > 65535)) return usage(err, "--port " + port + " is not a TCP port (1-65535; 0 picks a free one)");
        if (stop) return stop(out, err);

        Map<String, Object> args = new LinkedHashMap<>();
        if (all) args.put("all", true);
        if (project != null) args.put("project", Path.of(project).toAbsolutePath().normalize().toString());
        if (port != null) args.put("port", port);
        Map<String, Object> reply;
        try {
            reply = Cli.client().reply("web", args, true, 15_000);
        } catch (IOException e) {
            err.println("huddle web: " + e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            if (json) out.println(MiniJson.write(reply));
            err.println("huddle web: refused: " + reply.get("error") + ": " + reply.getOrDefault("message", ""));
            out.flush();
            err.flush();
            return Cli.EXIT_FAILURE;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> r = reply.get("result") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        String url = String.valueOf(r.get("url"));
        String opened = open ? openBrowser(url) : null;
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>(r);
            if (open) o.put("opened", opened == null);
            out.println(MiniJson.write(o));
        } else {
            TerminalStyle style = TerminalStyle.detect();
            Object root = r.get("project_root");
            out.println("huddle web: " + (Boolean.FALSE.equals(r.get("started")) ? "already serving" : "serving") + " the cockpit of "
                    + (root == null ? "every project" : root));
            out.println();
            out.println("  " + style.bold(url));
            out.println();
            out.println("The link carries this run's token: whoever has it can read your agents' messages and send as you,");
            out.println("so keep it to yourself. It listens on 127.0.0.1 only, and stops with the hub or `huddle web --stop`.");
            if (open) out.println(opened == null ? "Opened it in your browser." : "Could not open a browser (" + opened + "); open the link yourself.");
        }
        out.flush();
        return 0;
    }

    private int stop(PrintWriter out, PrintWriter err) {
        Map<String, Object> reply;
        try {
            reply = Cli.client().reply("web_stop", Map.of(), false, 10_000);
        } catch (HubConnector.HubUnavailableException e) {
            if (json) out.println(MiniJson.write(Map.of("stopped", false, "hub_running", false)));
            else err.println("huddle web: no hub is running, so no web cockpit either");
            out.flush();
            err.flush();
            return Cli.EXIT_HUB_NOT_RUNNING;
        } catch (IOException e) {
            err.println("huddle web: " + e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            err.println("huddle web: refused: " + reply.get("error") + ": " + reply.getOrDefault("message", ""));
            err.flush();
            return Cli.EXIT_FAILURE;
        }
        boolean stopped = reply.get("result") instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("stopped"));
        if (json) out.println(MiniJson.write(Map.of("stopped", stopped, "hub_running", true)));
        else out.println(stopped ? "huddle web: stopped (its links no longer work)" : "huddle web: was not running");
        out.flush();
        return 0;
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

    private static int usage(PrintWriter err, String what) {
        err.println("huddle web: " + what);
        err.println("Usage: huddle web [--project PATH | --all] [--port N] [--open] [--json]   or   huddle web --stop");
        err.flush();
        return Cli.EXIT_USAGE;
    }
}
