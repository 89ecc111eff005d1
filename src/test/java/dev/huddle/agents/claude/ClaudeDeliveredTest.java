package dev.huddle.agents.claude;

import dev.huddle.agents.transcript.Tail;
import dev.huddle.agents.transcript.TranscriptMessage;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What huddle's hooks delivered, as a reader of a Claude Code transcript shows it (issue 15, item 10). The fixture
 * (src/test/resources/transcripts/claude-huddle-deliveries.jsonl) is made of records Claude Code 2.1.329 wrote, with
 * huddle's frames put in: a Stop hook's {@code additionalContext} (an attachment), the {@code decision: "block"} older
 * huddle versions answered (a meta user record {@code Stop hook feedback:} and a {@code hook_blocking_error}
 * attachment quoting the command), and a turn a rewake hook started (a user record of origin task-notification).
 */
class ClaudeDeliveredTest {
    private static final Path FIXTURE = fixture();

    private static Path fixture() {
        try {
            return Path.of(ClaudeDeliveredTest.class.getResource("/transcripts/claude-huddle-deliveries.jsonl").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void eachDeliveryIsHuddlesOnceWithItsFrameAlone() throws Exception {
        Tail t = ClaudeTranscript.tail(FIXTURE, 50, false);
        List<String> roles = t.messages().stream().map(TranscriptMessage::role).toList();
        assertThat(roles).containsExactly("user", "assistant", "huddle", "assistant", "huddle", "assistant", "huddle", "assistant");
        List<TranscriptMessage> huddle = t.messages().stream().filter(m -> m.role().equals(TranscriptMessage.HUDDLE)).toList();
        assertThat(huddle).extracting(TranscriptMessage::text).allSatisfy(text -> assertThat(text).startsWith("[huddle ")
                .doesNotContain("Stop hook", "system-reminder", "task-notification", "curl"));
        assertThat(huddle.get(0).text()).contains("Please rebase onto main.").endsWith("before you stop.");
        assertThat(huddle.get(1).text()).contains("The release is tonight.");
        assertThat(huddle.get(2).text()).contains("Wake up: the build broke.").endsWith("complete_work or block_work.");
        assertThat(ClaudeTranscript.readAll(FIXTURE, false)).isEqualTo(t.messages());
    }

    @Test
    void theFrameIsCutFromTheTextTheClientWrappedAroundIt() {
        assertThat(ClaudeDelivered.delivery("label: [huddle 0a1b2c] 1 message(s)…\n</system-reminder>")).isEqualTo("[huddle 0a1b2c] 1 message(s)…");
        assertThat(ClaudeDelivered.delivery("<task-notification><summary>a background task ended</summary></task-notification>")).isNull();
        assertThat(ClaudeDelivered.delivery("[huddle r] not a reference")).isNull();
    }
}
