package dev.huddle.cli;

import dev.huddle.client.HubClient;

import dev.huddle.protocol.MiniJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code huddle claims}: the project's path claims, explicit (claim_paths) and implicit (files being edited). */
@Command(name = "claims", sortOptions = false,
        description = {"List the path claims of this project: what each agent claimed with claim_paths (exclusive or",
                "shared, why, until when) and the files it is editing right now (implicit claims: an edit marks",
                "a file as the editor's for claim_edit_window_s, default 300 s)."},
        footer = {"", "Exit codes: 0 shown, 1 failed, 2 usage, 3 no hub running (then nobody holds anything).",
                "", "Examples:", "  huddle claims", "  huddle claims --all --json | jq '.projects[].claims[].path'"})
public final class ClaimsCommand implements Callable<Integer> {
    @Option(names = "--project", paramLabel = "PATH", description = "A directory of the project (default: the current directory).")
    String project;

    @Option(names = {"-a", "--all"}, description = "Every project.")
    boolean all;

    @Option(names = "--json", description = "The hub's answer as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (all && project != null) {
            err.println("huddle claims: use either --all or --project, not both");
            return Cli.EXIT_USAGE;
        }
        Map<String, Object> args = new LinkedHashMap<>();
        if (all) args.put("all", true);
        if (project != null) args.put("project", Path.of(project).toAbsolutePath().normalize().toString());
        HubClient.Outcome answer = Cli.client().callRunning("claims", "claims", args, err,
                "no hub is running, so no agent holds anything (claims end with their holder).");
        if (answer.failed()) return answer.exit();
        Map<String, Object> r = answer.result();
        if (json) out.println(MiniJson.write(r));
        else out.print(render(r, TerminalStyle.detect()));
        out.flush();
        return 0;
    }

    /** One block per project: path, how it is held, by whom, since / last edit, expiry, reason. */
    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> r, TerminalStyle style) {
        StringBuilder b = new StringBuilder();
        List<Object> projects = (List<Object>) r.getOrDefault("projects", List.of());
        if (projects.isEmpty() || ((Number) r.getOrDefault("count", 0)).intValue() == 0) {
            String where = r.get("project_root") == null ? "any project" : String.valueOf(r.get("project_root"));
            return "No claims in " + where + ": no agent claimed a path or edited a file in the last "
                    + r.getOrDefault("edit_window_s", 300) + " s.\n";
        }
        for (Object o : projects) {
            Map<String, Object> p = (Map<String, Object>) o;
            b.append(style.bold(String.valueOf(p.get("project_root")))).append('\n');
            List<Object> claims = (List<Object>) p.getOrDefault("claims", List.of());
            int w = 4;
            for (Object c : claims) w = Math.max(w, String.valueOf(((Map<String, Object>) c).get("path")).length());
            w = Math.min(w, 48);
            b.append(String.format("  %-" + w + "s  %-9s  %-24s  %-9s  %s%n", "PATH", "HOW", "HOLDER", "ENDS IN", "WHY / SINCE"));
            for (Object c : claims) {
                Map<String, Object> m = (Map<String, Object>) c;
                boolean implicit = Boolean.TRUE.equals(m.get("implicit"));
                String holder = m.get("holder_name") != null ? m.get("holder_name") + " (" + m.get("holder_handle") + ")" : String.valueOf(m.get("holder"));
                String how = implicit ? "editing" : String.valueOf(m.get("mode"));
                String why = implicit ? "last edit " + m.get("last_edit")
                        : (m.get("reason") == null ? "" : m.get("reason") + "; ") + "since " + m.get("since");
                b.append(String.format("  %-" + w + "s  %-9s  %-24s  %-9s  %s%n", m.get("path"), how, shorten(holder, 24),
                        m.get("expires_in_s") + " s", why));
            }
        }
        return b.toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
