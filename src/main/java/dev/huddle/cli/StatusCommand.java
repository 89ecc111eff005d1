package dev.huddle.cli;

import dev.huddle.client.HubClient;

import dev.huddle.protocol.MiniJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code huddle status}: a one-shot view of who waits for whom, and with {@code --check} a health check for scripts. */
@Command(name = "status", sortOptions = false,
        description = {"Who waits for whom in this project, and what is stuck: each agent (client,",
                "online, busy/idle and for how long, unread messages, whom it waits for), each",
                "wait (a pending ask_peer or open action_required work) and its age, wait",
                "cycles (deadlocks), mail stranded on offline agents, old obligations."},
        footer = {"", "Exit codes: 0 shown (with --check: healthy), 1 failed, 2 usage, 3 no hub running.",
                "With --check, the first problem found, in this order:",
                "  5  a wait cycle (deadlock): A waits for B ... waits for A",
                "  6  mail stranded: unread messages to an agent that is offline",
                "  7  an obligation open longer than --max-obligation-age",
                "", "Examples:", "  huddle status", "  huddle status --check --max-obligation-age 10m || echo \"stuck: $?\"",
                "  huddle status --json | jq '.projects[].waits'"})
public final class StatusCommand implements Callable<Integer> {
    /** The default threshold for a stale obligation (as the hub's own default). */
    public static final Duration DEFAULT_MAX_OBLIGATION_AGE = Duration.ofMinutes(30);

    @Option(names = "--project", paramLabel = "PATH", description = "A directory of the project (default: the current directory).")
    String project;

    @Option(names = {"-a", "--all"}, description = "Every project.")
    boolean all;

    @Option(names = "--check", description = "Exit non-zero when something is stuck (codes below); with the report as usual.")
    boolean check;

    @Option(names = "--max-obligation-age", paramLabel = "DURATION",
            description = "An obligation open longer than this is stale: 90s, 30m, 2h, 500ms or ISO-8601 (default 30m).")
    String maxObligationAge;

    @Option(names = "--json", description = "The hub's report as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (all && project != null) {
            err.println("huddle status: use either --all or --project, not both");
            return Cli.EXIT_USAGE;
        }
        Duration maxAge = DEFAULT_MAX_OBLIGATION_AGE;
        if (maxObligationAge != null) {
            maxAge = parseDuration(maxObligationAge);
            if (maxAge == null) {
                err.println("huddle status: --max-obligation-age '" + maxObligationAge + "' is not a duration (try 90s, 30m, 2h or PT30M)");
                return Cli.EXIT_USAGE;
            }
        }
        Map<String, Object> args = new LinkedHashMap<>();
        if (all) args.put("all", true);
        if (project != null) args.put("project", Path.of(project).toAbsolutePath().normalize().toString());
        args.put("max_obligation_age_ms", maxAge.toMillis());
        // Never starts a hub: with none running nobody waits, and a check must not bring one up.
        HubClient.Outcome answer = Cli.client().callRunning("status", "status_report", args, err,
                "no hub is running, so no agent is connected (start an agent, or run `huddle doctor`).");
        if (answer.failed()) return answer.exit();
        Map<String, Object> r = answer.result();
        if (json) {
            out.println(MiniJson.write(r));
        } else {
            Integer width = LogCommand.terminalWidth();
            out.print(StatusView.render(r, TerminalStyle.detect(), width == null ? StatusView.DEFAULT_WIDTH : width));
        }
        out.flush();
        return check ? exitCode((List<Object>) r.getOrDefault("problems", List.of())) : 0;
    }

    /** The documented --check code of the first problem: deadlock 5, stranded mail 6, stale obligation 7; else 0. */
    static int exitCode(List<Object> problems) {
        if (problems.contains("deadlock")) return Cli.EXIT_DEADLOCK;
        if (problems.contains("stranded_mail")) return Cli.EXIT_STRANDED_MAIL;
        if (problems.contains("stale_obligation")) return Cli.EXIT_STALE_OBLIGATION;
        return 0;
    }

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");

    /** 500ms, 90s, 30m, 2h, 1d, a bare number of seconds, or ISO-8601 (PT30M); null when none of these or negative. */
    public static Duration parseDuration(String s) {
        String t = s.strip().toLowerCase(java.util.Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            Duration d = Duration.parse(s.strip().toUpperCase(java.util.Locale.ROOT));
            return d.isNegative() ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
