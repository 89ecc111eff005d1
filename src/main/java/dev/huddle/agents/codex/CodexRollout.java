package dev.huddle.agents.codex;

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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Codex CLI rollout files ({@code $CODEX_HOME/sessions/YYYY/MM/DD/rollout-…-<thread>.jsonl}; agent-platforms.md §3.4).
 * Every line is {@code {"timestamp","type","payload"}}. Messages are the {@code response_item} messages of role
 * {@code user} and {@code assistant}; {@code developer} messages and the context Codex injects as user messages
 * ({@code # AGENTS.md instructions …}, {@code <environment_context>}, {@code <user_instructions>}, skills, …) are not
 * what anyone typed and are dropped. Tool calls ({@code function_call}, {@code custom_tool_call},
 * {@code local_shell_call}, {@code web_search_call}) join the assistant message before them, with their outputs;
 * a {@code compacted} record shows as a {@code summary}. A file without any response-item message (some reduced or
 * old rollouts) is read from its {@code event_msg} {@code user_message} / {@code agent_message} events instead.
 */
public final class CodexRollout {
    private CodexRollout() {}

    /** Event messages seen with no response-item message, beyond the limit, that make a rollout "events only". */
    static final int EVENTS_ONLY_MARGIN = 16;

    enum Kind { USER, ASSISTANT, EVENT_USER, EVENT_ASSISTANT, CALL, OUTPUT, SUMMARY, NONE }

    record Item(Kind kind, String text, Instant timestamp, String callId, String name, String output, Boolean error) {
        static final Item NONE = new Item(Kind.NONE, "", null, null, null, null, null);
    }

    /** Injected context: Codex's own "contextual user message" markers, and any fragment wholly wrapped in one tag. */
    private static final Set<String> INJECTED_TAGS = Set.of("environment_context", "user_instructions", "skills_instructions",
            "skill", "user_shell_command", "subagent_notification", "turn_aborted", "context_update", "collaboration_mode",
            "model_switch", "personality_spec", "permissions instructions", "apps_instructions", "multi_agent_mode", "INSTRUCTIONS");
    private static final Pattern WRAPPED = Pattern.compile("(?s)^<([A-Za-z_][A-Za-z0-9_ -]{0,40})(\\s[^>]*)?>.*</\\1>$");

    public static boolean injected(String fragment) {
        String t = fragment.strip();
        if (t.regionMatches(true, 0, "# AGENTS.md instructions", 0, 24)) return true;
        for (String tag : INJECTED_TAGS) {
            if (t.regionMatches(true, 0, "<" + tag + ">", 0, tag.length() + 2)) return true;
        }
        Matcher m = WRAPPED.matcher(t);
        return m.matches();
    }

    static Item parse(byte[] bytes, int offset, int length) {
        JsonNode n = TranscriptJson.object(bytes, offset, length);
        if (n == null) return null;
        JsonNode p = n.get("payload");
        if (p == null || !p.isObject()) return Item.NONE;
        Instant ts = TranscriptJson.time(n, "timestamp");
        String type = TranscriptJson.str(n, "type");
        if ("compacted".equals(type)) {
            String m = TranscriptJson.str(p, "message");
            return m == null || m.isBlank() ? Item.NONE : new Item(Kind.SUMMARY, m.strip(), ts, null, null, null, null);
        }
        if ("event_msg".equals(type)) {
            String et = TranscriptJson.str(p, "type");
            String m = TranscriptJson.str(p, "message");
            if (m == null) return Item.NONE;
            if ("user_message".equals(et)) return new Item(Kind.EVENT_USER, m.strip(), ts, null, null, null, null);
            if ("agent_message".equals(et)) return new Item(Kind.EVENT_ASSISTANT, m.strip(), ts, null, null, null, null);
            return Item.NONE;
        }
        if (!"response_item".equals(type)) return Item.NONE;
        String pt = TranscriptJson.str(p, "type");
        if (pt == null) return Item.NONE;
        return switch (pt) {
            case "message" -> message(p, ts);
            case "function_call" -> new Item(Kind.CALL, ToolText.input(TranscriptJson.str(p, "arguments")), ts,
                    TranscriptJson.str(p, "call_id"), TranscriptJson.str(p, "name"), null, null);
            case "custom_tool_call" -> new Item(Kind.CALL, ToolText.input(TranscriptJson.str(p, "input")), ts,
                    TranscriptJson.str(p, "call_id"), TranscriptJson.str(p, "name"), null, null);
            case "local_shell_call" -> {
                JsonNode action = p.get("action");
                yield new Item(Kind.CALL, ToolText.input(action), ts, TranscriptJson.str(p, "call_id"), "shell", null, null);
            }
            case "web_search_call" -> {
                JsonNode action = p.get("action");
                yield new Item(Kind.CALL, ToolText.input(action), ts, null, "web_search", null, null);
            }
            case "function_call_output", "custom_tool_call_output", "local_shell_call_output" -> {
                JsonNode out = p.get("output");
                Boolean error = null;
                if (out != null && out.isObject() && out.get("success") != null && out.get("success").isBoolean()) {
                    error = !out.get("success").asBoolean();
                }
                String text = ToolText.resultText(out);
                if (text != null && text.strip().startsWith("{")) { // a JSON string: {"output":"…","metadata":{…}}
                    JsonNode parsed = TranscriptJson.object(text);
                    if (parsed != null && parsed.has("output")) text = ToolText.resultText(parsed.get("output"));
                }
                yield new Item(Kind.OUTPUT, "", ts, TranscriptJson.str(p, "call_id"), null, ToolText.result(text), error);
            }
            default -> Item.NONE;
        };
    }

    private static Item message(JsonNode p, Instant ts) {
        String role = TranscriptJson.str(p, "role");
        boolean user = "user".equals(role);
        if (!user && !"assistant".equals(role)) return Item.NONE; // developer and system messages are instructions
        StringBuilder text = new StringBuilder();
        JsonNode content = p.get("content");
        if (content != null && content.isString()) text.append(content.stringValue());
        if (content != null && content.isArray()) {
            for (JsonNode c : content) {
                String ct = TranscriptJson.str(c, "type");
                String t = TranscriptJson.str(c, "text");
                if ("input_image".equals(ct)) t = "[image]";
                if (t == null || t.isBlank() || user && injected(t)) continue;
                if (!text.isEmpty()) text.append('\n');
                text.append(t.strip());
            }
        }
        return new Item(user ? Kind.USER : Kind.ASSISTANT, text.toString(), ts, null, null, null, null);
    }

    // ---------------------------------------------------------------------------------------------- reading

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
        Backward items = new Backward(includeTools, false);
        Backward events = new Backward(includeTools, true);
        boolean sawMessage = false;
        boolean counting = false;
        boolean eventsOnly = false;
        int skipped = 0;
        while (r.next()) {
            Item it = parse(r.array(), r.offset(), r.length());
            if (it == null) {
                skipped++;
                continue;
            }
            if (it.kind() == Kind.NONE) continue;
            if (it.kind() == Kind.USER || it.kind() == Kind.ASSISTANT) sawMessage = true;
            items.add(it);
            if (!sawMessage) events.add(it);
            if (counting) continue;
            // A rollout with response items shows them within a line or two of the events; one that has shown many
            // events and no response item is read from its events.
            if (!sawMessage && events.nonEmpty() > limit + EVENTS_ONLY_MARGIN) {
                eventsOnly = true;
                break;
            }
            if (items.nonEmpty() > limit) {
                if (r.size() - r.bytesScanned() > countAllBelow) break;
                counting = true;
            }
        }
        boolean complete = !eventsOnly && r.atStart();
        Backward used = sawMessage ? items : events;
        if (complete) used.finish();
        return Tail.of(used.newestFirst, limit, used.nonEmpty(), complete, r.size(), r.bytesScanned(),
                skipped + r.skippedOversized());
    }

    /** Builds messages from items given newest first; tool calls wait for the assistant message before them. */
    private static final class Backward {
        private final boolean includeTools;
        private final boolean fromEvents;
        private final List<TranscriptMessage> newestFirst = new ArrayList<>();
        private final List<ToolCall> pending = new ArrayList<>(); // oldest first
        private Instant pendingSince;
        private final Map<String, Item> outputs = new HashMap<>();
        private int nonEmpty;

        Backward(boolean includeTools, boolean fromEvents) {
            this.includeTools = includeTools;
            this.fromEvents = fromEvents;
        }

        void add(Item it) {
            Kind k = it.kind();
            if (fromEvents) k = k == Kind.EVENT_USER ? Kind.USER : k == Kind.EVENT_ASSISTANT ? Kind.ASSISTANT
                    : k == Kind.USER || k == Kind.ASSISTANT ? Kind.NONE : k;
            else if (k == Kind.EVENT_USER || k == Kind.EVENT_ASSISTANT) k = Kind.NONE;
            switch (k) {
                case OUTPUT -> {
                    if (includeTools && it.callId() != null) outputs.put(it.callId(), it); // the oldest seen is the first after the call
                }
                case CALL -> {
                    if (!includeTools) return;
                    Item out = it.callId() == null ? null : outputs.get(it.callId());
                    pending.addFirst(new ToolCall(it.name(), it.text(), out == null ? null : out.output(), out == null ? null : out.error()));
                    pendingSince = it.timestamp();
                }
                case ASSISTANT -> {
                    emit(new TranscriptMessage(TranscriptMessage.ASSISTANT, it.text(), it.timestamp(), List.copyOf(pending)));
                    pending.clear();
                }
                case USER, SUMMARY -> {
                    finish();
                    emit(new TranscriptMessage(k == Kind.USER ? TranscriptMessage.USER : TranscriptMessage.SUMMARY,
                            it.text(), it.timestamp(), List.of()));
                }
                default -> { }
            }
        }

        /** Tool calls with no assistant message before them (since the last user message) form one of their own. */
        void finish() {
            if (pending.isEmpty()) return;
            emit(new TranscriptMessage(TranscriptMessage.ASSISTANT, "", pendingSince, List.copyOf(pending)));
            pending.clear();
        }

        private void emit(TranscriptMessage m) {
            if (m.empty()) return;
            newestFirst.add(m);
            nonEmpty++;
        }

        int nonEmpty() {
            return nonEmpty;
        }
    }

    // ---------------------------------------------------------------------------------------------- forward

    /** Every message, reading the whole file from its start (the reference the reverse scan must agree with). */
    public static List<TranscriptMessage> readAll(Path file, boolean includeTools) throws IOException {
        List<Item> all = new ArrayList<>();
        for (byte[] line : Lines.forward(Files.readAllBytes(file))) {
            Item it = parse(line, 0, line.length);
            if (it != null && it.kind() != Kind.NONE) all.add(it);
        }
        boolean fromEvents = all.stream().noneMatch(i -> i.kind() == Kind.USER || i.kind() == Kind.ASSISTANT);
        List<TranscriptMessage> out = new ArrayList<>();
        Map<String, int[]> callAt = new HashMap<>(); // call id -> {message index, call index}
        for (Item it : all) {
            Kind k = it.kind();
            if (fromEvents) k = k == Kind.EVENT_USER ? Kind.USER : k == Kind.EVENT_ASSISTANT ? Kind.ASSISTANT : k;
            else if (k == Kind.EVENT_USER || k == Kind.EVENT_ASSISTANT) k = Kind.NONE;
            switch (k) {
                case USER -> out.add(new TranscriptMessage(TranscriptMessage.USER, it.text(), it.timestamp(), List.of()));
                case SUMMARY -> out.add(new TranscriptMessage(TranscriptMessage.SUMMARY, it.text(), it.timestamp(), List.of()));
                case ASSISTANT -> out.add(new TranscriptMessage(TranscriptMessage.ASSISTANT, it.text(), it.timestamp(), List.of()));
                case CALL -> {
                    if (!includeTools) break;
                    TranscriptMessage last = out.isEmpty() ? null : out.getLast();
                    if (last == null || !last.role().equals(TranscriptMessage.ASSISTANT)) {
                        last = new TranscriptMessage(TranscriptMessage.ASSISTANT, "", it.timestamp(), List.of());
                        out.add(last);
                    }
                    List<ToolCall> calls = new ArrayList<>(last.toolCalls());
                    calls.add(new ToolCall(it.name(), it.text(), null, null));
                    out.set(out.size() - 1, new TranscriptMessage(last.role(), last.text(), last.timestamp(), calls));
                    if (it.callId() != null) callAt.put(it.callId(), new int[]{out.size() - 1, calls.size() - 1});
                }
                case OUTPUT -> {
                    int[] at = includeTools && it.callId() != null ? callAt.remove(it.callId()) : null;
                    if (at == null) break;
                    TranscriptMessage m = out.get(at[0]);
                    List<ToolCall> calls = new ArrayList<>(m.toolCalls());
                    calls.set(at[1], calls.get(at[1]).withResult(it.output(), it.error()));
                    out.set(at[0], new TranscriptMessage(m.role(), m.text(), m.timestamp(), calls));
                }
                default -> { }
            }
        }
        out.removeIf(TranscriptMessage::empty);
        return out;
    }
}
