package dev.huddle.tools.bench;

import dev.huddle.agents.claude.ClaudeTranscripts;
import dev.huddle.agents.transcript.TailBudget;
import dev.huddle.agents.transcript.Tail;
import dev.huddle.agents.transcript.TranscriptFormat;
import dev.huddle.agents.transcript.TranscriptLocator;
import dev.huddle.tools.aot.PrivateHub;
import dev.huddle.protocol.MiniJson;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The read figures of {@code huddle bench} (group {@code read}, issue 6): the last 20 messages of a Claude Code
 * transcript of 10 MB and of 1 GiB (64 MiB with {@code --quick}), generated in the real shape under the bench's
 * temporary directory and deleted afterwards:
 * <ol>
 *   <li>in process: locate the file (computed from HOME and the working directory), read the tail, fit it into the
 *       24,000-byte budget;</li>
 *   <li>{@code read_session} through the hub's MCP path (a socket session, as a front would speak), the peer bound
 *       by its {@code CLAUDE_CODE_SESSION_ID} and located from the HOME its front reported.</li>
 * </ol>
 * The page cache is warm (the file was just written), as it is for a transcript its client is writing.
 */
final class ReadBench {
    record Sizes(int calls, int warmups, long bigBytes) {
        static final Sizes FULL = new Sizes(100, 40, 1L << 30);
        static final Sizes QUICK = new Sizes(10, 3, 64L << 20);
    }

    static final long SMALL_BYTES = 10_000_000L;
    private static final long CALL_TIMEOUT_MS = 30_000;

    private final PrivateHub hub;
    private final Path root;
    private final Path project;
    private final Sizes sizes;
    private final PrintStream progress;
    private final Consumer<Figure> put;

    ReadBench(PrivateHub hub, Path root, Path project, boolean quick, PrintStream progress, Consumer<Figure> put) {
        this.hub = hub;
        this.root = root;
        this.project = project;
        this.sizes = quick ? Sizes.QUICK : Sizes.FULL;
        this.progress = progress;
        this.put = put;
    }

    void run() throws IOException {
        String reader = UUID.randomUUID().toString();
        try (McpSocketClient me = McpSocketClient.connect(hub.paths(),
                project.toString(), Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", reader), "claude-code")) {
            measure(me, SMALL_BYTES, "10mb", "10 MB", 5.0, 1);
            measure(me, sizes.bigBytes(), sizes.bigBytes() == 1L << 30 ? "1gib" : "64mib",
                    sizes.bigBytes() == 1L << 30 ? "1 GiB" : "64 MiB", 30.0, 2);
        }
    }

    private void measure(McpSocketClient me, long bytes, String id, String label, double target, int n) throws IOException {
        Path home = Files.createDirectories(root.resolve("read-home-" + id));
        String sid = UUID.randomUUID().toString();
        Path file = home.resolve(".claude/projects/" + ClaudeTranscripts.projectName(project.toString()) + "/" + sid + ".jsonl");
        Files.createDirectories(file.getParent());
        try {
            long t0 = System.nanoTime();
            long turns = write(file, bytes, sid, project.toString());
            long writeMs = (System.nanoTime() - t0) / 1_000_000;
            progress.println("bench: read: wrote a " + label + " Claude Code transcript (" + turns + " turns, " + Files.size(file)
                    + " bytes) in " + writeMs + " ms; the last 20 messages, " + sizes.calls() + " reads each way");

            Map<String, String> env = Map.of("HOME", home.toString());
            TranscriptFormat claude = ClaudeTranscripts.FORMAT;
            List<Double> lib = new ArrayList<>();
            double first = -1;
            for (int i = -sizes.warmups(); i < sizes.calls(); i++) {
                long s = System.nanoTime();
                var where = TranscriptLocator.locate(claude, sid, project.toString(), null, env);
                Tail tail = claude.tail(where.found().orElseThrow().file(), 20, false);
                TailBudget.Fitted fitted = TailBudget.fit(tail.messages(), 24_000);
                double ms = (System.nanoTime() - s) / 1e6;
                if (first < 0) first = ms;
                if (fitted.kept().size() != 20) throw new IOException("expected 20 messages, read " + fitted.kept().size());
                if (i >= 0) lib.add(ms);
            }
            put.accept(Figure.measured("read_tail_" + id + "_ms", "last 20 messages of a " + label + " transcript (in process)", "ms",
                    Stats.of(lib), target, "locate + read from the end + fit into 24000 bytes; first call " + round(first)
                            + " ms (cold code), then " + sizes.warmups() + " warm-ups"));

            // The peer: a Claude Code session whose front reported HOME; the transcript is found from it.
            try (McpSocketClient peer = McpSocketClient.connect(hub.paths(),
                    project.toString(), Map.of("CLAUDECODE", "1", "CLAUDE_CODE_SESSION_ID", sid, "HOME", home.toString()), "claude-code")) {
                String args = "{\"target\":" + MiniJson.write(sid) + "}";
                List<Double> rtt = new ArrayList<>();
                double firstCall = -1;
                for (int i = -sizes.warmups(); i < sizes.calls(); i++) {
                    long s = System.nanoTime();
                    Map<String, Object> r = me.tool("read_session", args, CALL_TIMEOUT_MS);
                    double ms = (System.nanoTime() - s) / 1e6;
                    if (firstCall < 0) firstCall = ms;
                    if (!Boolean.TRUE.equals(r.get("ok")) || !(r.get("count") instanceof Number c) || c.intValue() != 20) {
                        throw new IOException("read_session did not return 20 messages: " + MiniJson.write(r).substring(0, 400));
                    }
                    if (i >= 0) rtt.add(ms);
                }
                put.accept(Figure.measured("read_session_" + id + "_rtt_ms", "read_session, last 20 of a " + label + " transcript", "ms",
                        Stats.of(rtt), target, "through the hub's MCP path (socket session); the first call took " + round(firstCall) + " ms"));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /**
     * Writes turns in Claude Code's shape until the file reaches {@code bytes}: a typed prompt; a response written as
     * three lines sharing {@code message.id} (thinking, text, a Bash tool call); its tool result (4 KB of output,
     * twice, as {@code toolUseResult} repeats it); a final answer; a stop-hook summary, a progress record and a
     * file-history snapshot off the chain. Returns the number of turns.
     */
    static long write(Path file, long bytes, String sid, String cwd) throws IOException {
        String env = "\"userType\":\"external\",\"entrypoint\":\"cli\",\"cwd\":" + MiniJson.write(cwd) + ",\"sessionId\":\"" + sid
                + "\",\"version\":\"2.1.329\",\"gitBranch\":\"main\"";
        String output = ("PASSED tests/test_parser.py::test_header_" + "x".repeat(40) + "\\n").repeat(60);
        String usage = "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":2048,\"cache_read_input_tokens\":31337,\"output_tokens\":256}";
        long written = 0;
        long turn = 0;
        String parent = null;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            while (written < bytes) {
                turn++;
                String ts = "2026-11-21T10:00:00.000Z";
                StringBuilder b = new StringBuilder(16_384);
                String u = "u" + turn, a1 = "a" + turn + "-1", a2 = "a" + turn + "-2", a3 = "a" + turn + "-3", r = "r" + turn, f = "f" + turn, s = "s" + turn;
                String mid = "msg_" + turn, tool = "toolu_" + turn;
                b.append("{\"parentUuid\":").append(parent == null ? "null" : "\"" + parent + "\"").append(",\"isSidechain\":false,\"type\":\"user\",")
                        .append("\"message\":{\"role\":\"user\",\"content\":\"Turn ").append(turn)
                        .append(": run the parser tests again and fix whatever fails, then tell me what changed.\"},\"uuid\":\"").append(u)
                        .append("\",\"timestamp\":\"").append(ts).append("\",\"promptSource\":\"typed\",").append(env).append("}\n");
                assistant(b, u, a1, mid, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"" + "Eq".repeat(150) + "\"}", usage, env, ts);
                assistant(b, a1, a2, mid, "{\"type\":\"text\",\"text\":\"I'll run the tests first to see what fails in turn " + turn + ".\"}", usage, env, ts);
                assistant(b, a2, a3, mid, "{\"type\":\"tool_use\",\"id\":\"" + tool + "\",\"name\":\"Bash\",\"input\":{\"command\":\"pytest -q tests/\",\"description\":\"Run the tests\"}}", usage, env, ts);
                b.append("{\"parentUuid\":\"").append(a3).append("\",\"isSidechain\":false,\"type\":\"progress\",\"data\":{\"type\":\"hook_progress\"},\"uuid\":\"p")
                        .append(turn).append("\",\"timestamp\":\"").append(ts).append("\",").append(env).append("}\n");
                b.append("{\"parentUuid\":\"").append(a3).append("\",\"isSidechain\":false,\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":\"")
                        .append(tool).append("\",\"type\":\"tool_result\",\"content\":\"").append(output).append("\",\"is_error\":false}]},\"uuid\":\"").append(r)
                        .append("\",\"timestamp\":\"").append(ts).append("\",\"toolUseResult\":{\"stdout\":\"").append(output)
                        .append("\",\"stderr\":\"\",\"interrupted\":false,\"isImage\":false},\"sourceToolAssistantUUID\":\"").append(a3).append("\",")
                        .append(env).append("}\n");
                assistant(b, r, f, "msg_" + turn + "b", "{\"type\":\"text\",\"text\":\"All 60 tests pass now; the header parser was off by one in turn " + turn + ".\"}", usage, env, ts);
                b.append("{\"parentUuid\":\"").append(f).append("\",\"isSidechain\":false,\"type\":\"system\",\"subtype\":\"stop_hook_summary\",\"content\":\"\",\"uuid\":\"")
                        .append(s).append("\",\"timestamp\":\"").append(ts).append("\",\"level\":\"info\",").append(env).append("}\n");
                b.append("{\"type\":\"file-history-snapshot\",\"messageId\":\"").append(u).append("\",\"snapshot\":{\"messageId\":\"").append(u)
                        .append("\",\"trackedFileBackups\":{\"src/parser.py\":{\"backupFileName\":\"").append("b".repeat(40))
                        .append("\",\"version\":").append(turn).append("}},\"timestamp\":\"").append(ts).append("\"},\"isSnapshotUpdate\":false}\n");
                parent = s;
                byte[] chunk = b.toString().getBytes(StandardCharsets.UTF_8);
                out.write(chunk);
                written += chunk.length;
            }
        }
        return turn;
    }

    private static void assistant(StringBuilder b, String parent, String uuid, String mid, String block, String usage, String env, String ts) {
        b.append("{\"parentUuid\":\"").append(parent).append("\",\"isSidechain\":false,\"message\":{\"model\":\"claude-opus-4-5\",\"id\":\"")
                .append(mid).append("\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[").append(block)
                .append("],\"stop_reason\":null,\"stop_sequence\":null,").append(usage).append("},\"requestId\":\"req_").append(mid)
                .append("\",\"type\":\"assistant\",\"uuid\":\"").append(uuid).append("\",\"timestamp\":\"").append(ts).append("\",")
                .append(env).append("}\n");
    }
}
