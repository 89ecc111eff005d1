package dev.huddle.cli;

import dev.huddle.protocol.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code huddle version}: the build and the Java it runs on. */
@Command(name = "version", description = "Print huddle's version.")
final class VersionCommand extends BaseCommand {
    @Option(names = "--json", description = "Machine-readable output.")
    boolean json;

    private record Info(String version, String build, String java) {}

    static String text() {
        return "huddle " + Version.CURRENT + " on Java " + System.getProperty("java.version");
    }

    @Override
    protected int run() {
        if (json) printJson(new Info(Version.CURRENT.version(), Version.CURRENT.build(), System.getProperty("java.version")));
        else out().println(text());
        return ExitCodes.OK;
    }
}
