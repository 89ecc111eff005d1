package dev.huddle.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** How commands fail: through ExitException, reported in one place as {@code huddle <command>: …}, with their exit code. */
class CliFailuresTest {
    @Test
    void failuresAreReportedInOnePlaceWithTheCommandsNameAndTheirExitCode() {
        assertThat(run("log", "-n", "0")).isEqualTo("2 huddle log: -n must be between 1 and 1000\n");
        assertThat(run("status", "--all", "--project", "/")).isEqualTo("2 huddle status: use either --all or --project, not both\n");
        assertThat(run("send")).isEqualTo("2 huddle send: name a TARGET (or use --all) and the message TEXT\n"
                + "Usage: huddle send [--project PATH] [--json] TARGET TEXT...   or   huddle send --all TEXT...\n");
        assertThat(run("watch", "--max-obligation-age", "soon")).startsWith("2 huddle watch: --max-obligation-age 'soon' is not a duration")
                .endsWith("\nUsage: huddle watch [--project PATH | --all] [--max-obligation-age D] [--once [--size COLSxROWS]] [--no-color]\n");
        assertThat(run("release")).isEqualTo("2 huddle release: name at least one PATH or AGENT\n"
                + "Usage: huddle release [--project PATH] [--json] PATH|AGENT...\n");
    }

    private static String run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return code + " " + err;
    }
}
