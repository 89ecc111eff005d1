package dev.huddle.hub.mcp;

import dev.huddle.protocol.tools.Views;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.huddle.core.HuddleError;
import io.modelcontextprotocol.spec.McpSchema;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;

/** Turns views and errors into MCP tool results: compact JSON in one text item. */
public final class ToolResults {
    private ToolResults() {}

    public static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    public static McpSchema.CallToolResult ok(Object view) {
        return McpSchema.CallToolResult.builder().addTextContent(JSON.writeValueAsString(view)).isError(false).build();
    }

    public static McpSchema.CallToolResult error(HuddleError e) {
        return error(e.code(), e.getMessage(), e.hint(), e.details());
    }

    public static McpSchema.CallToolResult error(String code, String message, String hint, Map<String, Object> details) {
        var body = new Views.ErrorResult(false, new Views.ErrorBody(code, message, hint, details));
        return McpSchema.CallToolResult.builder().addTextContent(JSON.writeValueAsString(body)).isError(true).build();
    }
}
