package dev.huddle.agents.gemini;

import dev.huddle.agents.transcript.HuddleFrame;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gemini CLI chat files ({@code ~/.gemini/tmp/<project>/chats/session-<time>-<id8>.jsonl}; agent-platforms.md §4;
 * {@code packages/core/src/services/chatRecordingService.ts}). The first line is the session's metadata; then each
 * message is appended as a record with an {@code id} (a later record with the same id replaces it: tool calls and
 * token counts are added that way), {@code {"$rewindTo": id}} drops that message and everything after it, and
 * {@code {"$set": {...}}} updates metadata, where {@code messages} replaces the whole list. Messages of type
 * {@code user} and {@code gemini} are shown; {@code info}, {@code error} and {@code warning} are not, nor thoughts,
 * nor the {@code <session_context>} and {@code <hook_context>} blocks the CLI injects. A user message that opens
 * with huddle's frame is huddle's {@code AfterAgent} continuation, shown as role {@code huddle}. Older versions wrote one
 * JSON document ({@code .json}); it is read whole.
 */
public final class GeminiChat {
    private GeminiChat() {}

    /** Legacy single-document chats larger than this are not read. */
    static final long MAX_LEGACY_BYTES = 64L << 20;
    private static final Pattern INJECTED = Pattern.compile("(?s)<(session_context|hook_context)>.*?</\\1>");

    enum Kind { MESSAGE, REWIND, SNAPSHOT, NONE }

    record Item(Kind kind, String id, JsonNode node) {
        static final Item NONE = new Item(Kind.NONE, null, null);
    }

    static Item parse(byte[] bytes, int offset, int length) {
        JsonNode n = TranscriptJson.object(bytes, offset, length);
        if (n == null) return null;
        String rewind = TranscriptJson.str(n, "$rewindTo");
        if (rewind != null) return new Item(Kind.REWIND, rewind, null);
        JsonNode set = n.get("$set");
        if (set != null && set.isObject()) {
            JsonNode messages = set.get("messages");
            return messages != null && messages.isArray() ? new Item(Kind.SNAPSHOT, null, messages) : Item.NONE;
        }
        String id = TranscriptJson.str(n, "id");
        return id == null ? Item.NONE : new Item(Kind.MESSAGE, id, n);
    }

    /** A message record as shown, or null when it is not a user or model message. */
    static TranscriptMessage render(JsonNode m, boolean includeTools) {
        String type = TranscriptJson.str(m, "type");
        if ("user".equals(type)) {
            String sent = INJECTED.matcher(text(m.get("content"))).replaceAll("").strip();
            if (HuddleFrame.indexIn(sent) == 0) {
                // huddle's AfterAgent continuation: Gemini records it as a user message whose displayContent is the
                // turn's original prompt (verified on 0.61.0); it is huddle's delivery, shown as the model got it.
                return new TranscriptMessage(TranscriptMessage.HUDDLE, sent, TranscriptJson.time(m, "timestamp"), List.of());
            }
            JsonNode shown = m.get("displayContent"); // what the user typed, before @file expansion
            String text = shown != null && !shown.isNull() ? INJECTED.matcher(text(shown)).replaceAll("").strip() : sent;
            return new TranscriptMessage(TranscriptMessage.USER, text, TranscriptJson.time(m, "timestamp"), List.of());
        }
        if ("gemini".equals(type)) {
            List<ToolCall> calls = new ArrayList<>();
            JsonNode tcs = m.get("toolCalls");
            if (includeTools && tcs != null && tcs.isArray()) {
                for (JsonNode tc : tcs) {
                    String result = TranscriptJson.str(tc, "resultDisplay");
                    if (result == null || result.isBlank()) result = ToolText.resultText(functionOutput(tc.get("result")));
                    String status = TranscriptJson.str(tc, "status");
                    calls.add(new ToolCall(TranscriptJson.str(tc, "name"), ToolText.input(tc.get("args")),
                            ToolText.result(result), status == null ? null : "error".equals(status)));
                }
            }
            return new TranscriptMessage(TranscriptMessage.ASSISTANT, text(m.get("content")).strip(),
                    TranscriptJson.time(m, "timestamp"), calls);
        }
        return null;
    }

    /** The text parts of a PartListUnion (a string, a part, or a list of them), thoughts excluded. */
    private static String text(JsonNode c) {
        if (c == null || c.isNull()) return "";
        if (c.isString()) return c.stringValue();
        StringBuilder b = new StringBuilder();
        if (c.isArray()) {
            for (JsonNode p : c) {
                String t = text(p);
                if (!t.isBlank()) {
                    if (!b.isEmpty()) b.append('\n');
                    b.append(t);
                }
            }
            return b.toString();
        }
        if (c.isObject() && !TranscriptJson.isTrue(c, "thought")) {
            String t = TranscriptJson.str(c, "text");
            if (t != null) return t;
            if (c.has("inlineData") || c.has("fileData")) return "[file]";
        }
        return "";
    }

    /** A tool result as recorded: parts whose functionResponse carries {@code response.output} (or content). */
    private static JsonNode functionOutput(JsonNode result) {
        if (result == null || !result.isArray()) return result;
        for (JsonNode part : result) {
            JsonNode fr = part.get("functionResponse");
            if (fr != null && fr.get("response") != null) return fr.get("response");
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------- reading

    public static Tail tail(Path file, int limit, boolean includeTools) throws IOException {
        if (file.getFileName().toString().endsWith(".json")) {
            List<TranscriptMessage> all = readAll(file, includeTools);
            List<TranscriptMessage> newestFirst = new ArrayList<>(all).reversed();
            long size = Files.size(file);
            return Tail.of(newestFirst, limit, all.size(), true, size, size, 0);
        }
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
        boolean complete = false;
        boolean counting = false;
        int skipped = 0;
        while (r.next()) {
            Item it = parse(r.array(), r.offset(), r.length());
            if (it == null) {
                skipped++;
                continue;
            }
            if (it.kind() == Kind.SNAPSHOT) {
                // The list as it was then: everything older in the file is in it, or was dropped from it.
                List<JsonNode> snapshot = new ArrayList<>();
                for (JsonNode m : it.node()) snapshot.add(m);
                for (JsonNode m : snapshot.reversed()) {
                    String id = TranscriptJson.str(m, "id");
                    if (id != null) b.add(new Item(Kind.MESSAGE, id, m));
                }
                complete = true;
                break;
            }
            b.add(it);
            if (!counting && b.nonEmpty > limit) {
                if (r.size() - r.bytesScanned() > countAllBelow) break;
                counting = true;
            }
        }
        complete = complete || r.atStart();
        return Tail.of(b.newestFirst, limit, b.nonEmpty, complete, r.size(), r.bytesScanned(), skipped + r.skippedOversized());
    }

    /** Records given newest first: the newest record of an id wins; a rewind drops older records back to its target. */
    private static final class Backward {
        private final boolean includeTools;
        private final Set<String> seen = new HashSet<>();
        private final Set<String> rewoundTo = new HashSet<>();
        private final List<TranscriptMessage> newestFirst = new ArrayList<>();
        private int nonEmpty;

        Backward(boolean includeTools) {
            this.includeTools = includeTools;
        }

        void add(Item it) {
            switch (it.kind()) {
                case REWIND -> rewoundTo.add(it.id());
                case MESSAGE -> {
                    if (!rewoundTo.isEmpty()) {
                        rewoundTo.remove(it.id());
                        seen.add(it.id());
                        return;
                    }
                    if (!seen.add(it.id())) return;
                    TranscriptMessage m = render(it.node(), includeTools);
                    if (m == null || m.empty()) return;
                    newestFirst.add(m);
                    nonEmpty++;
                }
                default -> { }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- forward

    /** Every message, reading the whole file from its start (the reference the reverse scan must agree with). */
    public static List<TranscriptMessage> readAll(Path file, boolean includeTools) throws IOException {
        if (file.getFileName().toString().endsWith(".json")) return readLegacy(file, includeTools);
        Map<String, JsonNode> messages = new LinkedHashMap<>(); // JavaScript Map semantics: an update keeps its place
        for (byte[] line : Lines.forward(Files.readAllBytes(file))) {
            Item it = parse(line, 0, line.length);
            if (it == null) continue;
            switch (it.kind()) {
                case MESSAGE -> messages.put(it.id(), it.node());
                case REWIND -> {
                    boolean found = false;
                    for (var i = messages.keySet().iterator(); i.hasNext(); ) {
                        if (i.next().equals(it.id())) found = true;
                        if (found) i.remove();
                    }
                    if (!found) messages.clear();
                }
                case SNAPSHOT -> {
                    messages.clear();
                    for (JsonNode m : it.node()) {
                        String id = TranscriptJson.str(m, "id");
                        if (id != null) messages.put(id, m);
                    }
                }
                default -> { }
            }
        }
        return rendered(messages.values(), includeTools);
    }

    private static List<TranscriptMessage> readLegacy(Path file, boolean includeTools) throws IOException {
        if (Files.size(file) > MAX_LEGACY_BYTES) {
            throw new IOException("the Gemini chat file " + file + " is a legacy single JSON document of "
                    + (Files.size(file) >> 20) + " MiB; only files up to " + (MAX_LEGACY_BYTES >> 20) + " MiB are read");
        }
        byte[] bytes = Files.readAllBytes(file);
        JsonNode doc = TranscriptJson.object(bytes, 0, bytes.length);
        JsonNode list = doc == null ? null : doc.get("messages");
        List<JsonNode> messages = new ArrayList<>();
        if (list != null && list.isArray()) for (JsonNode m : list) messages.add(m);
        return rendered(messages, includeTools);
    }

    private static List<TranscriptMessage> rendered(Iterable<JsonNode> messages, boolean includeTools) {
        List<TranscriptMessage> out = new ArrayList<>();
        for (JsonNode m : messages) {
            TranscriptMessage t = render(m, includeTools);
            if (t != null && !t.empty()) out.add(t);
        }
        return out;
    }
}
