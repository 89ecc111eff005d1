package dev.huddle.cli;

import dev.huddle.client.HubConnector;

import dev.huddle.protocol.MiniJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
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

/**
 * {@code huddle read <agent>}: what {@code read_session} shows an agent, for the human: the agent's newest transcript
 * messages, or the screen of its own tmux pane. The human reads agents that opted out of being read by peers too
 * (the result says so): they are the user's own sessions.
 */
@Command(name = "read", sortOptions = false,
        description = {"Show what an agent of this project and its user have been saying: the newest messages of its",
                "transcript (Claude Code, Codex, Gemini CLI), or the screen of the tmux pane it runs in. AGENT is a session id,",
                "an id prefix (8+ characters), a name, or a tmux session name."},
        footer = {"", "Exit codes: 0 shown, 1 refused (unknown or ambiguous agent, nothing to read), 2 usage, 3 no hub running.", "",
                "Examples:", "  huddle read reviewer", "  huddle read 6f1c2a9e -n 5 --tools --timestamps",
                "  huddle read builder --mode pane", "  huddle read reviewer --json | jq -r '.messages[].text'"})
public final class ReadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "AGENT", description = "The agent to read.")
    String target;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
            description = "auto (the transcript if found, else the pane), transcript or pane (default ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "The newest N messages, 1 to 1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--max-bytes", paramLabel = "B", defaultValue = "24000",
            description = "At most B bytes of text, newest first, 256 to 1000000 (default ${DEFAULT-VALUE}).")
    int maxBytes;

    @Option(names = "--tools", description = "Show tool calls and the start of their results.")
    boolean tools;

    @Option(names = "--timestamps", description = "Show when each message was recorded.")
    boolean timestamps;

    @Option(names = "--pane-lines", paramLabel = "N", defaultValue = "240", description = "Pane mode: lines of history, 20 to 5000 (default ${DEFAULT-VALUE}).")
    int paneLines;

    @Option(names = "--pane-max-chars", paramLabel = "N", defaultValue = "20000",
            description = "Pane mode: at most N characters, the newest, 500 to 200000 (default ${DEFAULT-VALUE}).")
    int paneMaxChars;

    @Option(names = "--project", paramLabel = "PATH", description = "A directory of the project (default: the current directory).")
    String project;

    @Option(names = "--json", description = "The result as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("auto", "transcript", "pane").contains(mode)) return usage(err, "--mode must be auto, transcript or pane");
        if (limit < 1 || limit > 1000) return usage(err, "-n must be between 1 and 1000");
        if (maxBytes < 256 || maxBytes > 1_000_000) return usage(err, "--max-bytes must be between 256 and 1000000");
        if (paneLines < 20 || paneLines > 5000) return usage(err, "--pane-lines must be between 20 and 5000");
        if (paneMaxChars < 500 || paneMaxChars > 200_000) return usage(err, "--pane-max-chars must be between 500 and 200000");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("target", target);
        args.put("mode", mode);
        args.put("limit", limit);
        args.put("max_bytes", maxBytes);
        args.put("include_tools", tools);
        args.put("include_timestamps", timestamps);
        args.put("pane_lines", paneLines);
        args.put("pane_max_chars", paneMaxChars);
        if (project != null) args.put("project", Path.of(project).toAbsolutePath().normalize().toString());
        Map<String, Object> reply;
        try {
            reply = Cli.client().reply("read", args, false, 15_000);
        } catch (HubConnector.HubUnavailableException e) {
            err.println("huddle read: no hub is running, so no agent is registered to read (start an agent, or run `huddle doctor`).");
            return Cli.EXIT_HUB_NOT_RUNNING;
        } catch (IOException e) {
            err.println("huddle read: " + e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        if (!Boolean.TRUE.equals(reply.get("ok"))) {
            if (json) out.println(MiniJson.write(reply));
            out.flush();
            err.println("huddle read: " + reply.get("error") + ": " + reply.getOrDefault("message", ""));
            if (reply.get("hint") != null) err.println(reply.get("hint"));
            if ("target-not-found".equals(reply.get("error")) || "ambiguous-target".equals(reply.get("error"))) {
                err.println("huddle ps lists this project's agents with their handles and names.");
            }
            err.flush();
            return Cli.EXIT_FAILURE;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = reply.get("result") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (json) {
            out.println(MiniJson.write(result));
        } else {
            out.print(render(result, TerminalStyle.detect(), ZoneId.systemDefault(), LocalDate.now()));
        }
        out.flush();
        return 0;
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** What {@code huddle read} prints for a control {@code read} result (the dashboard's transcript view shows the same). */
    public static String render(Map<String, Object> r, boolean color) {
        return render(r, new TerminalStyle(color), ZoneId.systemDefault(), LocalDate.now());
    }

    /** The result as the human reads it: who, where from, then each message under a rule, or the pane's text. */
    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> r, TerminalStyle style, ZoneId zone, LocalDate today) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> peer = (Map<String, Object>) r.getOrDefault("peer", Map.of());
        String who = peer.get("name") == null ? String.valueOf(peer.get("handle")) : peer.get("name") + " (" + peer.get("handle") + ")";
        b.append(style.bold(who)).append(" · ").append(peer.get("client_type")).append(" · ")
                .append(Boolean.TRUE.equals(peer.get("online")) ? "online" : "offline");
        if (peer.get("activity") != null && !"unknown".equals(peer.get("activity"))) b.append(" · ").append(peer.get("activity"));
        b.append('\n');
        if (r.get("note") != null) b.append(style.dim("note: " + r.get("note"))).append('\n');
        if (r.get("clamped") instanceof Map<?, ?> c && !c.isEmpty()) b.append(style.dim("clamped: " + MiniJson.write(c))).append('\n');
        if ("pane".equals(r.get("mode"))) {
            Map<String, Object> pane = (Map<String, Object>) r.getOrDefault("pane", Map.of());
            if (r.get("fallback_reason") != null) b.append(style.dim(String.valueOf(r.get("fallback_reason")))).append('\n');
            b.append(style.dim("tmux pane " + pane.get("pane") + " of session " + pane.get("tmux_session") + " (window "
                    + pane.get("window") + "), last " + pane.get("lines") + " lines of history"
                    + (pane.get("truncated_chars") == null ? "" : ", " + pane.get("truncated_chars") + " earlier characters cut"))).append('\n');
            b.append(style.dim("─".repeat(40))).append('\n');
            String text = String.valueOf(pane.getOrDefault("text", ""));
            b.append(text);
            if (!text.endsWith("\n")) b.append('\n');
            return b.toString();
        }
        Map<String, Object> t = (Map<String, Object>) r.getOrDefault("transcript", Map.of());
        b.append(style.dim("transcript " + t.get("path") + " (" + ("reported".equals(t.get("source")) ? "reported by its hooks" : "computed")
                + ", " + size(t.get("size_bytes")) + ", modified " + age(t.get("age_s")) + " ago)")).append('\n');
        List<Object> messages = (List<Object>) r.getOrDefault("messages", List.of());
        Object total = r.get("total_messages");
        String of = Boolean.TRUE.equals(r.get("total_messages_exact")) ? "of " + total : "of about " + total;
        b.append(style.dim(messages.isEmpty() ? "no messages yet" : "the last " + messages.size() + " " + of + " messages"
                + (Boolean.TRUE.equals(r.get("bytes_truncated")) ? ", cut to fit the byte budget" : ""))).append('\n');
        for (Object o : messages) {
            Map<String, Object> m = (Map<String, Object>) o;
            b.append('\n').append(style.bold("── " + m.get("role")));
            if (m.get("timestamp") instanceof String ts) b.append("  ").append(style.dim(when(ts, zone, today)));
            b.append('\n');
            String text = String.valueOf(m.getOrDefault("text", ""));
            if (!text.isEmpty()) b.append(text).append(text.endsWith("\n") ? "" : "\n");
            for (Object c : (List<Object>) m.getOrDefault("tool_calls", List.of())) {
                Map<String, Object> call = (Map<String, Object>) c;
                b.append("   ▸ ").append(call.get("name")).append("  ").append(call.get("input")).append('\n');
                if (call.get("result") != null) {
                    b.append("     → ").append(call.get("result")).append(Boolean.TRUE.equals(call.get("is_error")) ? " (error)" : "").append('\n');
                }
            }
        }
        return b.toString();
    }

    private static String when(String iso, ZoneId zone, LocalDate today) {
        try {
            ZonedDateTime t = Instant.parse(iso).atZone(zone);
            return t.toLocalDate().equals(today) ? t.format(TIME) : t.format(DAY_TIME);
        } catch (RuntimeException e) {
            return iso;
        }
    }

    private static String size(Object bytes) {
        if (!(bytes instanceof Number n)) return "?";
        long v = n.longValue();
        return v < 10_000 ? v + " B" : v < 10_000_000 ? v / 1000 + " kB" : v / 1_000_000 + " MB";
    }

    private static String age(Object seconds) {
        if (!(seconds instanceof Number n)) return "?";
        long s = n.longValue();
        return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s < 172_800 ? s / 3600 + " h" : s / 86_400 + " days";
    }

    private int usage(PrintWriter err, String what) {
        err.println("huddle read: " + what);
        err.println("Usage: huddle read [--mode auto|transcript|pane] [-n N] [--tools] [--timestamps] [--json] AGENT");
        err.flush();
        return Cli.EXIT_USAGE;
    }
}
