package dev.huddle.cli;

import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;

import dev.huddle.cli.doctor.Check;
import dev.huddle.cli.doctor.Doctor;
import dev.huddle.cli.doctor.DoctorReport;
import dev.huddle.protocol.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code huddle doctor}: diagnoses the installation and the hub (see {@link Doctor}); exit 4 when something FAILed. */
@Command(name = "doctor", description = {
        "Check the JDK, HUDDLE_HOME and its permissions, the sockets, the hub and its database, tmux, curl and the",
        "agent clients' configs. Never starts a hub. Exit code 0, or 4 when a check FAILed."})
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Machine-readable output: {\"ok\":bool,\"checks\":[{\"name\",\"status\",\"detail\",\"hint\"}]}.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        HubConnector connector = new HubConnector(dev.huddle.protocol.HubPaths.fromEnvironment(env), env);
        Doctor doctor = new Doctor(env, Path.of(System.getProperty("user.dir")),
                () -> new HubClient(connector).call("status", Map.of(), false));
        List<Check> checks = doctor.run();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonMapper.shared().writeValueAsString(DoctorReport.json(checks)));
        } else {
            TerminalStyle style = TerminalStyle.detect();
            out.println(style.bold("huddle doctor") + " — huddle " + Version.CURRENT + ", HUDDLE_HOME " + doctor.paths().home());
            out.println();
            out.print(DoctorReport.text(checks, style.color()));
        }
        out.flush();
        return DoctorReport.ok(checks) ? 0 : Cli.EXIT_PROBLEMS;
    }
}
