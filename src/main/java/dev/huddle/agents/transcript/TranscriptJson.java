package dev.huddle.agents.transcript;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Parsing transcript lines tolerantly: a line that is not a JSON object is skipped, never an error. */
public final class TranscriptJson {
    private TranscriptJson() {}

    /** Transcript lines carry whole tool results: allow strings as long as the longest line read. */
    static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxStringLength(ReverseLineReader.MAX_LINE_BYTES).maxNestingDepth(2_000).build())
                    .build())
            .build();

    /** The line as a JSON object, or null. Invalid UTF-8 is read as U+FFFD rather than dropping the line. */
    public static JsonNode object(byte[] bytes, int offset, int length) {
        JsonNode n;
        try {
            n = JSON.readTree(bytes, offset, length);
        } catch (JacksonException e) {
            try {
                n = JSON.readTree(new String(bytes, offset, length, StandardCharsets.UTF_8));
            } catch (JacksonException again) {
                return null;
            }
        } catch (RuntimeException e) {
            return null;
        }
        return n != null && n.isObject() ? n : null;
    }

    public static JsonNode object(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        }
    }

    public static String str(JsonNode n, String field) {
        if (n == null) return null;
        JsonNode v = n.get(field);
        return v != null && v.isString() ? v.stringValue() : null;
    }

    public static boolean isTrue(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v != null && v.isBoolean() && v.asBoolean();
    }

    public static Instant time(JsonNode n, String field) {
        String s = str(n, field);
        if (s == null || s.isBlank()) return null;
        try {
            return Instant.parse(s.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String compact(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JacksonException | IllegalArgumentException e) {
            return String.valueOf(n);
        }
    }
}
