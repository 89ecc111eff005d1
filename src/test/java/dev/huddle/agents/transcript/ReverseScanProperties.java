package dev.huddle.agents.transcript;

import dev.huddle.agents.claude.ClaudeTranscript;
import dev.huddle.agents.codex.CodexRollout;
import dev.huddle.agents.gemini.GeminiChat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterTry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reverse scan returns exactly what a forward parse of the same file returns: the newest {@code limit}
 * messages, whether there are more, and (when it says it knows) the total. Files are generated in each format from
 * a list of choices: chains with branches, compactions, side chains, multi-line responses, tool calls, rewinds,
 * snapshots, garbage, invalid UTF-8 and torn last lines; read with chunk sizes small enough to split every line.
 */
class ReverseScanProperties {
    private Path file;

    @AfterTry
    void cleanUp() throws IOException {
        if (file != null) Files.deleteIfExists(file);
    }

    @Provide
    Arbitrary<List<Integer>> choices() {
        return Arbitraries.integers().between(0, 1_000).list().ofMinSize(0).ofMaxSize(160);
    }

    @Property(tries = 300)
    void claudeCode(@ForAll("choices") List<Integer> choices, @ForAll @IntRange(min = 1, max = 25) int limit,
                    @ForAll @IntRange(min = 16, max = 400) int chunk, @ForAll boolean tools, @ForAll boolean countAll) throws IOException {
        file = write(ClaudeGen.build(choices));
        List<TranscriptMessage> all = ClaudeTranscript.readAll(file, tools);
        Tail tail;
        try (ReverseLineReader r = ReverseLineReader.open(file, chunk, ReverseLineReader.MAX_LINE_BYTES)) {
            tail = ClaudeTranscript.tail(r, limit, tools, countAll ? Tail.COUNT_ALL_BELOW_BYTES : 0);
        }
        agree(tail, all, limit);
    }

    @Property(tries = 300)
    void codex(@ForAll("choices") List<Integer> choices, @ForAll @IntRange(min = 1, max = 25) int limit,
               @ForAll @IntRange(min = 16, max = 400) int chunk, @ForAll boolean tools, @ForAll boolean eventsOnly, @ForAll boolean countAll) throws IOException {
        file = write(CodexGen.build(choices, eventsOnly));
        List<TranscriptMessage> all = CodexRollout.readAll(file, tools);
        Tail tail;
        try (ReverseLineReader r = ReverseLineReader.open(file, chunk, ReverseLineReader.MAX_LINE_BYTES)) {
            tail = CodexRollout.tail(r, limit, tools, countAll ? Tail.COUNT_ALL_BELOW_BYTES : 0);
        }
        agree(tail, all, limit);
    }

    @Property(tries = 300)
    void gemini(@ForAll("choices") List<Integer> choices, @ForAll @IntRange(min = 1, max = 25) int limit,
                @ForAll @IntRange(min = 16, max = 400) int chunk, @ForAll boolean tools, @ForAll boolean countAll) throws IOException {
        file = write(GeminiGen.build(choices));
        List<TranscriptMessage> all = GeminiChat.readAll(file, tools);
        Tail tail;
        try (ReverseLineReader r = ReverseLineReader.open(file, chunk, ReverseLineReader.MAX_LINE_BYTES)) {
            tail = GeminiChat.tail(r, limit, tools, countAll ? Tail.COUNT_ALL_BELOW_BYTES : 0);
        }
        agree(tail, all, limit);
    }

    @Property(tries = 300)
    void linesBackwardAreLinesForward(@ForAll("choices") List<Integer> choices, @ForAll @IntRange(min = 16, max = 200) int chunk) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c : choices) {
            switch (c % 6) {
                case 0 -> b.append('\n');
                case 1 -> b.append("\r\n");
                case 2 -> b.append("x".repeat(c % 300));
                case 3 -> b.append("é€𝄞");
                default -> b.append("line").append(c);
            }
        }
        file = Files.createTempFile("huddle-lines", ".jsonl");
        byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        List<String> backward = new ArrayList<>();
        try (ReverseLineReader r = ReverseLineReader.open(file, chunk, ReverseLineReader.MAX_LINE_BYTES)) {
            while (r.next()) backward.addFirst(r.text());
            assertThat(r.atStart()).isTrue();
            assertThat(r.bytesScanned()).isEqualTo(bytes.length);
        }
        List<String> forward = Lines.forward(bytes).stream().map(l -> new String(l, StandardCharsets.UTF_8)).toList();
        assertThat(backward).isEqualTo(forward);
    }

    private static void agree(Tail tail, List<TranscriptMessage> all, int limit) {
        List<TranscriptMessage> expected = all.subList(Math.max(0, all.size() - limit), all.size());
        assertThat(tail.messages()).isEqualTo(expected);
        assertThat(tail.more()).isEqualTo(all.size() > limit);
        if (tail.totalExact()) assertThat(tail.total()).isEqualTo(all.size());
        assertThat(tail.estimatedTotal()).isGreaterThanOrEqualTo(tail.messages().size());
    }

    private static Path write(byte[] content) throws IOException {
        Path p = Files.createTempFile("huddle-scan", ".jsonl");
        Files.write(p, content);
        return p;
    }

    /** Reads choices one at a time; 0 when they run out. */
    static final class Choices {
        private final Iterator<Integer> it;

        Choices(List<Integer> list) {
            this.it = list.iterator();
        }

        boolean more() {
            return it.hasNext();
        }

        int next(int bound) {
            return it.hasNext() ? it.next() % bound : 0;
        }
    }

    static String json(Object o) {
        return TranscriptJson.compact(TranscriptJson.JSON.valueToTree(o));
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** A line in the file: JSON, or raw bytes (garbage, invalid UTF-8). */
    static final class FileBuilder {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        void line(Object json) {
            raw(json(json).getBytes(StandardCharsets.UTF_8));
        }

        void raw(byte[] b) {
            out.writeBytes(b);
            out.write('\n');
        }

        /** Noise every format must skip: garbage, a JSON array, a line with invalid UTF-8 inside a string. */
        void noise(int kind, Object validRecordWithBadBytes) {
            switch (kind) {
                case 0 -> raw("not json at all {".getBytes(StandardCharsets.UTF_8));
                case 1 -> raw("[1,2,3]".getBytes(StandardCharsets.UTF_8));
                default -> {
                    byte[] b = json(validRecordWithBadBytes).getBytes(StandardCharsets.UTF_8);
                    String s = new String(b, StandardCharsets.ISO_8859_1).replace("BAD", "\u00ff\u00fe");
                    raw(s.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }

        byte[] bytes(boolean torn) {
            if (torn) out.writeBytes("{\"type\":\"assistant\",\"uuid\":\"torn\",\"message\":{\"content\":\"half".getBytes(StandardCharsets.UTF_8));
            return out.toByteArray();
        }
    }

    // ---- Claude Code ----

    static final class ClaudeGen {
        static byte[] build(List<Integer> list) {
            Choices c = new Choices(list);
            FileBuilder f = new FileBuilder();
            List<String> chain = new ArrayList<>(); // uuids of the current thread, oldest first
            int n = 0;
            int tool = 0;
            String leaf = null;
            while (c.more()) {
                int op = c.next(12);
                String uuid = "u" + (n++);
                String ts = "2026-11-21T10:" + String.format("%02d:%02d", (n / 60) % 60, n % 60) + ".000Z";
                switch (op) {
                    case 0, 1 -> { // the user types
                        f.line(map("parentUuid", leaf, "isSidechain", false, "type", "user", "uuid", uuid, "timestamp", ts,
                                "message", map("role", "user", "content", c.next(2) == 0 ? "typed " + n : List.of(map("type", "text", "text", "typed " + n)))));
                        leaf = uuid;
                    }
                    case 2, 3, 4 -> { // one response over 1-3 lines, maybe with tool calls and their results after
                        String mid = "msg_" + n;
                        int lines = 1 + c.next(3);
                        List<String> uses = new ArrayList<>();
                        for (int i = 0; i < lines; i++) {
                            String u = i == 0 ? uuid : "u" + (n++);
                            Object block = switch (c.next(3)) {
                                case 0 -> map("type", "thinking", "thinking", "", "signature", "x");
                                case 1 -> map("type", "text", "text", "answer " + n);
                                default -> {
                                    String id = "toolu_" + (tool++);
                                    uses.add(id);
                                    yield map("type", "tool_use", "id", id, "name", "Bash", "input", map("command", "echo " + n));
                                }
                            };
                            f.line(map("parentUuid", leaf, "isSidechain", false, "type", "assistant", "uuid", u, "timestamp", ts,
                                    "message", map("id", mid, "role", "assistant", "content", List.of(block))));
                            leaf = u;
                        }
                        for (String id : uses) {
                            if (c.next(4) == 0) continue; // interrupted: no result
                            String u = "u" + (n++);
                            f.line(map("parentUuid", leaf, "isSidechain", false, "type", "user", "uuid", u, "timestamp", ts,
                                    "message", map("role", "user", "content", List.of(map("type", "tool_result", "tool_use_id", id,
                                            "content", "out " + n, "is_error", c.next(2) == 0)))));
                            leaf = u;
                        }
                    }
                    case 5 -> { // records on the chain that are not messages
                        Object rec = switch (c.next(3)) {
                            case 0 -> map("parentUuid", leaf, "isSidechain", false, "type", "system", "subtype", "stop_hook_summary", "uuid", uuid, "timestamp", ts);
                            case 1 -> map("parentUuid", leaf, "isSidechain", false, "type", "user", "isMeta", true, "uuid", uuid, "timestamp", ts,
                                    "message", map("role", "user", "content", "Caveat: meta"));
                            default -> map("parentUuid", leaf, "isSidechain", false, "type", "attachment", "uuid", uuid, "timestamp", ts,
                                    "attachment", map("type", "queued_command", "prompt", "later"));
                        };
                        f.line(rec);
                        leaf = uuid;
                    }
                    case 6 -> { // off the chain: progress, a side chain, records without uuid
                        switch (c.next(3)) {
                            case 0 -> f.line(map("parentUuid", leaf, "isSidechain", false, "type", "progress", "uuid", uuid, "timestamp", ts));
                            case 1 -> f.line(map("parentUuid", null, "isSidechain", true, "type", "user", "uuid", uuid, "timestamp", ts,
                                    "message", map("role", "user", "content", "SIDECHAIN")));
                            default -> f.line(map("type", "queue-operation", "operation", "enqueue", "content", "x"));
                        }
                    }
                    case 7 -> { // rewind: continue from an earlier record of the thread
                        if (!chain.isEmpty()) leaf = chain.get(c.next(chain.size()));
                    }
                    case 8 -> { // compaction
                        if (leaf == null) break;
                        f.line(map("parentUuid", null, "logicalParentUuid", leaf, "isSidechain", false, "type", "system",
                                "subtype", "compact_boundary", "uuid", uuid, "timestamp", ts));
                        String s = "u" + (n++);
                        f.line(map("parentUuid", uuid, "isSidechain", false, "type", "user", "isCompactSummary", true, "uuid", s,
                                "timestamp", ts, "message", map("role", "user", "content", "summary " + n)));
                        leaf = s;
                    }
                    case 9 -> f.noise(c.next(3), map("parentUuid", leaf, "isSidechain", false, "type", "user", "uuid", uuid,
                            "timestamp", ts, "message", map("role", "user", "content", "bytes BAD here")));
                    case 10 -> f.line(map("type", "summary", "summary", "title", "leafUuid", leaf));
                    default -> { // user text with markup that is cleaned or dropped
                        String text = switch (c.next(3)) {
                            case 0 -> "<system-reminder>x</system-reminder>";
                            case 1 -> "<command-name>/clear</command-name><command-args></command-args>";
                            default -> "<local-command-stdout>ok</local-command-stdout>";
                        };
                        f.line(map("parentUuid", leaf, "isSidechain", false, "type", "user", "uuid", uuid, "timestamp", ts,
                                "message", map("role", "user", "content", text)));
                        leaf = uuid;
                    }
                }
                if (leaf != null && !chain.contains(leaf)) chain.add(leaf);
            }
            return f.bytes(list.size() % 3 == 0);
        }
    }

    // ---- Codex ----

    static final class CodexGen {
        static byte[] build(List<Integer> list, boolean eventsOnly) {
            Choices c = new Choices(list);
            FileBuilder f = new FileBuilder();
            f.line(map("timestamp", "2026-11-21T11:00:00.000Z", "type", "session_meta", "payload", map("id", "t", "cwd", "/x")));
            int n = 0;
            List<String> calls = new ArrayList<>();
            while (c.more()) {
                n++;
                String ts = "2026-11-21T11:" + String.format("%02d:%02d", (n / 60) % 60, n % 60) + ".000Z";
                switch (c.next(10)) {
                    case 0, 1 -> {
                        String text = switch (c.next(4)) {
                            case 0 -> "<environment_context>\n<cwd>/x</cwd>\n</environment_context>";
                            case 1 -> "# AGENTS.md instructions for /x\n<INSTRUCTIONS>\nhi\n</INSTRUCTIONS>";
                            default -> "please do " + n;
                        };
                        if (!eventsOnly) f.line(item(ts, "response_item", map("type", "message", "role", "user",
                                "content", List.of(map("type", "input_text", "text", text)))));
                        if (text.startsWith("please")) f.line(item(ts, "event_msg", map("type", "user_message", "message", text)));
                    }
                    case 2, 3 -> {
                        if (!eventsOnly) f.line(item(ts, "response_item", map("type", "message", "role", "assistant",
                                "content", List.of(map("type", "output_text", "text", c.next(5) == 0 ? "" : "done " + n)))));
                        f.line(item(ts, "event_msg", map("type", "agent_message", "message", "done " + n)));
                    }
                    case 4 -> {
                        String id = "call_" + n;
                        calls.add(id);
                        f.line(item(ts, "response_item", c.next(2) == 0
                                ? map("type", "function_call", "name", "shell", "arguments", "{\"command\":\"ls " + n + "\"}", "call_id", id)
                                : map("type", "custom_tool_call", "name", "apply_patch", "input", "*** Begin Patch " + n, "call_id", id)));
                    }
                    case 5 -> {
                        if (calls.isEmpty()) break;
                        String id = calls.get(c.next(calls.size()));
                        f.line(item(ts, "response_item", map("type", "function_call_output", "call_id", id, "output", "out " + n)));
                    }
                    case 6 -> f.line(item(ts, "response_item", map("type", "message", "role", "developer",
                            "content", List.of(map("type", "input_text", "text", "<permissions instructions>x</permissions instructions>")))));
                    case 7 -> f.line(item(ts, "compacted", map("message", "summary " + n)));
                    case 8 -> f.line(item(ts, c.next(2) == 0 ? "turn_context" : "event_msg", map("type", "token_count")));
                    default -> f.noise(c.next(3), eventsOnly
                            ? item(ts, "event_msg", map("type", "user_message", "message", "bytes BAD here"))
                            : item(ts, "response_item", map("type", "message", "role", "user",
                            "content", List.of(map("type", "input_text", "text", "bytes BAD here")))));
                }
            }
            return f.bytes(list.size() % 4 == 1);
        }

        private static Object item(String ts, String type, Object payload) {
            return map("timestamp", ts, "type", type, "payload", payload);
        }
    }

    // ---- Gemini ----

    static final class GeminiGen {
        static byte[] build(List<Integer> list) {
            Choices c = new Choices(list);
            FileBuilder f = new FileBuilder();
            f.line(map("sessionId", "s", "projectHash", "p", "startTime", "2026-11-21T12:00:00.000Z", "kind", "main"));
            Map<String, Object> current = new LinkedHashMap<>(); // the list as the CLI holds it
            int n = 0;
            while (c.more()) {
                n++;
                String ts = "2026-11-21T12:" + String.format("%02d:%02d", (n / 60) % 60, n % 60) + ".000Z";
                switch (c.next(9)) {
                    case 0, 1 -> put(f, current, "m" + n, map("id", "m" + n, "timestamp", ts, "type", "user",
                            "content", c.next(4) == 0 ? "<session_context>ctx</session_context>" : List.of(map("text", "ask " + n))));
                    case 2, 3 -> put(f, current, "m" + n, map("id", "m" + n, "timestamp", ts, "type", "gemini",
                            "content", List.of(map("text", "answer " + n))));
                    case 4 -> { // the CLI re-appends its last message with tool calls added
                        if (current.isEmpty()) break;
                        String last = new ArrayList<>(current.keySet()).getLast();
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) current.get(last));
                        m.put("toolCalls", List.of(map("id", "tc" + n, "name", "run_shell_command", "args", map("command", "ls"),
                                "status", c.next(2) == 0 ? "success" : "error", "resultDisplay", "out " + n)));
                        put(f, current, last, m);
                    }
                    case 5 -> put(f, current, "m" + n, map("id", "m" + n, "timestamp", ts, "type", "info", "content", "note"));
                    case 6 -> { // rewind to a message the list has (or, rarely, one it does not)
                        List<String> ids = new ArrayList<>(current.keySet());
                        String to = ids.isEmpty() || c.next(8) == 0 ? "nope" + n : ids.get(c.next(ids.size()));
                        f.line(map("$rewindTo", to));
                        boolean found = false;
                        for (var it = current.keySet().iterator(); it.hasNext(); ) {
                            if (it.next().equals(to)) found = true;
                            if (found) it.remove();
                        }
                        if (!found) current.clear();
                    }
                    case 7 -> {
                        if (c.next(2) == 0) f.line(map("$set", map("lastUpdated", ts)));
                        else f.line(map("$set", map("messages", new ArrayList<>(current.values()), "lastUpdated", ts)));
                    }
                    default -> {
                        Map<String, Object> bad = map("id", "bad" + n, "type", "user", "content", "bytes BAD here");
                        f.noise(c.next(3), bad);
                        current.put("bad" + n, bad); // the CLI wrote it; a line that is not JSON leaves no trace
                    }
                }
            }
            return f.bytes(list.size() % 5 == 2);
        }

        private static void put(FileBuilder f, Map<String, Object> current, String id, Map<String, Object> m) {
            f.line(m);
            current.put(id, m);
        }
    }
}
