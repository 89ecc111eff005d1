package dev.huddle.cli;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.control.ControlRequest;
import dev.huddle.protocol.control.Released;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code huddle release}: the human force-releases claims, by path or by agent; the holders are told. */
@Command(name = "release", sortOptions = false,
        header = "Release path claims as the human, by path or by agent.",
        description = {"Release path claims as the human: a PATH releases every claim overlapping it (whoever holds",
                "it, implicit ones included); an AGENT (name, session id, id prefix) releases all of that agent's",
                "claims in the project. Each holder gets a notice from huddle."},
        footer = {"", "Exit codes: 0 released, 1 nothing matched (or refused: a path outside the repository...), 2 usage,",
                "3 no hub running (then nobody holds anything).",
                "", "Examples:", "  huddle release src/parser.ts", "  huddle release reviewer", "  huddle release 'docs/**/*.md' builder"})
final class ReleaseCommand extends BaseCommand {
    @Mixin
    ProjectOption project;

    @Option(names = "--json", description = "The hub's answer as one JSON object.")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "PATH|AGENT", description = "Paths, globs or agents.")
    List<String> targets = new ArrayList<>();

    @Override
    protected String usageLine() {
        return "Usage: huddle release [--project PATH] [--json] PATH|AGENT...";
    }

    @Override
    protected int run() {
        if (targets.isEmpty()) throw usage("name at least one PATH or AGENT");
        Released r = callRunning(new ControlRequest.Release(targets, project.path()),
                "no hub is running, so no agent holds anything (claims end with their holder).");
        if (json) {
            printJson(r);
        } else {
            for (Released.Claim m : r.released()) {
                String who = m.holderName() != null ? m.holderName() + " (" + m.holder() + ")" : String.valueOf(m.holder());
                out().println(Printable.line("released " + m.path() + (Boolean.TRUE.equals(m.implicit()) ? " (being edited)" : " (" + m.mode() + ")")
                        + " of " + who)); // paths and names came from agents
            }
            if (r.problems() != null) {
                for (Released.Problem p : r.problems()) err().println(Printable.line("huddle release: " + p.target() + ": " + p.message()));
            }
        }
        return r.count() > 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
