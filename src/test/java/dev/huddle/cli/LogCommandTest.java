package dev.huddle.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The readable lines of huddle log and huddle send (no hub needed). */
class LogCommandTest {
    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", "2020-01-02T03:04:05Z");
        m.put("from", "reviewer (4fd48203)");
        m.put("to", "builder (0f173a9a)");
        m.put("body", "hello");
        m.put("delivered", null);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void marksSayWhatKindOfMessageAndHowItWasDelivered() {
        assertThat(LogCommand.marks(row())).containsExactly("pending");
        assertThat(LogCommand.marks(row("request_id", "f2716561dd78e657", "delivered", "tool"))).containsExactly("?", "via tool");
        assertThat(LogCommand.marks(row("request_id", "a", "reply_to", "f2716561dd78e657", "delivered", "ask_reply")))
                .containsExactly("↩", "via ask_reply");
        assertThat(LogCommand.marks(row("obligation", "blocked", "delivered", "tool"))).containsExactly("work blocked", "via tool");
        assertThat(LogCommand.marks(row("obligation", null))).containsExactly("work open", "pending");
    }

    @Test
    void theBodyIsItsFirstLineCutToTheRoomLeft() {
        assertThat(LogCommand.firstLine("  one line  ", 100)).isEqualTo("one line");
        assertThat(LogCommand.firstLine("\n\nfirst\nsecond", 100)).isEqualTo("first …");
        assertThat(LogCommand.firstLine("abcdefghij", 5)).isEqualTo("abcd…");
        assertThat(LogCommand.firstLine("abcde", 5)).isEqualTo("abcde");
        assertThat(LogCommand.firstLine("😀😀😀😀😀😀", 4)).isEqualTo("😀😀😀…"); // code points, never half a pair
    }

    @Test
    void aLineFitsTheTerminalAndHasNoColourWhenAskedNot() {
        String line = LogCommand.line(row("body", "x".repeat(300), "delivered", "tool"), false, 100);
        assertThat(line).contains("reviewer (4fd48203) → builder (0f173a9a)  [via tool]  xxx").endsWith("…");
        assertThat(line.codePointCount(0, line.length())).isEqualTo(100);
        // a very narrow terminal still shows 20 characters of the body
        String narrow = LogCommand.line(row("body", "x".repeat(300), "delivered", "tool"), false, 40);
        assertThat(narrow).endsWith("  " + "x".repeat(19) + "…");
        assertThat(line).doesNotContain("\u001b[");
        String noTerminal = LogCommand.line(row("body", "y".repeat(300)), false, null);
        assertThat(noTerminal).endsWith("y".repeat(99) + "…");
        assertThat(LogCommand.line(row(), true, null)).contains("\u001b[1mreviewer (4fd48203) → builder (0f173a9a)\u001b[0m");
    }

    @Test
    void sendPrintsOneLinePerRecipient() {
        Map<String, Object> result = Map.of("count", 2, "messages", java.util.List.of(
                Map.of("message_id", "df495d4a363c523e", "target_handle", "4fd48203", "target_name", "reviewer", "target_online", true),
                Map.of("message_id", "4965cab84824d84e", "target_handle", "063b8d83", "target_online", false)));
        assertThat(SendCommand.render(result, false)).isEqualTo("""
                df495d4a363c523e  → reviewer (4fd48203)  online
                4965cab84824d84e  → 063b8d83             offline: queued until it returns
                """);
    }
}
