package dev.huddle.cli;

import dev.huddle.client.HubClient;

import dev.huddle.protocol.MiniJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code huddle diagnose}: how the agents are wired, and what waking them did, by route and client. */
@Command(name = "diagnose", sortOptions = false,
        description = {"How each agent is wired (hooks reporting, transcript known, terminal proven by the process tree)",
                "and what huddle did to wake idle agents: outcomes by route and client, then the latest attempts with reasons."},
        footer = {"", "Exit codes: 0 shown, 1 failed, 2 usage, 3 no hub running.", "",
                "Examples:", "  huddle diagnose", "  huddle diagnose --hours 1 --json | jq .wake_summary"})
public final class DiagnoseCommand implements Callable<Integer> {
    @Option(names = "--hours", paramLabel = "H", description = "Look back H hours (default ${DEFAULT-VALUE}, at most 720).", defaultValue = "24")
    int hours;

    @Option(names = "--json", description = "The hub's report as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (hours < 1 || hours > 720) {
            err.println("huddle diagnose: --hours must be between 1 and 720");
            return Cli.EXIT_USAGE;
        }
        HubClient.Outcome answer = Cli.client().callRunning("diagnose", "diagnose", Map.of("hours", hours), err,
                "no hub is running, so there is nothing to diagnose (start an agent, or run `huddle doctor`).");
        if (answer.failed()) return answer.exit();
        Map<String, Object> r = answer.result();
        if (json) {
            out.println(MiniJson.write(r));
            return 0;
        }
        out.print(render(r));
        out.flush();
        return 0;
    }

    /** The report as {@code huddle diagnose} prints it (the dashboard's diagnose view shows the same). */
    @SuppressWarnings("unchecked")
    public static String render(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        b.append("Agents (" + ((List<Object>) r.getOrDefault("agents", List.of())).size() + ")").append('\n');
        for (Object o : (List<Object>) r.getOrDefault("agents", List.of())) {
            Map<String, Object> a = (Map<String, Object>) o;
            b.append(String.format("  %-9s %-12s %-12s %-8s hooks %-3s transcript %-3s terminal %s%s%n", a.get("handle"),
                    a.getOrDefault("name", "-"), a.get("client_type"), Boolean.TRUE.equals(a.get("online")) ? "online" : "offline",
                    yes(a.get("hooks")), yes(a.get("transcript_known")), a.get("terminal"),
                    Boolean.TRUE.equals(a.get("rewake_armed")) ? "  rewake armed" : ""));
        }
        b.append('\n');
        List<Object> summary = (List<Object>) r.getOrDefault("wake_summary", List.of());
        b.append("Wakes since " + r.get("since") + (summary.isEmpty() ? ": none" : "")).append('\n');
        for (Object o : summary) {
            Map<String, Object> s = (Map<String, Object>) o;
            b.append(String.format("  %-13s %-12s %-22s %5s%s%n", s.get("route"), s.get("client_type"), s.get("status"), s.get("count"),
                    s.get("avg_ms") == null ? "" : "   avg " + s.get("avg_ms") + " ms, max " + s.get("max_ms") + " ms"));
        }
        List<Object> recent = (List<Object>) r.getOrDefault("recent_wakes", List.of());
        if (!recent.isEmpty()) {
            b.append('\n');
            b.append("Latest wakes").append('\n');
            for (Object o : recent) {
                Map<String, Object> w = (Map<String, Object>) o;
                b.append("  " + w.get("at") + "  " + w.get("target") + " (" + w.get("client_type") + ")  " + w.get("route") + "  "
                        + w.get("status") + (w.get("reason") == null ? "" : ": " + w.get("reason"))).append('\n');
            }
        }
        return b.toString();
    }

    private static String yes(Object b) {
        return Boolean.TRUE.equals(b) ? "yes" : "no";
    }
}
