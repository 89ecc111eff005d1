package dev.huddle.tools.demo;

import dev.huddle.protocol.Printable;
import dev.huddle.protocol.tools.Views;
import dev.huddle.tools.ToolViews;

import dev.huddle.tools.demo.SimulatedAgent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated Codex session for the demo's waking step, run as the program of a real tmux pane. Like a terminal
 * agent without hooks it does nothing until a line is submitted at its {@code › } prompt; then it reads its
 * messages with {@code read_my_messages} and answers each with {@code reply_to_message}, as a model told "new
 * messages are waiting" would. Its {@code huddle mcp} front is a child of this process, so the pane's process
 * tree proves where the agent runs, exactly as for a real client. The terminal is in ordinary line mode.
 *
 * <p>Usage: {@code java -cp huddle.jar dev.huddle.tools.demo.PaneAgent <jar> <huddle home> <cwd> <thread id> <name> <answer> [<log>]}.
 * With a log file, it appends {@code ready} once at its prompt and, per submitted line, the wall-clock time in
 * microseconds it arrived (for the wake benchmark).
 * TMUX and TMUX_PANE are passed on to the front, as Codex does with huddle setup's {@code env_vars}.
 */
public final class PaneAgent {
    static final String PROMPT = "› ";

    private PaneAgent() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (args.length != 6 && args.length != 7) {
            out.println("usage: PaneAgent <jar> <huddle home> <cwd> <thread id> <name> <answer> [<log>]");
            System.exit(2);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("TMUX", "TMUX_PANE")) {
            String v = System.getenv(k);
            if (v != null) env.put(k, v);
        }
        String thread = args[3];
        try (SimulatedAgent agent = SimulatedAgent.startInThisTerminal(new SimulatedAgent.Spec(Path.of(args[0]), Path.of(args[1]),
                Path.of(args[2]), "codex-mcp-client", "demo", env))) {
            Map<String, Object> meta = Map.of("threadId", thread);
            agent.tool("set_my_state", Map.of("name", args[4], "purpose", "Runs the nightly build; idle at its prompt"), meta,
                    Views.SetStateResult.class);
            out.println(args[4] + ": a simulated Codex session without hooks, idle at its prompt (nothing polls)");
            out.print(PROMPT);
            out.flush();
            Path log = args.length == 7 ? Path.of(args[6]) : null;
            if (log != null) append(log, "ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (log != null) append(log, "line " + micros() + " " + line.length());
                if (!line.isBlank()) answer(agent, meta, args[5], out);
                out.print(PROMPT);
                out.flush();
            }
        }
    }

    /** Wall-clock microseconds: comparable across processes on one machine. */
    public static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static void append(Path log, String line) throws java.io.IOException {
        java.nio.file.Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static void answer(SimulatedAgent agent, Map<String, Object> meta, String answer, PrintStream out) {
        List<Views.InboxMessage> messages = agent.tool("read_my_messages", Map.of(), meta, Views.ReadResult.class).messages();
        out.println("  read_my_messages → " + messages.size() + " message(s)");
        for (Views.InboxMessage m : messages) {
            out.println("  from " + Printable.line(m.from() == null ? "the human" : m.from().name()) + ": " + Printable.line(m.body()));
            if (m.from() == null) continue;
            try {
                Views.ReplyResult sent = agent.tool("reply_to_message", Map.of("message_id", m.id(), "body", answer), meta, Views.ReplyResult.class);
                out.println("  reply_to_message → sent " + sent.messageId());
            } catch (ToolViews.ToolFailed f) {
                out.println("  reply_to_message → " + Printable.line(String.valueOf(f.result())));
            }
        }
    }
}
