package dev.huddle.hub.hooks;

import dev.huddle.agents.transcript.HuddleFrame;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The line the human sees under a rewake's label: who wrote and the first line, once, for that wake's prompt only. */
class WakeNoticesTest {
    @Test
    void thePromptThatCarriesTheWakesFrameGetsTheLineOnce() {
        WakeNotices n = new WakeNotices();
        n.woke("a1", "0a1b2c", List.of("alice (claude-code): Please rebase"));
        assertThat(n.forPrompt("a1", "I typed this myself")).as("a prompt without the frame").isNull();
        String prompt = "<task-notification>…</task-notification>\n<system-reminder>\nhuddle: " + HuddleFrame.open("0a1b2c") + "1 message(s)";
        assertThat(n.forPrompt("a2", prompt)).as("another agent").isNull();
        assertThat(n.forPrompt("a1", prompt)).isEqualTo("huddle: woken by alice (claude-code): Please rebase");
        assertThat(n.forPrompt("a1", prompt)).as("said once").isNull();
        n.woke("a1", "0d0e0f", List.of("x: y"));
        n.forget("a1");
        assertThat(n.forPrompt("a1", HuddleFrame.open("0d0e0f"))).isNull();
    }

    @Test
    void severalMessagesAreListedUpToThree() {
        assertThat(WakeNotices.line(List.of("a: 1", "b: 2", "c: 3", "d: 4", "e: 5")))
                .isEqualTo("huddle: woken by 5 messages\n  a: 1\n  b: 2\n  c: 3\n  and 2 more");
        assertThat(WakeNotices.line(List.of("a: 1", "b: 2"))).isEqualTo("huddle: woken by 2 messages\n  a: 1\n  b: 2");
    }
}
