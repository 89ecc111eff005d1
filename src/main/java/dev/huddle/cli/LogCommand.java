package dev.huddle.cli;

import dev.huddle.client.HubClient;
import dev.huddle.client.HubConnector;

import dev.huddle.protocol.MiniJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code huddle log}: the project's messages, oldest first, one readable line each (or JSON lines). With
 * {@code --follow} it keeps printing messages as they are committed: each request blocks in the hub until there is
 * news (push, no polling loop), then asks again from the last sequence number it printed.
 */
@Command(name = "log", sortOptions = false,
        description = {"Show the messages of this project: time, sender → recipient, kind (? ask, ↩ reply, work",
                "open/done/blocked), how it was delivered (tool, ask_reply, hook) or pending, and the first line of the body."},
        footer = {"", "Examples:", "  huddle log -n 20", "  huddle log --grep \"retry queue\"", "  huddle log --follow --json | jq .body"})
public final class LogCommand implements Callable<Integer> {
    /** How long one follow request waits in the hub for news before asking again. */
    static final long FOLLOW_WAIT_MS = 30_000;
    /** How long a follower tries to reach the hub again after it went away (a restart or handover), before giving up. */
    static final long RECONNECT_MS = 10_000;
    static final int DEFAULT_WIDTH = 100;

    @Option(names = "--project", paramLabel = "PATH", description = "A directory of the project (default: the current directory).")
    String project;

    @Option(names = {"-a", "--all"}, description = "Every project.")
    boolean all;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new messages as they are sent (Ctrl-C stops).")
    boolean follow;

    @Option(names = "--grep", paramLabel = "TEXT", description = "Only messages whose body contains TEXT (full-text search, as a phrase).")
    String grep;

    @Option(names = "--json", description = "One JSON object per message and line.")
    boolean json;

    @Option(names = "-n", paramLabel = "N", description = "Show the last N messages (default ${DEFAULT-VALUE}).", defaultValue = "50")
    int limit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (limit < 1 || limit > 1000) {
            err.println("huddle log: -n must be between 1 and 1000");
            return Cli.EXIT_USAGE;
        }
        if (all && project != null) {
            err.println("huddle log: use either --all or --project, not both");
            return Cli.EXIT_USAGE;
        }
        TerminalStyle style = json ? new TerminalStyle(false) : TerminalStyle.detect();
        Integer width = json ? null : terminalWidth();
        HubClient client = Cli.client();
        Map<String, Object> args = new LinkedHashMap<>();
        if (all) args.put("all", true);
        if (project != null) args.put("project", Path.of(project).toAbsolutePath().normalize().toString());
        if (grep != null && !grep.isBlank()) args.put("grep", grep);
        args.put("limit", limit);
        Map<String, Object> result;
        try {
            result = result(client.reply("log", args, true, 10_000));
        } catch (IOException e) {
            err.println("huddle log: " + e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        int shown = print(out, result, style, width);
        if (shown == 0 && !json && !follow) {
            String where = all ? "any project" : String.valueOf(result.get("project_root"));
            out.println(grep != null && !grep.isBlank() ? "no message in " + where + " matches \"" + grep + "\""
                    : "no messages yet in " + where);
        }
        out.flush();
        if (!follow) return 0;

        long last = ((Number) result.getOrDefault("last_seq", 0)).longValue();
        args.put("limit", 1000);
        args.put("wait_ms", FOLLOW_WAIT_MS);
        long unreachableSince = 0;
        while (!Thread.currentThread().isInterrupted()) {
            args.put("after_seq", last);
            try {
                // Never starts a hub: a follower must not bring back a hub the user stopped.
                result = result(client.reply("log", args, false, FOLLOW_WAIT_MS + 10_000));
                unreachableSince = 0;
            } catch (IOException e) {
                long now = System.currentTimeMillis();
                if (unreachableSince == 0) unreachableSince = now;
                if (now - unreachableSince > RECONNECT_MS) {
                    err.println("huddle log: the hub went away (" + e.getMessage() + "); stopped following");
                    return Cli.EXIT_FAILURE;
                }
                HubConnector.sleep(250); // the hub is restarting (handover): try again shortly
                continue;
            }
            print(out, result, style, width);
            out.flush();
            last = Math.max(last, ((Number) result.getOrDefault("last_seq", last)).longValue());
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(Map<String, Object> reply) throws IOException {
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            throw new IOException("hub answered: " + reply.getOrDefault("message", reply.get("error")));
        }
        return reply.get("result") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private int print(PrintWriter out, Map<String, Object> result, TerminalStyle style, Integer width) {
        List<Map<String, Object>> rows = (List<Map<String, Object>>) result.getOrDefault("messages", List.of());
        for (Map<String, Object> row : rows) {
            out.println(json ? MiniJson.write(row) : line(row, style, width, all));
        }
        return rows.size();
    }

    // ---------------------------------------------------------------- one line per message

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss");

    /**
     * One message of a control {@code log} result as a readable line (what {@code huddle log} prints; the demo
     * shows the same): {@code time  from → to  [marks]  body}.
     *
     * @param width the terminal's width to fit the line in, or null: then the body is cut at 100 characters
     */
    public static String line(Map<String, Object> row, boolean color, Integer width) {
        return line(row, new TerminalStyle(color), width, false);
    }

    static String line(Map<String, Object> row, TerminalStyle style, Integer width, boolean withProject) {
        String time = time(row.get("at"));
        String who = row.get("from") + " → " + row.get("to");
        String marks = "[" + String.join(" ", marks(row)) + "]";
        String project = withProject && row.get("project_root") != null
                ? Path.of(String.valueOf(row.get("project_root"))).getFileName() + "  " : "";
        String prefix = time + "  " + project + who + "  " + marks + "  ";
        int room = width == null ? DEFAULT_WIDTH : Math.max(20, width - prefix.codePointCount(0, prefix.length()));
        String body = firstLine(String.valueOf(row.getOrDefault("body", "")), room);
        return style.dim(time) + "  " + project + style.bold(who) + "  " + style.dim(marks) + "  " + body;
    }

    /** ? for an ask, ↩ for a reply, the obligation's state, then how it was delivered (or pending). */
    static List<String> marks(Map<String, Object> row) {
        List<String> m = new java.util.ArrayList<>();
        if (row.get("reply_to") != null) m.add("↩");
        else if (row.get("request_id") != null) m.add("?");
        if (row.containsKey("obligation")) m.add("work " + (row.get("obligation") == null ? "open" : row.get("obligation")));
        m.add(row.get("delivered") == null ? "pending" : "via " + row.get("delivered"));
        return m;
    }

    /** The body's first non-blank line, trimmed, cut to {@code room} characters (… marks anything left out). */
    static String firstLine(String body, int room) {
        List<String> lines = body.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String first = lines.isEmpty() ? "" : lines.getFirst();
        boolean more = lines.size() > 1;
        int cps = first.codePointCount(0, first.length());
        if (cps > room || (more && cps + 2 > room)) {
            int cut = Math.max(0, room - 1);
            return first.substring(0, first.offsetByCodePoints(0, Math.min(cut, cps))).stripTrailing() + "…";
        }
        return more ? first + " …" : first;
    }

    private static String time(Object at) {
        try {
            ZonedDateTime t = Instant.parse(String.valueOf(at)).atZone(ZoneId.systemDefault());
            return (t.toLocalDate().equals(LocalDate.now()) ? TIME : DAY_TIME).format(t);
        } catch (RuntimeException e) {
            return String.valueOf(at);
        }
    }

    /** The terminal's width: $COLUMNS, else {@code stty size} on the controlling terminal; null when not a terminal. */
    static Integer terminalWidth() {
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{1,4}") && Integer.parseInt(columns) > 0) return Integer.parseInt(columns);
        if (System.console() == null || !System.console().isTerminal()) return null;
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0 && s.matches("\\d+ \\d+")) {
                int cols = Integer.parseInt(s.substring(s.indexOf(' ') + 1));
                return cols > 0 ? cols : null;
            }
            p.destroy();
        } catch (IOException e) {
            // no stty
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
