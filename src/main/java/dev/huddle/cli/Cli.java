package dev.huddle.cli;

import dev.huddle.Main;
import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;
import dev.huddle.client.front.FrontMain;

import dev.huddle.hub.Hub;
import dev.huddle.protocol.MiniJson;
import dev.huddle.protocol.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The human's commands. Exit codes: 0 success, 1 failure, 2 usage error, 3 hub not running (status/stop),
 * 4 doctor found problems; {@code huddle status --check}: 5 wait cycle (deadlock), 6 mail stranded on an offline agent,
 * 7 obligation open longer than the threshold (the first of these that applies, in that order).
 */
// scope INHERIT: every subcommand gets -h/--help and -V/--version too (huddle ps --help prints its usage, exit 0).
@Command(name = "huddle", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Cli.VersionProvider.class,
        description = "Coordination for AI coding agents that work in one repository.",
        subcommands = {Cli.McpCommand.class, Cli.PsCommand.class, StatusCommand.class, SendCommand.class, LogCommand.class, ReadCommand.class, dev.huddle.cli.watch.WatchCommand.class, WebCommand.class, ClaimsCommand.class, ReleaseCommand.class, DiagnoseCommand.class, Cli.HubCommand.class, Cli.VersionCommand.class,
                DoctorCommand.class, SetupCommand.class, UninstallCommand.class, DemoCommand.class, dev.huddle.cli.BenchCommand.class, Cli.InternalCommand.class})
public final class Cli implements Callable<Integer> {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_HUB_NOT_RUNNING = 3;
    public static final int EXIT_PROBLEMS = 4;
    public static final int EXIT_DEADLOCK = 5;
    public static final int EXIT_STRANDED_MAIL = 6;
    public static final int EXIT_STALE_OBLIGATION = 7;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static int run(String[] args) {
        CommandLine cl = new CommandLine(new Cli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("huddle: " + ex.getMessage());
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EXIT_USAGE;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"huddle " + Version.CURRENT + " on Java " + System.getProperty("java.version")};
        }
    }

    static HubClient client() {
        return new HubClient(HubConnector.fromEnvironment());
    }

    @Command(name = "mcp", description = "Run the stdio MCP server an agent spawns (the front; it talks to the hub).")
    static final class McpCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            return FrontMain.run();
        }
    }

    @Command(name = "version", description = "Print huddle's version.")
    static final class VersionCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(MiniJson.write(Map.of("version", Version.CURRENT.version(), "build", Version.CURRENT.build(),
                        "java", System.getProperty("java.version"))));
            } else {
                out.println("huddle " + Version.CURRENT + " on Java " + System.getProperty("java.version"));
            }
            return 0;
        }
    }

    @Command(name = "ps", description = "List agents in this project (or all projects).")
    static final class PsCommand implements Callable<Integer> {
        @Option(names = {"-a", "--all"}, description = "Every project, not just the one of the current directory.")
        boolean all;

        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Map<String, Object> result = client().call("ps", Map.of("all", all), true);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(MiniJson.write(result));
                return 0;
            }
            out.print(PsTable.render(result, TerminalStyle.detect()));
            out.flush(); // print() does not auto-flush, and Main calls System.exit right after
            return 0;
        }
    }

    @Command(name = "hub", description = "Manage the hub daemon.",
            subcommands = {HubCommand.Run.class, HubCommand.Status.class, HubCommand.Stop.class, HubCommand.Restart.class})
    static final class HubCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return EXIT_USAGE;
        }

        @Command(name = "run", description = "Run the hub in the foreground (clients start it detached on demand).")
        static final class Run implements Callable<Integer> {
            @Option(names = "--detached", hidden = true)
            boolean detached;

            @Override
            public Integer call() {
                return Hub.run(System.getenv(), System.err);
            }
        }

        @Command(name = "status", description = "Show whether the hub runs, its version, sockets and load. Exit 3 when it is not running.")
        static final class Status implements Callable<Integer> {
            @Option(names = "--json", description = "Machine-readable output.")
            boolean json;

            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                PrintWriter out = spec.commandLine().getOut();
                try {
                    Map<String, Object> s = client().call("status", Map.of(), false);
                    if (json) {
                        out.println(MiniJson.write(s));
                    } else {
                        out.printf("hub running: pid %s, version %s, up %ss%n", s.get("pid"), s.get("version"), s.get("uptime_s"));
                        out.printf("  home      %s%n  sockets   %s, %s%n  database  %s (schema %s, check: %s)%n",
                                s.get("home"), s.get("mcp_socket"), s.get("http_socket"), s.get("database"),
                                s.get("schema_version"), s.get("database_check"));
                        out.printf("  agents    %s registered, %s fronts connected%n", s.get("agents"), s.get("connected_fronts"));
                        if (s.get("config_problems") instanceof List<?> p && !p.isEmpty()) {
                            p.forEach(x -> out.println("  config    " + x));
                        }
                    }
                    return 0;
                } catch (IOException e) {
                    if (json) out.println(MiniJson.write(Map.of("running", false, "reason", String.valueOf(e.getMessage()))));
                    else out.println("hub not running (" + e.getMessage() + ")");
                    return EXIT_HUB_NOT_RUNNING;
                }
            }
        }

        @Command(name = "stop", description = "Stop the hub (agents' fronts start a new one when they need it). Exit 3 when none runs.")
        static final class Stop implements Callable<Integer> {
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                return stop(spec.commandLine().getOut(), spec.commandLine().getErr());
            }
        }

        @Command(name = "restart", description = "Stop the hub and start a fresh one.")
        static final class Restart implements Callable<Integer> {
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws IOException {
                stop(spec.commandLine().getOut(), spec.commandLine().getErr());
                Map<String, Object> s = client().call("status", Map.of(), true);
                spec.commandLine().getOut().printf("hub started: pid %s, version %s%n", s.get("pid"), s.get("version"));
                return 0;
            }
        }

        static int stop(PrintWriter out, PrintWriter err) {
            HubConnector connector = HubConnector.fromEnvironment();
            try {
                Map<String, Object> s = new HubClient(connector).call("status", Map.of(), false);
                new HubClient(connector).call("stop", Map.of(), false);
                long pid = ((Number) s.get("pid")).longValue();
                // Wait for the hub lock to be free: a zombie still "is alive", but the lock dies with the process.
                long deadline = System.currentTimeMillis() + 10_000;
                while (!hubLockFree(connector) && System.currentTimeMillis() < deadline) HubConnector.sleep(20);
                while (running(pid) && System.currentTimeMillis() < deadline) HubConnector.sleep(10);
                out.println("hub stopped (pid " + pid + ")");
                return 0;
            } catch (IOException e) {
                out.println("hub not running");
                return EXIT_HUB_NOT_RUNNING;
            }
        }

        /** Alive and not a zombie (an exited hub whose parent has not reaped it yet counts as gone). */
        private static boolean running(long pid) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
                    return !stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
                } catch (IOException | RuntimeException noProcfs) {
                    return true;
                }
            }
            return false;
        }

        private static boolean hubLockFree(HubConnector connector) {
            try (var ch = java.nio.channels.FileChannel.open(connector.paths().hubLock(), java.nio.file.StandardOpenOption.WRITE);
                 var lock = ch.tryLock()) {
                return lock != null;
            } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
                return false;
            }
        }
    }

    @Command(name = "internal", hidden = true, description = "Internal commands.", subcommands = {AotTrainCommand.class})
    static final class InternalCommand implements Callable<Integer> {
        @Override
        public Integer call() {
            return EXIT_USAGE;
        }
    }
}
