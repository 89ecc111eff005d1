package dev.huddle.agents.transcript;

/**
 * A tool call shown compactly: the tool, its main argument on one line (a command, a file path, a query; else its
 * arguments as JSON), and the start of its result.
 *
 * @param name    the tool's name as the client calls it
 * @param input   its main argument, at most {@link ToolText#MAX_INPUT} characters
 * @param result  the start of its result, at most {@link ToolText#MAX_RESULT} characters; null when none was recorded
 * @param isError the result was an error (null when unknown)
 */
public record ToolCall(String name, String input, String result, Boolean isError) {
    public ToolCall {
        name = name == null || name.isBlank() ? "tool" : name;
        input = input == null ? "" : input;
    }

    public ToolCall withResult(String newResult, Boolean error) {
        return new ToolCall(name, input, newResult, error);
    }

    int bytes() {
        return Utf8.length(name) + Utf8.length(input) + (result == null ? 0 : Utf8.length(result)) + 16;
    }
}
