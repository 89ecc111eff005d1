package dev.huddle.agents.gemini;

import dev.huddle.agents.transcript.TranscriptMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, defect 5: Gemini CLI 0.61.0 records huddle's AfterAgent continuation as a {@code user} message whose
 * {@code displayContent} is the turn's original prompt, so {@code huddle read} showed the user asking twice. The
 * fixture is a real chat file (GeminiCliIT, the session context shortened).
 */
class GeminiChatTest {
    static final Path FIXTURE = Path.of("src/test/resources/transcripts/gemini-0.61.0-afteragent-continuation.jsonl");

    @Test
    void theAfterAgentContinuationIsHuddlesDeliveryAsTheModelGotIt() throws Exception {
        List<TranscriptMessage> all = GeminiChat.readAll(FIXTURE, false);
        assertThat(all).extracting(TranscriptMessage::role).containsExactly("user", "assistant", "huddle", "assistant");
        assertThat(all.get(0).text()).isEqualTo("Refactor the parser");
        assertThat(all.get(2).text()).startsWith("[huddle 57e538] As you finished your turn")
                .contains("The schema moved to v2 (bcb11564)", "message d622f89ef3875304").doesNotContain("Refactor the parser");
        assertThat(GeminiChat.tail(FIXTURE, 2, false).messages()).extracting(TranscriptMessage::role).containsExactly("huddle", "assistant");
    }

    @Test
    void aPromptWithHuddlesBeforeAgentContextStaysTheUsersAndAFrameQuotedLaterDoesNotCount(@TempDir Path dir) throws Exception {
        Path chat = dir.resolve("session-2026-12-07T08-00-aaaaaaaa.jsonl");
        Files.writeString(chat, """
                {"sessionId":"aaaaaaaa-0000-4000-8000-000000000000","kind":"main"}
                {"id":"u1","type":"user","content":[{"text":"huddle: new messages from peer agents are waiting for you"},{"text":"<hook_context>[huddle 0a1b2c] 1 message(s) from peer agents arrived.</hook_context>"}]}
                {"id":"u2","type":"user","content":[{"text":"Why did you write [huddle 0a1b2c] there?"}]}
                """);
        assertThat(GeminiChat.readAll(chat, false)).extracting(TranscriptMessage::role, TranscriptMessage::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple("user", "huddle: new messages from peer agents are waiting for you"),
                org.assertj.core.groups.Tuple.tuple("user", "Why did you write [huddle 0a1b2c] there?"));
    }
}
