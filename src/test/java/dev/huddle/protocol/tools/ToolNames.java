package dev.huddle.protocol.tools;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** For tests of texts that name tools: which snake_case words of a text look like a tool name but are none. */
public final class ToolNames {
    private ToolNames() {}

    /** snake_case words that are not tools: message fields, delivery routes, report keys, settings. */
    private static final Set<String> NOT_TOOLS = Set.of("action_required", "reply_to", "request_id", "ask_reply", "wake_summary",
            "claim_edit_window_s", "max_obligation_age_ms");
    private static final Pattern SNAKE = Pattern.compile("\\b[a-z]+(?:_[a-z]+)+\\b");

    /** The snake_case words of {@code text} that name no tool of {@link Tools#ALL} (and are no known field). */
    public static Set<String> unknownIn(String text) {
        Set<String> unknown = new LinkedHashSet<>();
        Matcher m = SNAKE.matcher(text);
        while (m.find()) {
            String word = m.group();
            if (!NOT_TOOLS.contains(word) && Tools.ALL.stream().noneMatch(t -> t.name().equals(word))) unknown.add(word);
        }
        return unknown;
    }
}
