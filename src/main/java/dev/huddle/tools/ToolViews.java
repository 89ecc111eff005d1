package dev.huddle.tools;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.huddle.protocol.tools.Views;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tool results read as the typed records of {@link Views}, in the JSON the hub writes them in (snake_case names,
 * absent values left out), and written back the same way (the demo's {@code --json} transcript).
 */
public final class ToolViews {
    private ToolViews() {}

    /** Reads and writes views as the hub does; a field the hub adds later is ignored, one it leaves out is null. */
    public static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** A tool call that answered {@code ok: false} (or no JSON at all), with the tool's error. */
    public static final class ToolFailed extends RuntimeException {
        private final transient Views.ErrorResult result;

        public ToolFailed(String tool, Views.ErrorResult result) {
            super(tool + " failed: " + result.error().code() + ": " + result.error().message());
            this.result = result;
        }

        public Views.ErrorResult result() {
            return result;
        }
    }

    /**
     * The result text of {@code tool} as {@code view}.
     *
     * @throws ToolFailed when the result says {@code ok: false} or is not JSON
     */
    public static <T> T read(String tool, String text, Class<T> view) {
        JsonNode tree = tree(tool, text);
        if (!tree.path("ok").asBoolean(false)) throw new ToolFailed(tool, JSON.treeToValue(tree, Views.ErrorResult.class));
        return JSON.treeToValue(tree, view);
    }

    /**
     * The error of a call of {@code tool} that should have failed.
     *
     * @throws IllegalStateException when it succeeded
     */
    public static Views.ErrorResult readError(String tool, String text) {
        JsonNode tree = tree(tool, text);
        if (tree.path("ok").asBoolean(false)) throw new IllegalStateException(tool + " should have failed, answered " + text);
        return JSON.treeToValue(tree, Views.ErrorResult.class);
    }

    private static JsonNode tree(String tool, String text) {
        try {
            JsonNode tree = JSON.readTree(text);
            if (tree.isObject()) return tree;
        } catch (JacksonException notJson) {
            // reported below
        }
        throw new ToolFailed(tool, new Views.ErrorResult(false, new Views.ErrorBody("not-json", text, null, null)));
    }
}
