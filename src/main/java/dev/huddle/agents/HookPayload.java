package dev.huddle.agents;

import dev.huddle.core.HuddleError;
import dev.huddle.core.Validation;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Set;

/**
 * The fields huddle reads from a hook's stdin payload, the same for all three clients. Parsed with a streaming
 * parser that skips everything else, so a 10 MB {@code Write} payload costs a scan, not a tree.
 *
 * @param sessionId       the client's session id (validated)
 * @param transcriptPath  the session's transcript file, when the client says
 * @param cwd             the session's working directory
 * @param source          SessionStart's source (startup, resume, clear, compact) or SessionEnd's reason
 * @param subagentId      set when the hook fired inside a subagent (Claude Code {@code agent_id}): never deliver there
 * @param stopHookActive  Stop/AfterAgent: already continuing because of a stop hook
 * @param toolName        the tool of a tool event
 * @param toolUseId       the tool call's id (Claude Code {@code tool_use_id})
 * @param toolFilePath    {@code tool_input.file_path} or {@code tool_input.notebook_path}: the file an edit tool
 *                        names (Claude Code sends it absolute); null when absent
 * @param toolCommand     {@code tool_input.command}: a shell tool's command line (or a patch a client runs as one)
 * @param toolInputText   {@code tool_input.input} when it is a string (a patch tool's body)
 * @param durationMs      {@code duration_ms} of a finished tool call (Claude Code PostToolUse), or -1
 * @param promptHead      the first {@link #PROMPT_HEAD_CHARS} characters of a prompt event's {@code prompt} (enough to
 *                        see whether a prompt the client built from a rewake hook's output carries huddle's frame)
 */
public record HookPayload(String sessionId, String transcriptPath, String cwd, String source, String subagentId,
                          boolean stopHookActive, String toolName, String toolUseId, String toolFilePath,
                          String toolCommand, String toolInputText, long durationMs, String promptHead) {
    /** Strings longer than this are not believable for the fields we read and are refused. */
    static final int MAX_FIELD_CHARS = 4096;
    /** What is kept of a prompt: its start (a prompt may be long, and huddle only looks for its own frame there). */
    public static final int PROMPT_HEAD_CHARS = 1024;
    private static final JsonMapper JSON = JsonMapper.shared();

    public static HookPayload parse(byte[] body) {
        if (body == null || body.length == 0 || new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new HuddleError("empty-payload", "the hook sent no payload on stdin",
                    "Hooks must be run by the agent client, which passes the event as JSON on stdin.");
        }
        String sessionId = null, transcript = null, cwd = null, source = null, agentId = null, tool = null, toolUse = null, prompt = null;
        ToolInput input = ToolInput.NONE;
        boolean stopActive = false, sawSession = false;
        long duration = -1;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw notAnObject();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "session_id" -> { sessionId = text(p, v, name); sawSession = true; }
                    case "transcript_path" -> transcript = text(p, v, name);
                    case "cwd" -> cwd = text(p, v, name);
                    case "source", "reason" -> { if (source == null || name.equals("source")) source = text(p, v, name); }
                    case "agent_id" -> agentId = text(p, v, name);
                    case "tool_name" -> tool = text(p, v, name);
                    case "tool_use_id" -> toolUse = text(p, v, name);
                    case "tool_input" -> input = toolInput(p, v);
                    case "stop_hook_active" -> stopActive = v == JsonToken.VALUE_TRUE;
                    case "prompt" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            String all = p.getString();
                            prompt = all.length() > PROMPT_HEAD_CHARS ? all.substring(0, PROMPT_HEAD_CHARS) : all;
                        } else {
                            p.skipChildren();
                        }
                    }
                    case "duration_ms" -> {
                        if (v.isNumeric()) duration = p.getValueAsLong(-1);
                        else p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) throw notAnObject();
            if (p.nextToken() != null) throw new HuddleError("bad-payload", "the hook payload has data after its JSON object", null);
        } catch (StreamConstraintsException e) {
            // Jackson's limits (nesting depth, lengths of names, numbers and documents): our words, not the library's
            throw new HuddleError("bad-payload", "the hook payload is beyond what huddle parses (at most "
                    + StreamReadConstraints.DEFAULT_MAX_DEPTH + " levels of nesting, and strings, names and numbers of sane lengths)",
                    "Hooks must be run by the agent client, which passes the event as JSON on stdin.");
        } catch (JacksonException e) {
            throw new HuddleError("bad-payload", "the hook payload is not valid JSON" + where(e),
                    "Hooks must be run by the agent client, which passes the event as JSON on stdin.");
        }
        if (!sawSession || sessionId == null) {
            throw new HuddleError("bad-session-id", "the hook payload has no session_id", "Agent clients always send one; check what runs this hook.");
        }
        try {
            sessionId = Validation.sessionId(sessionId);
        } catch (HuddleError e) {
            throw new HuddleError("bad-session-id", e.getMessage(), e.hint());
        }
        return new HookPayload(sessionId, absoluteOrNull(transcript), absoluteOrNull(cwd), source,
                agentId == null || agentId.isEmpty() ? null : agentId, stopActive, tool, toolUse,
                input.filePath() == null || input.filePath().isEmpty() || input.filePath().chars().anyMatch(c -> c < 0x20) ? null : input.filePath(),
                input.command(), input.text(), duration, prompt);
    }

    private record ToolInput(String filePath, String command, String text) {
        static final ToolInput NONE = new ToolInput(null, null, null);
    }

    public boolean inSubagent() {
        return subagentId != null;
    }

    /** The file {@code tool_input} names, when the call is one of {@code editTools} (a client's tools that write it); else none. */
    public List<String> fileWrittenBy(Set<String> editTools) {
        return toolName != null && editTools.contains(toolName) && toolFilePath != null ? List.of(toolFilePath) : List.of();
    }

    /**
     * The file an edit names, the command of a shell tool and the string input of a patch tool, read from the top level
     * of tool_input; everything else in it (contents) is skipped.
     */
    private static ToolInput toolInput(JsonParser p, JsonToken v) {
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return ToolInput.NONE;
        }
        String path = null, command = null, text = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if ((name.equals("file_path") || name.equals("notebook_path")) && path == null) {
                path = text(p, t, name);
            } else if (name.equals("command") && t == JsonToken.VALUE_STRING) {
                command = p.getString();
            } else if (name.equals("input") && t == JsonToken.VALUE_STRING) {
                text = p.getString();
            } else {
                p.skipChildren();
            }
        }
        return new ToolInput(path, command, text);
    }

    private static String text(JsonParser p, JsonToken v, String name) {
        if (v == JsonToken.VALUE_NULL) return null;
        if (v != JsonToken.VALUE_STRING) {
            p.skipChildren();
            if (name.equals("session_id")) throw new HuddleError("bad-session-id", "session_id is not a string", null);
            return null;
        }
        String s = p.getString();
        if (s.length() > MAX_FIELD_CHARS) {
            throw new HuddleError("bad-payload", name + " is " + s.length() + " characters long; huddle reads at most " + MAX_FIELD_CHARS, null);
        }
        return s;
    }

    /** Paths are only kept when absolute and free of control characters: they are shown and (later) opened. */
    private static String absoluteOrNull(String path) {
        if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c < 0x20)) return null;
        return path;
    }

    /** Where the parser stopped, as " (line L, column C)", or nothing. */
    private static String where(JacksonException e) {
        var at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static HuddleError notAnObject() {
        return new HuddleError("bad-payload", "the hook payload is not a JSON object",
                "Hooks must be run by the agent client, which passes the event as JSON on stdin.");
    }
}
