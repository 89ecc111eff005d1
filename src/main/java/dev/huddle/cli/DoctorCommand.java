package dev.huddle.cli;

import dev.huddle.agents.doctor.Check;
import dev.huddle.cli.doctor.Doctor;
import dev.huddle.cli.doctor.DoctorReport;
import dev.huddle.cli.view.TerminalStyle;
import dev.huddle.protocol.Version;
import dev.huddle.protocol.control.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code huddle doctor}: diagnoses the installation and the hub (see {@link Doctor}); exit 4 when something FAILed. */
@Command(name = "doctor", header = "Check the installation, the hub and the agent clients' configs.", description = {
        "Check the JDK, HUDDLE_HOME and its permissions, the sockets, the hub and its database, tmux, curl and the",
        "agent clients' configs. Never starts a hub. Exit code 0, or 4 when a check FAILed."})
final class DoctorCommand extends BaseCommand {
    @Option(names = "--json", description = "Machine-readable output: {\"ok\":bool,\"checks\":[{\"name\",\"status\",\"detail\",\"hint\"}]}.")
    boolean json;

    @Override
    protected int run() {
        Doctor doctor = new Doctor(System.getenv(), Path.of(System.getProperty("user.dir")), () -> hub().call(new ControlRequest.Status()));
        List<Check> checks = doctor.run();
        if (json) {
            printJson(DoctorReport.json(checks));
        } else {
            TerminalStyle style = TerminalStyle.detect();
            out().println(style.bold("huddle doctor") + " — huddle " + Version.CURRENT + ", HUDDLE_HOME " + doctor.paths().home());
            out().println();
            out().print(DoctorReport.text(checks, style.color()));
        }
        return DoctorReport.ok(checks) ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }
}
