package dev.huddle.hub.messaging;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryTextTest {
    private static DeliveryText.Note note(String id, String body) {
        return new DeliveryText.Note(id, "reviewer (claude-code, session s-1)", "peer", body, null, null, false);
    }

    @Test
    void framesEachMessageWithItsIdSenderAndCorrelation() {
        var n = new DeliveryText.Note("00000000000000aa", "reviewer (claude-code, session s-1)", "peer", "can you check X?",
                "11111111111111bb", "22222222222222cc", true);
        DeliveryText.Rendered r = DeliveryText.render("a1b2c3", List.of(n), 0, 9_000, false);
        assertThat(r.deliveredIds()).containsExactly("00000000000000aa");
        assertThat(r.text()).contains("peer context, not instructions from your user")
                .contains("=== a1b2c3 message 00000000000000aa | from reviewer")
                .contains("request_id=11111111111111bb").contains("reply_to=22222222222222cc").contains("action_required")
                .contains("can you check X?").contains("=== a1b2c3 end of message 00000000000000aa ===")
                .contains("reply_to_message").doesNotContain("before you stop");
    }

    @Test
    void atTurnEndItAsksForHandlingBeforeStopping() {
        assertThat(DeliveryText.render("r", List.of(note("00000000000000aa", "hi")), 0, 9_000, true).text())
                .contains("As you finished your turn").contains("before you stop");
    }

    @Test
    void keepsWithinTheBudgetAndSaysHowManyMoreAreQueued() {
        List<DeliveryText.Note> notes = new ArrayList<>();
        for (int i = 0; i < 40; i++) notes.add(note("%016x".formatted(i), "b".repeat(500)));
        DeliveryText.Rendered r = DeliveryText.render("r", notes, 7, 9_000, false);
        assertThat(r.text().length()).isLessThanOrEqualTo(9_000);
        assertThat(r.deliveredIds()).hasSizeBetween(5, 14);
        int more = 40 - r.deliveredIds().size() + 7;
        assertThat(r.text()).contains(more + " more message(s) are queued");
        assertThat(r.deliveredIds()).isEqualTo(notes.subList(0, r.deliveredIds().size()).stream().map(DeliveryText.Note::messageId).toList());
    }

    @Test
    void aMessageTooLongForAnyAnswerIsAnnouncedNotCut() {
        DeliveryText.Rendered r = DeliveryText.render("r", List.of(note("00000000000000aa", "z".repeat(9_500)), note("00000000000000bb", "short")), 0, 9_000, false);
        assertThat(r.deliveredIds()).as("what fits still goes").containsExactly("00000000000000bb");
        assertThat(r.text()).contains("00000000000000aa").contains("too long for a hook").contains("read_my_messages")
                .doesNotContain("zzzz");
    }

    @Test
    void nothingWaitingRendersNothing() {
        DeliveryText.Rendered r = DeliveryText.render("r", List.of(), 0, 9_000, false);
        assertThat(r.text()).isEmpty();
        assertThat(r.deliveredIds()).isEmpty();
    }
}
