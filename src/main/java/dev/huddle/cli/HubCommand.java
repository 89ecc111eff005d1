package dev.huddle.cli;

import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.hub.Hub;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.HubStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code huddle hub run|status|stop|restart}: the hub daemon. */
@Command(name = "hub", description = "Manage the hub daemon.",
        subcommands = {HubCommand.Run.class, HubCommand.Status.class, HubCommand.Stop.class, HubCommand.Restart.class})
final class HubCommand extends BaseCommand {
    @Override
    protected int run() {
        spec.commandLine().usage(out());
        return ExitCodes.USAGE;
    }

    @Command(name = "run", description = "Run the hub in the foreground (clients start it detached on demand).")
    static final class Run extends BaseCommand {
        @Option(names = "--detached", hidden = true)
        boolean detached;

        @Override
        protected int run() {
            return Hub.run(System.getenv(), System.err);
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
            s.configProblems().forEach(x -> out().println("  config    " + x));
            return ExitCodes.OK;
        }
    }

    @Command(name = "stop", description = "Stop the hub (agents' fronts start a new one when they need it). Exit 3 when none runs.")
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
            HubStatus s = hub().startingHub().call(new ControlRequest.Status());
            out().printf("hub started: pid %s, version %s%n", s.pid(), s.version());
            return ExitCodes.OK;
        }
    }

    private static int stop(HubClient hub, BaseCommand command) {
        try {
            long pid = hub.call(new ControlRequest.Status()).pid();
            hub.call(new ControlRequest.Stop());
            // Wait for the hub lock to be free: a zombie still "is alive", but the lock dies with the process.
            long deadline = System.currentTimeMillis() + 10_000;
            while (!hubLockFree(hub.connector()) && System.currentTimeMillis() < deadline) HubConnector.sleep(20);
            while (running(pid) && System.currentTimeMillis() < deadline) HubConnector.sleep(10);
            command.out().println("hub stopped (pid " + pid + ")");
            return ExitCodes.OK;
        } catch (IOException e) {
            command.out().println("hub not running");
            return ExitCodes.HUB_NOT_RUNNING;
        }
    }

    /** Alive and not a zombie (an exited hub whose parent has not reaped it yet counts as gone). */
    private static boolean running(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                return !stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
            } catch (IOException | RuntimeException noProcfs) {
                return true;
            }
        }
        return false;
    }

    private static boolean hubLockFree(HubConnector connector) {
        try (var ch = FileChannel.open(connector.paths().hubLock(), StandardOpenOption.WRITE); var lock = ch.tryLock()) {
            return lock != null;
        } catch (IOException | OverlappingFileLockException e) {
            return false;
        }
    }
}
