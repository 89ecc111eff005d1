package dev.huddle.cli;

import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.hub.Hub;
import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.HubStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;

/** {@code huddle hub start|run|status|stop|restart|recover}: the hub daemon. */
@Command(name = "hub", description = "Manage the hub daemon.",
        subcommands = {HubCommand.Start.class, HubCommand.Run.class, HubCommand.Status.class, HubCommand.Stop.class, HubCommand.Restart.class,
                HubRecoverCommand.class})
final class HubCommand extends BaseCommand {
    @Override
    protected int run() {
        spec.commandLine().usage(out());
        return ExitCodes.USAGE;
    }

    @Command(name = "start", description = {"Start the hub now, detached, unless one runs (agents' fronts start it when they need it;",
            "started ahead, it is ready before the first session's first tool call, and it returns once the hub has warmed up).",
            "Exit 0 when it runs."})
    static final class Start extends BaseCommand {
        @Override
        protected int run() throws IOException {
            HubStatus s = warmedUp(hub(), hub().startingHubAhead().call(new ControlRequest.Status()));
            out().printf("hub running: pid %s, version %s, up %ss%n", s.pid(), s.version(), s.uptimeS());
            return ExitCodes.OK;
        }
    }

    @Command(name = "run", description = "Run the hub in the foreground (clients start it detached on demand).")
    static final class Run extends BaseCommand {
        @Option(names = "--detached", hidden = true)
        boolean detached;

        @Option(names = "--ahead", hidden = true, description = "started with nobody waiting: rehearse a session to warm up")
        boolean ahead;

        @Override
        protected int run() {
            return Hub.run(System.getenv(), System.err, ahead);
        }
    }

    @Command(name = "status", description = "Show whether the hub runs, its version, sockets and load. Exit 3 when it is not running.")
    static final class Status extends BaseCommand {
        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        private record NotRunning(boolean running, String reason) {}

        @Override
        protected int run() {
            HubStatus s;
            try {
                s = hub().call(new ControlRequest.Status());
            } catch (IOException e) {
                if (json) printJson(new NotRunning(false, String.valueOf(e.getMessage())));
                else out().println("hub not running (" + e.getMessage() + ")");
                return ExitCodes.HUB_NOT_RUNNING;
            }
            if (json) {
                printJson(s);
                return ExitCodes.OK;
            }
            out().printf("hub running: pid %s, version %s, up %ss%n", s.pid(), s.version(), s.uptimeS());
            out().printf("  home      %s%n  sockets   %s, %s%n  database  %s (schema %s, check: %s)%n",
                    s.home(), s.mcpSocket(), s.httpSocket(), s.database(), s.schemaVersion(), s.databaseCheck());
            out().printf("  agents    %s registered, %s fronts connected%n", s.agents(), s.connectedFronts());
            if (!HubStatus.STORAGE_OK.equals(s.storage())) {
                out().println(Printable.line("  storage   " + s.storage() + " since " + s.storageSince() + ": " + s.storageReason()));
            }
            if (s.rehearsal() != null && !"none".equals(s.rehearsal())) out().printf("  warm-up   %s (a rehearsed session at start)%n", s.rehearsal());
            s.configProblems().forEach(x -> out().println("  config    " + x));
            return ExitCodes.OK;
        }
    }

    @Command(name = "stop", description = {"Stop the hub (agents' fronts start a new one when they need it), whatever state it is in:",
            "one that does not answer is signalled. Exit 3 when none runs."})
    static final class Stop extends BaseCommand {
        @Override
        protected int run() {
            return stop(hub(), this);
        }
    }

    @Command(name = "restart", description = "Stop the hub and start a fresh one.")
    static final class Restart extends BaseCommand {
        @Override
        protected int run() throws IOException {
            stop(hub(), this);
            HubStatus s = warmedUp(hub(), hub().startingHubAhead().call(new ControlRequest.Status()));
            out().printf("hub started: pid %s, version %s%n", s.pid(), s.version());
            return ExitCodes.OK;
        }
    }

    /** How long a command that started a hub ahead waits for its warm-up (a rehearsed session: well under a second). */
    private static final long WARM_UP_WAIT_MS = 10_000;

    /**
     * The hub's status once its start-up rehearsal is over (or after {@link #WARM_UP_WAIT_MS}): a session launched right
     * after {@code hub start} returns then finds it warm, instead of cutting its rehearsal short.
     */
    static HubStatus warmedUp(HubClient hub, HubStatus s) throws IOException {
        long deadline = System.currentTimeMillis() + WARM_UP_WAIT_MS;
        while ("running".equals(s.rehearsal()) && System.currentTimeMillis() < deadline) {
            HubConnector.sleep(25);
            s = hub.call(new ControlRequest.Status());
        }
        return s;
    }

    static int stop(HubClient hub, BaseCommand command) {
        HubStopper.Stopped s = new HubStopper(hub).stop();
        if (s.pid() == null) {
            command.out().println("hub not running");
            return ExitCodes.HUB_NOT_RUNNING;
        }
        command.out().println("hub stopped (pid " + s.pid() + (s.signalled() ? ", signalled: it did not answer" : "") + ")");
        return ExitCodes.OK;
    }
}
