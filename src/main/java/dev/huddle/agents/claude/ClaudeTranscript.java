package dev.huddle.agents.claude;

import dev.huddle.agents.transcript.Lines;
import dev.huddle.agents.transcript.ReverseLineReader;
import dev.huddle.agents.transcript.Tail;
import dev.huddle.agents.transcript.ToolCall;
import dev.huddle.agents.transcript.ToolText;
import dev.huddle.agents.transcript.TranscriptJson;
import dev.huddle.agents.transcript.TranscriptMessage;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claude Code session files ({@code ~/.claude/projects/<project>/<session>.jsonl}; agent-platforms.md §2).
 *
 * <p>The conversation is the {@code parentUuid} chain from the newest record back to its root, not the file's
 * order: a rewind leaves an abandoned branch in the file, and a compaction starts a new root (a {@code system}
 * {@code compact_boundary} record) whose {@code logicalParentUuid} continues the chain before it; the summary the
 * compaction wrote is shown as a {@code summary} message. One API response is written as several {@code assistant}
 * lines (one content block each) that share {@code message.id}: they are one message. Side chains
 * ({@code isSidechain}: subagents), meta records ({@code isMeta}), system, attachment, progress and queue records
 * are not messages; {@code <system-reminder>} text and local command output are dropped from user text.
 *
 * <p>What huddle's hooks delivered is shown as role {@code huddle}, the frame alone: a Stop or PreToolUse hook's
 * {@code additionalContext} (an {@code attachment} of type {@code hook_additional_context}), the turn a rewake hook
 * started (a {@code user} record of origin {@code task-notification} whose reminder holds the frame), and the
 * {@code Stop hook feedback} meta record older huddle versions caused with {@code decision: "block"}.
 */
public final class ClaudeTranscript {
    private ClaudeTranscript() {}

    /** What one line contributes. Records without a uuid (summaries, titles, queue operations) are null. */
    record Rec(String uuid, String parent, String logicalParent, Kind kind, String messageId, Instant timestamp,
               String text, List<Use> uses, Map<String, Result> results) {}

    enum Kind { ASSISTANT, USER, SUMMARY, HUDDLE, OTHER }

    record Use(String id, String name, String input) {}

    record Result(String text, Boolean error) {}

    private static final Pattern SYSTEM_REMINDER = Pattern.compile("<system-reminder>.*?</system-reminder>", Pattern.DOTALL);
    private static final Pattern LOCAL_OUTPUT = Pattern.compile(
            "<(local-command-stdout|local-command-stderr|local-command-caveat|bash-stdout|bash-stderr)>.*?</\\1>", Pattern.DOTALL);
    private static final Pattern COMMAND_NAME = Pattern.compile("<command-name>(.*?)</command-name>", Pattern.DOTALL);
    private static final Pattern COMMAND_ARGS = Pattern.compile("<command-args>(.*?)</command-args>", Pattern.DOTALL);
    private static final Pattern BASH_INPUT = Pattern.compile("<bash-input>(.*?)</bash-input>", Pattern.DOTALL);

    /** A line that is a record, but not one of the conversation's chain (a title, a queue operation, a side chain). */
    static final Rec NOT_ON_CHAIN = new Rec(null, null, null, Kind.OTHER, null, null, "", List.of(), Map.of());

    /** Parses one line: null when it is not a JSON object, {@link #NOT_ON_CHAIN} when it has no place on a chain. */
    static Rec parse(byte[] bytes, int offset, int length) {
        JsonNode n = TranscriptJson.object(bytes, offset, length);
        if (n == null) return null;
        String uuid = TranscriptJson.str(n, "uuid");
        if (uuid == null || uuid.isEmpty() || TranscriptJson.isTrue(n, "isSidechain")) return NOT_ON_CHAIN;
        String type = TranscriptJson.str(n, "type");
        String parent = TranscriptJson.str(n, "parentUuid");
        String logical = "system".equals(type) && "compact_boundary".equals(TranscriptJson.str(n, "subtype"))
                ? TranscriptJson.str(n, "logicalParentUuid") : null;
        Instant ts = TranscriptJson.time(n, "timestamp");
        JsonNode message = n.get("message");
        JsonNode content = message == null ? null : message.get("content");
        if ("assistant".equals(type) && message != null) {
            StringBuilder text = new StringBuilder();
            List<Use> uses = new ArrayList<>();
            if (content != null && content.isString()) text.append(content.stringValue());
            if (content != null && content.isArray()) {
                for (JsonNode b : content) {
                    String bt = TranscriptJson.str(b, "type");
                    if ("text".equals(bt)) {
                        String t = TranscriptJson.str(b, "text");
                        if (t != null && !t.isBlank()) append(text, t);
                    } else if ("tool_use".equals(bt) || "server_tool_use".equals(bt)) {
                        uses.add(new Use(TranscriptJson.str(b, "id"), TranscriptJson.str(b, "name"), ToolText.input(b.get("input"))));
                    }
                }
            }
            return new Rec(uuid, parent, logical, Kind.ASSISTANT, TranscriptJson.str(message, "id"), ts, text.toString(), uses, Map.of());
        }
        if ("attachment".equals(type)) {
            String delivered = ClaudeDelivered.additionalContext(n.get("attachment"));
            return new Rec(uuid, parent, logical, delivered == null ? Kind.OTHER : Kind.HUDDLE, null, ts,
                    delivered == null ? "" : delivered, List.of(), Map.of());
        }
        if ("user".equals(type) && message != null && TranscriptJson.isTrue(n, "isMeta")) {
            String delivered = ClaudeDelivered.stopFeedback(content);
            return new Rec(uuid, parent, logical, delivered == null ? Kind.OTHER : Kind.HUDDLE, null, ts,
                    delivered == null ? "" : delivered, List.of(), Map.of());
        }
        if ("user".equals(type) && message != null && "task-notification".equals(TranscriptJson.str(n.get("origin"), "kind"))) {
            String delivered = ClaudeDelivered.notification(content);
            if (delivered != null) return new Rec(uuid, parent, logical, Kind.HUDDLE, null, ts, delivered, List.of(), Map.of());
        }
        if ("user".equals(type) && message != null && !TranscriptJson.isTrue(n, "isMeta")) {
            StringBuilder text = new StringBuilder();
            Map<String, Result> results = new LinkedHashMap<>();
            if (content != null && content.isString()) text.append(content.stringValue());
            if (content != null && content.isArray()) {
                for (JsonNode b : content) {
                    String bt = TranscriptJson.str(b, "type");
                    if ("text".equals(bt)) {
                        String t = TranscriptJson.str(b, "text");
                        if (t != null) append(text, t);
                    } else if ("image".equals(bt)) {
                        append(text, "[image]");
                    } else if ("document".equals(bt)) {
                        append(text, "[document]");
                    } else if ("tool_result".equals(bt)) {
                        String id = TranscriptJson.str(b, "tool_use_id");
                        if (id != null) {
                            JsonNode err = b.get("is_error");
                            results.put(id, new Result(ToolText.result(ToolText.resultText(b.get("content"))),
                                    err != null && err.isBoolean() ? err.asBoolean() : null));
                        }
                    }
                }
            }
            if (TranscriptJson.isTrue(n, "isCompactSummary")) {
                return new Rec(uuid, parent, logical, Kind.SUMMARY, null, ts, text.toString().strip(), List.of(), results);
            }
            return new Rec(uuid, parent, logical, Kind.USER, null, ts, cleanUserText(text.toString()), List.of(), results);
        }
        return new Rec(uuid, parent, logical, Kind.OTHER, null, ts, "", List.of(), Map.of());
    }

    static void append(StringBuilder b, String t) {
        if (!b.isEmpty()) b.append('\n');
        b.append(t);
    }

    /** What the user wrote: slash commands as {@code /name args}, without injected reminders and command output. */
    static String cleanUserText(String raw) {
        String t = SYSTEM_REMINDER.matcher(raw).replaceAll("");
        t = LOCAL_OUTPUT.matcher(t).replaceAll("");
        Matcher cmd = COMMAND_NAME.matcher(t);
        if (cmd.find()) {
            Matcher args = COMMAND_ARGS.matcher(t);
            String a = args.find() ? args.group(1).strip() : "";
            String name = cmd.group(1).strip();
            return (name.startsWith("/") ? name : "/" + name) + (a.isEmpty() ? "" : " " + a);
        }
        Matcher bash = BASH_INPUT.matcher(t);
        if (bash.find()) return "!" + bash.group(1).strip();
        return t.strip();
    }

    /** The next record back on the chain: the parent, or across a compaction its logical parent. */
    private static String up(Rec r) {
        if (r.parent() != null && !r.parent().isEmpty()) return r.parent();
        return r.logicalParent() != null && !r.logicalParent().isEmpty() ? r.logicalParent() : null;
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** The newest {@code limit} messages, reading the file from its end. */
    public static Tail tail(Path file, int limit, boolean includeTools) throws IOException {
        try (ReverseLineReader r = ReverseLineReader.open(file)) {
            return tail(r, limit, includeTools);
        }
    }

    public static Tail tail(ReverseLineReader r, int limit, boolean includeTools) throws IOException {
        return tail(r, limit, includeTools, Tail.COUNT_ALL_BELOW_BYTES);
    }

    /** @param countAllBelow past the limit, a rest of the file smaller than this is still scanned, to count it */
    public static Tail tail(ReverseLineReader r, int limit, boolean includeTools, long countAllBelow) throws IOException {
        Backward b = new Backward(includeTools);
        Map<String, long[]> offChain = new HashMap<>(); // uuid -> {position, length} of records seen off the chain
        Set<String> onChain = new HashSet<>();
        String wanted = null;
        boolean leafFound = false;
        boolean chainEnded = false;
        int skipped = 0;
        boolean counting = false;
        while (r.next()) {
            Rec rec = parse(r.array(), r.offset(), r.length());
            if (rec == null) {
                skipped++;
                continue;
            }
            if (rec == NOT_ON_CHAIN) continue;
            if (leafFound && !rec.uuid().equals(wanted)) {
                offChain.putIfAbsent(rec.uuid(), new long[]{r.position(), r.length()});
                continue;
            }
            leafFound = true;
            // Walk up the chain as far as the records already seen allow.
            while (rec != null) {
                if (!onChain.add(rec.uuid())) { // a cycle: the chain ends here
                    chainEnded = true;
                    break;
                }
                b.add(rec);
                wanted = up(rec);
                if (wanted == null) {
                    chainEnded = true;
                    break;
                }
                long[] seen = offChain.remove(wanted);
                rec = seen == null ? null : parse(r.readAt(seen[0], (int) seen[1]), 0, (int) seen[1]);
                if (seen != null && (rec == null || rec == NOT_ON_CHAIN)) { // seen once, unreadable now: the chain breaks
                    chainEnded = true;
                    break;
                }
            }
            if (chainEnded) break;
            if (!counting && b.nonEmpty() > limit) {
                if (r.size() - r.bytesScanned() > countAllBelow) break;
                counting = true; // the rest is small: count it all for an exact total
            }
        }
        boolean complete = chainEnded || r.atStart();
        skipped += r.skippedOversized();
        return Tail.of(b.newestFirst(limit + 1), limit, b.nonEmpty(), complete, r.size(), r.bytesScanned(), skipped);
    }

    /** Builds messages from chain records given newest first. */
    private static final class Backward {
        private final boolean includeTools;
        private final List<Group> groups = new ArrayList<>(); // newest first
        private final Map<String, Result> results = new HashMap<>();
        private int nonEmpty;

        Backward(boolean includeTools) {
            this.includeTools = includeTools;
        }

        void add(Rec rec) {
            // Results come after their call on the chain, so going back they are seen first; the oldest one seen
            // before reaching the call is the first one after it.
            results.putAll(rec.results());
            Group current = groups.isEmpty() ? null : groups.getLast();
            boolean wasEmpty = current == null || current.empty(includeTools);
            switch (rec.kind()) {
                case ASSISTANT -> {
                    if (current != null && current.role.equals(TranscriptMessage.ASSISTANT) && rec.messageId() != null
                            && rec.messageId().equals(current.messageId)) {
                        current.prepend(rec, results, includeTools);
                        if (wasEmpty && !current.empty(includeTools)) nonEmpty++;
                        return;
                    }
                    Group g = new Group(TranscriptMessage.ASSISTANT, rec.messageId());
                    g.prepend(rec, results, includeTools);
                    start(g);
                }
                case USER, HUDDLE -> {
                    if (rec.text().isBlank()) return;
                    Group g = new Group(rec.kind() == Kind.USER ? TranscriptMessage.USER : TranscriptMessage.HUDDLE, null);
                    g.prepend(rec, results, includeTools);
                    start(g);
                }
                case SUMMARY -> {
                    Group g = new Group(TranscriptMessage.SUMMARY, null);
                    g.prepend(rec, results, includeTools);
                    start(g);
                }
                case OTHER -> { }
            }
        }

        private void start(Group g) {
            groups.add(g);
            if (!g.empty(includeTools)) nonEmpty++;
        }

        int nonEmpty() {
            return nonEmpty;
        }

        List<TranscriptMessage> newestFirst(int max) {
            List<TranscriptMessage> out = new ArrayList<>();
            for (Group g : groups) {
                if (out.size() >= max) break;
                if (!g.empty(includeTools)) out.add(g.message(includeTools));
            }
            return out;
        }
    }

    /** One message being assembled from one or more records. */
    private static final class Group {
        final String role;
        final String messageId;
        final List<String> texts = new ArrayList<>(); // oldest first
        final List<ToolCall> calls = new ArrayList<>();
        Instant timestamp;

        Group(String role, String messageId) {
            this.role = role;
            this.messageId = messageId;
        }

        /** Adds an older record's content in front of what the group has. */
        void prepend(Rec rec, Map<String, Result> results, boolean includeTools) {
            if (!rec.text().isBlank()) texts.addFirst(rec.text());
            if (includeTools) {
                List<ToolCall> older = new ArrayList<>();
                for (Use u : rec.uses()) older.add(call(u, u.id() == null ? null : results.get(u.id())));
                calls.addAll(0, older);
            }
            if (rec.timestamp() != null) timestamp = rec.timestamp();
        }

        /** Adds a newer record's content after what the group has (the forward direction). */
        void append(Rec rec, boolean includeTools) {
            if (!rec.text().isBlank()) texts.add(rec.text());
            if (includeTools) for (Use u : rec.uses()) calls.add(call(u, null));
            if (timestamp == null) timestamp = rec.timestamp();
        }

        boolean empty(boolean includeTools) {
            return texts.isEmpty() && (!includeTools || calls.isEmpty());
        }

        TranscriptMessage message(boolean includeTools) {
            return new TranscriptMessage(role, String.join("\n", texts), timestamp, includeTools ? calls : List.of());
        }
    }

    private static ToolCall call(Use u, Result r) {
        return new ToolCall(u.name(), u.input(), r == null ? null : r.text(), r == null ? null : r.error());
    }

    // ---------------------------------------------------------------------------------------------- forward

    /**
     * Every message of the conversation, reading the whole file from its start: the straightforward way, which the
     * reverse scan must agree with (tests), and the reader of small files.
     */
    public static List<TranscriptMessage> readAll(Path file, boolean includeTools) throws IOException {
        Map<String, Rec> byUuid = new HashMap<>();
        Rec leaf = null;
        for (byte[] line : Lines.forward(Files.readAllBytes(file))) {
            Rec rec = parse(line, 0, line.length);
            if (rec != null && rec != NOT_ON_CHAIN) {
                byUuid.put(rec.uuid(), rec); // as going back from the end: the newest copy of a uuid counts
                leaf = rec;
            }
        }
        List<Rec> chain = new ArrayList<>(); // newest first
        Set<String> seen = new HashSet<>();
        for (Rec r = leaf; r != null && seen.add(r.uuid()); r = up(r) == null ? null : byUuid.get(up(r))) chain.add(r);
        java.util.Collections.reverse(chain);

        List<Group> groups = new ArrayList<>();
        Map<String, Object[]> callAt = new HashMap<>(); // tool use id -> {group, index}: the first result after it wins
        for (Rec rec : chain) {
            for (var e : rec.results().entrySet()) {
                Object[] at = callAt.remove(e.getKey());
                if (at != null) {
                    Group g = (Group) at[0];
                    int k = (Integer) at[1];
                    g.calls.set(k, g.calls.get(k).withResult(e.getValue().text(), e.getValue().error()));
                }
            }
            Group last = groups.isEmpty() ? null : groups.getLast();
            switch (rec.kind()) {
                case ASSISTANT -> {
                    Group g = last != null && last.role.equals(TranscriptMessage.ASSISTANT) && rec.messageId() != null
                            && rec.messageId().equals(last.messageId) ? last : null;
                    if (g == null) {
                        g = new Group(TranscriptMessage.ASSISTANT, rec.messageId());
                        groups.add(g);
                    }
                    int before = g.calls.size();
                    g.append(rec, includeTools);
                    if (includeTools) {
                        for (int k = 0; k < rec.uses().size(); k++) {
                            String id = rec.uses().get(k).id();
                            if (id != null) callAt.put(id, new Object[]{g, before + k});
                        }
                    }
                }
                case USER, HUDDLE -> {
                    if (!rec.text().isBlank()) {
                        Group g = new Group(rec.kind() == Kind.USER ? TranscriptMessage.USER : TranscriptMessage.HUDDLE, null);
                        g.append(rec, includeTools);
                        groups.add(g);
                    }
                }
                case SUMMARY -> {
                    Group g = new Group(TranscriptMessage.SUMMARY, null);
                    g.append(rec, includeTools);
                    groups.add(g);
                }
                case OTHER -> { }
            }
        }
        List<TranscriptMessage> out = new ArrayList<>();
        for (Group g : groups) if (!g.empty(includeTools)) out.add(g.message(includeTools));
        return out;
    }
}
