package dev.huddle.cli;

import dev.huddle.cli.view.LogLines;
import dev.huddle.cli.view.SendView;
import dev.huddle.protocol.control.LogPage;
import dev.huddle.protocol.control.SendReceipt;
import dev.huddle.protocol.json.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The readable lines of huddle log and huddle send (no hub needed). */
class LogCommandTest {
    private static LogPage.Entry row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", "2020-01-02T03:04:05Z");
        m.put("from", "reviewer (4fd48203)");
        m.put("to", "builder (0f173a9a)");
        m.put("body", "hello");
        m.put("delivered", null);
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return Json.fromTree(m, LogPage.Entry.class);
    }

    @Test
    void marksSayWhatKindOfMessageAndHowItWasDelivered() {
        assertThat(LogLines.marks(row())).containsExactly("pending");
        assertThat(LogLines.marks(row("request_id", "f2716561dd78e657", "delivered", "tool"))).containsExactly("?", "via tool");
        assertThat(LogLines.marks(row("request_id", "a", "reply_to", "f2716561dd78e657", "delivered", "ask_reply")))
                .containsExactly("↩", "via ask_reply");
        assertThat(LogLines.marks(row("obligation", "blocked", "delivered", "tool"))).containsExactly("work blocked", "via tool");
        assertThat(LogLines.marks(row("obligation", "open"))).containsExactly("work open", "pending");
    }

    @Test
    void theBodyIsItsFirstLineCutToTheRoomLeft() {
        assertThat(LogLines.firstLine("  one line  ", 100)).isEqualTo("one line");
        assertThat(LogLines.firstLine("\n\nfirst\nsecond", 100)).isEqualTo("first …");
        assertThat(LogLines.firstLine("abcdefghij", 5)).isEqualTo("abcd…");
        assertThat(LogLines.firstLine("abcde", 5)).isEqualTo("abcde");
        assertThat(LogLines.firstLine("😀😀😀😀😀😀", 4)).isEqualTo("😀😀😀…"); // code points, never half a pair
    }

    @Test
    void aLineFitsTheTerminalAndHasNoColourWhenAskedNot() {
        String line = LogLines.line(row("body", "x".repeat(300), "delivered", "tool"), false, 100);
        assertThat(line).contains("reviewer (4fd48203) → builder (0f173a9a)  [via tool]  xxx").endsWith("…");
        assertThat(line.codePointCount(0, line.length())).isEqualTo(100);
        // a very narrow terminal still shows 20 characters of the body
        String narrow = LogLines.line(row("body", "x".repeat(300), "delivered", "tool"), false, 40);
        assertThat(narrow).endsWith("  " + "x".repeat(19) + "…");
        assertThat(line).doesNotContain("\u001b[");
        String noTerminal = LogLines.line(row("body", "y".repeat(300)), false, null);
        assertThat(noTerminal).endsWith("y".repeat(99) + "…");
        assertThat(LogLines.line(row(), true, null)).contains("\u001b[1mreviewer (4fd48203) → builder (0f173a9a)\u001b[0m");
    }

    @Test
    void sendPrintsOneLinePerRecipient() {
        SendReceipt result = Json.read("""
                {"count":2,"messages":[
                  {"message_id":"df495d4a363c523e","target_handle":"4fd48203","target_name":"reviewer","target_online":true},
                  {"message_id":"4965cab84824d84e","target_handle":"063b8d83","target_online":false}]}""", SendReceipt.class);
        assertThat(SendView.render(result, false)).isEqualTo("""
                df495d4a363c523e  → reviewer (4fd48203)  online
                4965cab84824d84e  → 063b8d83             offline: queued until it returns
                """);
    }
}
