package dev.huddle.cli;

import dev.huddle.client.HubClient;

import dev.huddle.protocol.MiniJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code huddle release}: the human force-releases claims, by path or by agent; the holders are told. */
@Command(name = "release", sortOptions = false,
        description = {"Release path claims as the human: a PATH releases every claim overlapping it (whoever holds",
                "it, implicit ones included); an AGENT (name, session id, id prefix) releases all of that agent's",
                "claims in the project. Each holder gets a notice from huddle."},
        footer = {"", "Exit codes: 0 released, 1 nothing matched (or refused: a path outside the repository...), 2 usage,",
                "3 no hub running (then nobody holds anything).",
                "", "Examples:", "  huddle release src/parser.ts", "  huddle release reviewer", "  huddle release 'docs/**/*.md' builder"})
public final class ReleaseCommand implements Callable<Integer> {
    @Option(names = "--project", paramLabel = "PATH", description = "A directory of the project (default: the current directory).")
    String project;

    @Option(names = "--json", description = "The hub's answer as one JSON object.")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "PATH|AGENT", description = "Paths, globs or agents.")
    List<String> targets = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (targets.isEmpty()) {
            err.println("huddle release: name at least one PATH or AGENT");
            err.println("Usage: huddle release [--project PATH] [--json] PATH|AGENT...");
            return Cli.EXIT_USAGE;
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("targets", targets);
        if (project != null) args.put("project", Path.of(project).toAbsolutePath().normalize().toString());
        HubClient.Outcome answer = Cli.client().callRunning("release", "release", args, err,
                "no hub is running, so no agent holds anything (claims end with their holder).");
        if (answer.failed()) return answer.exit();
        Map<String, Object> r = answer.result();
        if (json) {
            out.println(MiniJson.write(r));
        } else {
            for (Object o : (List<Object>) r.getOrDefault("released", List.of())) {
                Map<String, Object> m = (Map<String, Object>) o;
                String who = m.get("holder_name") != null ? m.get("holder_name") + " (" + m.get("holder") + ")" : String.valueOf(m.get("holder"));
                out.println("released " + m.get("path") + (Boolean.TRUE.equals(m.get("implicit")) ? " (being edited)" : " (" + m.get("mode") + ")")
                        + " of " + who);
            }
            for (Object o : (List<Object>) r.getOrDefault("problems", List.of())) {
                Map<String, Object> m = (Map<String, Object>) o;
                err.println("huddle release: " + m.get("target") + ": " + m.get("message"));
            }
        }
        out.flush();
        err.flush();
        return ((Number) r.getOrDefault("count", 0)).intValue() > 0 ? 0 : Cli.EXIT_FAILURE;
    }
}
